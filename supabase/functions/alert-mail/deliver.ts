// Sends the alert mails SQL hands out: claim (SQL groups and decides), render, send through
// SMTP, report back (sent, or failed: SQL schedules the retry). A mail that fails does not stop
// the others.
import type postgres from "postgres";
import type { MailConfig } from "./config.ts";
import { type AlertEvent, redact, renderAlertMail } from "./render.ts";

/** What nodemailer's transport offers that we use (a fake in unit tests). */
export type MailTransport = {
  sendMail(
    message: { from: string; to: string[]; subject: string; text: string },
  ): Promise<unknown>;
};

type ClaimedMail = {
  mail_id: string;
  attempt: number;
  business_name: string;
  recipients: string[];
  events: AlertEvent[];
};

export type DeliveryOutcome = { mailId: string; result: "sent" | "failed"; nextAttemptAt?: string };

/** What went wrong, for admin_alert_mails.last_error: code and server answer, never a password. */
export function describeSmtpError(
  error: unknown,
  config: Pick<MailConfig, "SMTP_PASSWORD">,
): string {
  const e = error as {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    message?: unknown;
  };
  const code = typeof e?.code === "string" ? e.code : "ERROR";
  const status = typeof e?.responseCode === "number" ? ` ${e.responseCode}` : "";
  let detail = typeof e?.response === "string"
    ? e.response
    : typeof e?.message === "string"
    ? e.message
    : "mail could not be sent";
  if (config.SMTP_PASSWORD) detail = detail.split(config.SMTP_PASSWORD).join("[password]");
  return `${code}${status}: ${redact(detail)}`.replace(/\s+/g, " ").slice(0, 300);
}

export async function deliverAlertMails(
  sql: postgres.Sql,
  transport: MailTransport,
  config: Pick<MailConfig, "ALERT_MAIL_FROM" | "ALERT_MAIL_TO" | "SMTP_PASSWORD">,
): Promise<DeliveryOutcome[]> {
  const mails = await sql<ClaimedMail[]>`
    select mail_id::text, attempt, business_name, recipients, events from public.claim_admin_alert_mails()`;
  const outcomes: DeliveryOutcome[] = [];
  for (const mail of mails) {
    try {
      const to = [...new Set([...(mail.recipients ?? []), ...config.ALERT_MAIL_TO])];
      if (to.length === 0) {
        throw Object.assign(new Error("no admin has an email address and ALERT_MAIL_TO is empty"), {
          code: "ENORECIPIENTS",
        });
      }
      const { subject, text } = renderAlertMail(mail.business_name, mail.events);
      await transport.sendMail({ from: config.ALERT_MAIL_FROM, to, subject, text });
      await sql`select public.admin_alert_mail_sent(${mail.mail_id}::bigint)`;
      console.log(`[alert-mail] mail ${mail.mail_id} sent (${mail.events.length} events)`);
      outcomes.push({ mailId: mail.mail_id, result: "sent" });
    } catch (error) {
      const reason = describeSmtpError(error, config);
      const [row] = await sql<{ next: Date | null }[]>`
        select public.admin_alert_mail_failed(${mail.mail_id}::bigint, ${reason}) as next`;
      console.error(`[alert-mail] mail ${mail.mail_id} attempt ${mail.attempt} failed: ${reason}`);
      outcomes.push({
        mailId: mail.mail_id,
        result: "failed",
        nextAttemptAt: row.next?.toISOString(),
      });
    }
  }
  return outcomes;
}
