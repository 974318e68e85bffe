// Meta's WhatsApp webhook. verify_jwt = false (Meta sends no JWT): Meta is authenticated by the
// X-Hub-Signature-256 HMAC of the exact body bytes, checked before anything is parsed or stored.
//   GET  subscription check: hub.mode=subscribe and the verify token -> 200 with hub.challenge.
//   POST messages and statuses: stored in one transaction (a Meta id seen before changes
//        nothing), 200 at once; the replies are decided and sent after the response.
import type postgres from "postgres";
import { db } from "../_shared/db.ts";
import { HttpError, json, withErrors } from "../_shared/http.ts";
import { readBodyLimited } from "../_shared/whatsapp/body.ts";
import { type WhatsAppConfig, whatsappEnv } from "../_shared/whatsapp/env.ts";
import { flattenWebhook, PayloadError, webhookSchema } from "../_shared/whatsapp/payload.ts";
import { processContacts, runAfterResponse } from "../_shared/whatsapp/process.ts";
import type { Responder } from "../_shared/whatsapp/responder.ts";
import { timingSafeEqual, verifySignature } from "../_shared/whatsapp/signature.ts";
import { respond } from "./responder.ts";

export interface WebhookDependencies {
  respond: Responder;
  sql?: () => postgres.Sql;
  /** The WhatsApp settings (default: validated from the environment on each request). */
  config?: () => WhatsAppConfig;
}

function verifySubscription(req: Request, config: WhatsAppConfig): Response {
  const params = new URL(req.url).searchParams;
  const challenge = params.get("hub.challenge") ?? "";
  if (
    params.get("hub.mode") === "subscribe" &&
    timingSafeEqual(params.get("hub.verify_token") ?? "", config.WHATSAPP_VERIFY_TOKEN) &&
    challenge.length > 0 && challenge.length <= 1000
  ) {
    return new Response(challenge, { status: 200, headers: { "content-type": "text/plain" } });
  }
  return json({ error: "Verification failed" }, 403);
}

export function createWebhookHandler(deps: WebhookDependencies) {
  const sql = deps.sql ?? db;
  const settings = deps.config ?? whatsappEnv;
  return withErrors("whatsapp-webhook", async (req) => {
    if (req.method === "GET") return verifySubscription(req, settings());
    if (req.method !== "POST") {
      return json({ error: "Method not allowed" }, 405, { allow: "GET, POST" });
    }
    const config = settings();
    const raw = await readBodyLimited(req);
    if (
      !(await verifySignature(
        raw,
        req.headers.get("x-hub-signature-256"),
        config.WHATSAPP_APP_SECRET,
      ))
    ) {
      return json({ error: "Invalid signature" }, 401);
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    } catch {
      console.warn(`[whatsapp-webhook] signed body is not valid JSON (${raw.byteLength} bytes)`);
      throw new HttpError(400, "Body is not valid JSON");
    }
    const parsed = webhookSchema.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join(".") || "(root)").slice(0, 5);
      console.warn(`[whatsapp-webhook] payload does not match Meta's shape at ${where.join(", ")}`);
      throw new HttpError(400, "Not a WhatsApp Business Account webhook", where);
    }
    let flat;
    try {
      flat = flattenWebhook(parsed.data);
    } catch (error) {
      if (error instanceof PayloadError) throw new HttpError(400, error.message);
      throw error;
    }
    const stored = await sql()<{ contact_id: string; new_messages: number }[]>`
      select * from private.record_whatsapp_webhook(
        ${sql().json(flat.messages as unknown as postgres.JSONValue)},
        ${sql().json(flat.statuses as unknown as postgres.JSONValue)})`;
    if (stored.length > 0) {
      runAfterResponse(
        processContacts(sql(), config, stored.map((r) => r.contact_id), deps.respond),
        "whatsapp-webhook",
      );
    }
    return json({ received: flat.messages.length, statuses: flat.statuses.length });
  });
}

export const handler = createWebhookHandler({ respond });

if (import.meta.main) Deno.serve(handler);
