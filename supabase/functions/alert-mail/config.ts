// SMTP settings of the alert-mail function, validated with zod on first use. Only this function
// needs them, so a project without mail still runs every other function. Errors name the
// variable, never its value (SMTP_PASSWORD above all).
import { z } from "zod";

const flag = z.enum(["true", "false"]).transform((v) => v === "true");
const email = z.email("must be an email address");

export const mailConfigSchema = z.object({
  SMTP_HOST: z.string().min(1, "must name the SMTP server"),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: flag.default(false),
  /** Refuse to send unless the connection is encrypted (STARTTLS or SMTP_SECURE). */
  SMTP_REQUIRE_TLS: flag.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(15_000),
  ALERT_MAIL_FROM: email,
  /** Extra recipients besides the admins (comma-separated), e.g. a shared inbox. */
  ALERT_MAIL_TO: z.string().default("").transform((v, ctx) => {
    const list = v.split(",").map((s) => s.trim()).filter(Boolean);
    for (const address of list) {
      if (!email.safeParse(address).success) {
        ctx.addIssue({
          code: "custom",
          message: "must be a comma-separated list of email addresses",
        });
        return z.NEVER;
      }
    }
    return list;
  }),
}).refine((c) => (c.SMTP_USER === undefined) === (c.SMTP_PASSWORD === undefined), {
  message: "SMTP_USER and SMTP_PASSWORD go together",
  path: ["SMTP_PASSWORD"],
});

export type MailConfig = z.infer<typeof mailConfigSchema>;

/** Parses the environment; throws one Error naming every bad or missing variable. */
export function parseMailConfig(source: Record<string, string | undefined>): MailConfig {
  const result = mailConfigSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const missing = source[name] === undefined || source[name] === "";
    return `${name}: ${missing && issue.code !== "custom" ? "is missing" : issue.message}`;
  });
  throw new Error(`Invalid alert-mail environment: ${problems.join("; ")}`);
}
