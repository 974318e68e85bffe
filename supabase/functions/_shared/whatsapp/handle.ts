// Handles a customer's unhandled messages one at a time, in Meta's timestamp order: each in ONE
// transaction that holds the customer's lock, lets the responder decide and queue its reply, and
// marks the message handled. A failure rolls that transaction back and is recorded (retry later).
import type postgres from "postgres";
import { CONVERSATION_KINDS, type InboundMessage, type Responder } from "./responder.ts";
import { type Clock, systemClock } from "./sender.ts";

interface InboundRow {
  id: string;
  contact_id: string;
  wa_message_id: string;
  kind: string;
  text: string | null;
  reply_id: string | null;
  sent_at: Date;
  profile_name: string | null;
  language: string;
}

function toInbound(row: InboundRow): InboundMessage {
  return {
    id: row.id,
    contactId: row.contact_id,
    waMessageId: row.wa_message_id,
    kind: row.kind,
    text: row.text,
    replyId: row.reply_id,
    timestamp: row.sent_at,
    profileName: row.profile_name,
    language: row.language,
  };
}

/** What went wrong, for the admin: the error's kind and code, never the customer's text. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return "handler failed";
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === "string" ? ` ${code}` : ""}: ${error.message}`.slice(
    0,
    300,
  );
}

/**
 * Handles the customer's due messages; returns how many this call handled. When another handler
 * holds the customer this one leaves at once: the holder looks again after its last transaction
 * (the `waiting` check below runs after it released the lock), so a message stored meanwhile is
 * handled by it, and no connection sits waiting for a lock.
 */
export async function handleContact(
  sql: postgres.Sql,
  contactId: string,
  respond: Responder,
  clock: Clock = systemClock,
): Promise<number> {
  let handled = 0;
  for (let i = 0; i < 1000; i++) {
    let current: InboundRow | undefined;
    let outcome: "handled" | "none" | "busy";
    try {
      outcome = await sql.begin(async (tx) => {
        const [row] = await tx<(InboundRow & { busy: boolean })[]>`
          select * from private.try_next_whatsapp_inbound(${contactId}, ${clock()})`;
        if (!row) return "none";
        if (row.busy) return "busy";
        current = row;
        if (CONVERSATION_KINDS.has(row.kind)) {
          await respond(tx, toInbound(row));
        } else {
          await tx`select private.answer_unsupported_whatsapp_message(${row.id})`;
        }
        await tx`select private.mark_whatsapp_inbound_handled(${row.id}, ${clock()})`;
        return "handled";
      });
    } catch (error) {
      if (!current) throw error;
      console.error(
        `[whatsapp] handling message ${current.id} failed (${
          describeFailure(error).split(":")[0]
        })`,
      );
      await sql`select private.record_whatsapp_handle_failure(${current.id}, ${
        describeFailure(error)
      }, ${clock()})`;
      continue;
    }
    if (outcome === "busy") break;
    if (outcome === "handled") {
      handled++;
      continue;
    }
    const [{ waiting }] =
      await sql`select private.whatsapp_inbound_waiting(${contactId}, ${clock()}) as waiting`;
    if (!waiting) break;
  }
  return handled;
}
