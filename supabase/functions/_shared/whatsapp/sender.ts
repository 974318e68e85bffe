// Sends what the outbox holds: claim due messages (oldest pending per customer), render, POST to
// the Graph API, record the outcome. Retries are not waited for here: a retried message is due
// again after its backoff and the pg_cron sweep (or the next webhook) sends it.
import type postgres from "postgres";
import type { WhatsAppConfig } from "./env.ts";
import { postMessage, scrubToken, type SendOutcome } from "./graph.ts";
import { renderMessage } from "./render.ts";
import type { OutboundMessage } from "./responder.ts";

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export interface SendSummary {
  sent: number;
  retry: number;
  failed: number;
}

interface Claimed {
  id: string;
  contact_id: string;
  whatsapp_id: string | null;
  whatsapp_user_id: string | null;
  message: OutboundMessage;
}

async function sendOne(config: WhatsAppConfig, row: Claimed): Promise<SendOutcome> {
  let body: Record<string, unknown>;
  try {
    body = renderMessage(row.message, {
      whatsappId: row.whatsapp_id,
      userId: row.whatsapp_user_id,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : "cannot render";
    return {
      outcome: "failed",
      code: null,
      title: scrubToken(reason, config.WHATSAPP_ACCESS_TOKEN),
    };
  }
  return await postMessage(config, body);
}

/** Sends every due message (of one contact, or all); returns what happened. */
export async function sendDue(
  sql: postgres.Sql,
  config: WhatsAppConfig,
  options: { contactId?: string; clock?: Clock; batch?: number } = {},
): Promise<SendSummary> {
  const clock = options.clock ?? systemClock;
  const summary: SendSummary = { sent: 0, retry: 0, failed: 0 };
  // Each round sends at most one message per customer; their next one is due in the next round.
  for (let round = 0; round < 100; round++) {
    const claimed = await sql<Claimed[]>`select * from private.claim_whatsapp_sends(
      ${options.batch ?? 20}, ${options.contactId ?? null}::uuid, ${clock()})`;
    if (claimed.length === 0) break;
    await Promise.all(claimed.map(async (row) => {
      const result = await sendOne(config, row);
      summary[result.outcome]++;
      if (result.outcome === "sent") {
        await sql`select private.record_whatsapp_send_result(${row.id}, 'sent', ${result.waMessageId},
          null, null, ${clock()})`;
      } else {
        await sql`select private.record_whatsapp_send_result(${row.id}, ${result.outcome}, null,
          ${result.code}, ${result.title}, ${clock()})`;
      }
    }));
  }
  return summary;
}
