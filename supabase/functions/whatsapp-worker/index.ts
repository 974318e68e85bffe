// POST /functions/v1/whatsapp-worker — the WhatsApp channel's catch-up, called by pg_cron
// (private.whatsapp_sweep) with the service role: handles messages that were stored but never
// handled (a crashed or recycled webhook instance) and sends outbox messages that are due
// (retries after backoff, messages queued outside a webhook such as booking confirmations).
import { z } from "zod";
import { requireServiceRole } from "../_shared/auth.ts";
import { db } from "../_shared/db.ts";
import { json, readJson, withErrors } from "../_shared/http.ts";
import { whatsappEnv } from "../_shared/whatsapp/env.ts";
import { processContacts } from "../_shared/whatsapp/process.ts";
import { respond } from "../whatsapp-webhook/responder.ts";

const requestSchema = z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict();

export const handler = withErrors("whatsapp-worker", async (req) => {
  requireServiceRole(req);
  const config = whatsappEnv();
  const body = await readJson(req, requestSchema);
  const rows = await db()<{ id: string }[]>`
    select id from private.whatsapp_contacts_with_work(now(), interval '0', ${
    body.limit ?? 200
  }) as id`;
  const summary = await processContacts(db(), config, rows.map((r) => r.id), respond);
  return json({ contacts: rows.length, ...summary });
});

if (import.meta.main) Deno.serve(handler);
