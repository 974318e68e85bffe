// WhatsApp settings, validated with zod on every request (cheap), so a project without them keeps
// working and the WhatsApp functions answer 503 naming what is missing, never a value.
import { z } from "zod";
import { HttpError } from "../http.ts";

/** Meta's current Graph API version in its WhatsApp documentation (v25.0, 2026). */
export const DEFAULT_GRAPH_URL = "https://graph.facebook.com/v25.0";

export const whatsappEnvSchema = z.object({
  WHATSAPP_APP_SECRET: z.string().min(8, "must be the Meta app secret"),
  WHATSAPP_VERIFY_TOKEN: z.string().min(8, "must be at least 8 characters"),
  WHATSAPP_ACCESS_TOKEN: z.string().min(16, "must be a system-user or business access token"),
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(
    /^[0-9]{1,32}$/,
    "must be the numeric phone number id",
  ),
  WHATSAPP_GRAPH_URL: z.string().regex(/^https?:\/\/[^\s]+$/, "must be an http(s) URL")
    .default(DEFAULT_GRAPH_URL).transform((url) => url.replace(/\/+$/, "")),
});

export type WhatsAppConfig = z.infer<typeof whatsappEnvSchema>;

/** Parses the WhatsApp settings; an HttpError 503 lists every missing or bad variable by name. */
export function parseWhatsAppEnv(source: Record<string, string | undefined>): WhatsAppConfig {
  const result = whatsappEnvSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const missing = source[name] === undefined || source[name] === "";
    return `${name} ${missing ? "is missing" : issue.message}`;
  });
  throw new HttpError(503, `WhatsApp is not configured: ${problems.join("; ")}`);
}

export function whatsappEnv(): WhatsAppConfig {
  return parseWhatsAppEnv(Deno.env.toObject());
}
