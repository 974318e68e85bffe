// The seam between the WhatsApp channel (#10) and the booking conversation (#11): the channel
// hands each inbound text or interactive message to a Responder inside ONE transaction, in which
// the responder decides, queues its reply (private.queue_whatsapp_message) and the channel marks
// the message handled; the reply exists exactly when the decision commits.
import type postgres from "postgres";

export interface InboundMessage {
  /** Our row id (whatsapp_inbound_messages.id); pass it as p_in_reply_to. */
  id: string;
  contactId: string;
  /** Meta's message id (wamid...). */
  waMessageId: string;
  kind: "text" | "button_reply" | "list_reply" | "button" | "unsupported" | string;
  /** Text body, or the title of the tapped button / list row. */
  text: string | null;
  /** Id of the tapped button / list row / template button payload. */
  replyId: string | null;
  /** Meta's timestamp (when the customer sent it). */
  timestamp: Date;
  profileName: string | null;
  /** contacts.language at the time the message is handled (e.g. "de"). */
  language: string;
}

export type Responder = (tx: postgres.TransactionSql, message: InboundMessage) => Promise<void>;

/** The channel-neutral message shape private.queue_whatsapp_message accepts. */
export type OutboundMessage =
  | { type: "text"; text: string }
  | { type: "buttons"; text: string; buttons: { id: string; title: string }[] }
  | {
    type: "list";
    text: string;
    button: string;
    rows: { id: string; title: string; description?: string | null }[];
  }
  | { type: "template"; name: string; language: string; components?: unknown[] };

/** Kinds the conversation answers; everything else gets the channel's "text only" notice. */
export const CONVERSATION_KINDS = new Set(["text", "button_reply", "list_reply", "button"]);

/** Queues a message in the given transaction (the contract's SQL function); returns its id. */
export async function queueMessage(
  tx: postgres.TransactionSql,
  contactId: string,
  message: OutboundMessage,
  inReplyTo: string | null = null,
  purpose = "reply",
): Promise<string> {
  const [row] = await tx`select private.queue_whatsapp_message(
    ${contactId}::uuid, ${
    tx.json(message as postgres.JSONValue)
  }, ${inReplyTo}::uuid, ${purpose}) as id`;
  return row.id;
}
