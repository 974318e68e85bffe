// The work after Meta has its 200: handle each customer's new messages, then send their replies.
// Customers are worked on side by side; one customer's messages strictly one after another.
import type postgres from "postgres";
import type { WhatsAppConfig } from "./env.ts";
import { handleContact } from "./handle.ts";
import type { Responder } from "./responder.ts";
import { type Clock, sendDue, systemClock } from "./sender.ts";

export interface ProcessSummary {
  handled: number;
  sent: number;
  retry: number;
  failed: number;
}

export async function processContacts(
  sql: postgres.Sql,
  config: WhatsAppConfig,
  contactIds: string[],
  respond: Responder,
  clock: Clock = systemClock,
): Promise<ProcessSummary> {
  const summary: ProcessSummary = { handled: 0, sent: 0, retry: 0, failed: 0 };
  await Promise.all([...new Set(contactIds)].map(async (contactId) => {
    summary.handled += await handleContact(sql, contactId, respond, clock);
    const sent = await sendDue(sql, config, { contactId, clock });
    summary.sent += sent.sent;
    summary.retry += sent.retry;
    summary.failed += sent.failed;
  }));
  return summary;
}

/** Supabase keeps a function alive for promises given to EdgeRuntime.waitUntil after it answered;
 * the local gateway provides the same call. Failures are logged by kind only. */
export function runAfterResponse(task: Promise<unknown>, label: string): void {
  const guarded = task.catch((error) =>
    console.error(
      `[${label}] background work failed (${error instanceof Error ? error.name : "error"})`,
    )
  );
  const runtime = (globalThis as { EdgeRuntime?: { waitUntil(p: Promise<unknown>): void } })
    .EdgeRuntime;
  runtime?.waitUntil(guarded);
}
