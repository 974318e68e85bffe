// POST /functions/v1/alert-mail — mails admin alerts (guide, "Error Handling": notify admin via
// email). pg_cron calls it every minute when a mail is due (private.admin_alert_mail_tick), with
// the service role. Body: {} (nothing to choose: SQL decides what is due).
// SMTP settings come from the function environment (config.ts); nodemailer does the SMTP.
import nodemailer from "nodemailer";
import { z } from "zod";
import { requireServiceRole } from "../_shared/auth.ts";
import { db } from "../_shared/db.ts";
import { HttpError, json, readJson, withErrors } from "../_shared/http.ts";
import { type MailConfig, parseMailConfig } from "./config.ts";
import { deliverAlertMails, type MailTransport } from "./deliver.ts";

export const requestSchema = z.object({}).strict();

export function createTransport(config: MailConfig): MailTransport {
  return nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    requireTLS: config.SMTP_REQUIRE_TLS,
    auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD } : undefined,
    connectionTimeout: config.SMTP_TIMEOUT_MS,
    greetingTimeout: config.SMTP_TIMEOUT_MS,
    socketTimeout: config.SMTP_TIMEOUT_MS,
  });
}

let cached: { config: MailConfig; transport: MailTransport } | undefined;

export const handler = withErrors("alert-mail", async (req) => {
  requireServiceRole(req);
  await readJson(req, requestSchema);
  if (!cached) {
    let config: MailConfig;
    try {
      config = parseMailConfig(Deno.env.toObject());
    } catch (error) {
      // The message names the variables, never their values: safe to answer with.
      throw new HttpError(500, (error as Error).message);
    }
    cached = { config, transport: createTransport(config) };
  }
  const outcomes = await deliverAlertMails(db(), cached.transport, cached.config);
  return json({ mails: outcomes });
});

if (import.meta.main) Deno.serve(handler);
