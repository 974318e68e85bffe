// Helpers for the WhatsApp tests: unique customers, signed deliveries, the simulator's record of
// what the Graph API received. Tests run through `npm test` (test stack, simulator running).
import type postgres from "postgres";
import { functionsUrl, requireEnv } from "../../../../local/tests/helpers.ts";
import { postSigned } from "../../../../local/simulator/meta.ts";
import { createWebhookHandler } from "../../whatsapp-webhook/index.ts";
import { queueMessage, type Responder } from "./responder.ts";

export const webhookUrl = () => functionsUrl("whatsapp-webhook");
export const appSecret = () => requireEnv("WHATSAPP_APP_SECRET");
/** The simulator's base URL (WHATSAPP_GRAPH_URL is <simulator>/graph locally). */
export const simulatorUrl = () => requireEnv("WHATSAPP_GRAPH_URL").replace(/\/graph$/, "");

/** A phone number (digits, Meta's wa_id form) no other test uses. */
export function newWaId(): string {
  return "4179" + String(Math.floor(Math.random() * 9_000_000) + 1_000_000);
}

export async function deliver(
  body: string,
  signature?: string,
  url = webhookUrl(),
): Promise<Response> {
  const res = await postSigned(url, body, appSecret(), signature);
  await res.body?.cancel();
  return res;
}

export interface GraphRequest {
  to: string;
  answeredStatus: number;
  body: Record<string, unknown>;
}

export async function graphRequests(to: string): Promise<GraphRequest[]> {
  const res = await fetch(`${simulatorUrl()}/api/requests?to=${encodeURIComponent(to)}`);
  return await res.json();
}

export async function planFailures(
  address: string,
  failures: { status: number; code: number; echoAuthorization?: boolean }[],
): Promise<void> {
  const res = await fetch(`${simulatorUrl()}/api/fail`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ address, failures }),
  });
  await res.body?.cancel();
}

/** Inbound rows and replies of the customer with this wa_id. */
export async function conversation(sql: postgres.Sql, waId: string) {
  const inbound = await sql<{ id: string; handled_at: Date | null; text: string | null }[]>`
    select m.id, m.handled_at, m.text from whatsapp_inbound_messages m join contacts c on c.id = m.contact_id
    where c.whatsapp_id = ${"+" + waId} order by m.sent_at, m.arrival`;
  const outbound = await sql<
    { id: string; in_reply_to: string | null; status: string; message: { text?: string } }[]
  >`
    select o.id, o.in_reply_to, o.status, o.message from whatsapp_outbound_messages o
    join contacts c on c.id = o.contact_id where c.whatsapp_id = ${
    "+" + waId
  } order by o.queue_position`;
  return { inbound, outbound };
}

/** Removes test customers with what the conversation made for them (holds, bookings). */
export async function removeCustomers(sql: postgres.Sql, waIds: string[]): Promise<void> {
  const numbers = waIds.map((w) => "+" + w);
  await sql`delete from bookings where contact_id in (select id from contacts where whatsapp_id = any(${numbers}))`;
  await sql`delete from contacts where whatsapp_id = any(${numbers})`;
}

/**
 * The channel's mechanics tested on their own: the real webhook handler, served by this test
 * process over HTTP, with a minimal responder (echo with two buttons; a tap is acknowledged)
 * instead of the booking conversation the deployed function uses.
 */
export const echoResponder: Responder = async (tx, message) => {
  if (message.kind === "text") {
    await queueMessage(tx, message.contactId, {
      type: "buttons",
      text: `Received: ${message.text ?? ""}`,
      buttons: [{ id: "ack-yes", title: "Yes" }, { id: "ack-no", title: "No" }],
    }, message.id);
  } else {
    await queueMessage(tx, message.contactId, {
      type: "text",
      text: `You chose: ${message.text ?? message.replyId ?? "?"}`,
    }, message.id);
  }
};

export function serveWebhook(
  respond: Responder = echoResponder,
): { url: string; close(): Promise<void> } {
  const handler = createWebhookHandler({ respond });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  return { url: `http://127.0.0.1:${server.addr.port}/`, close: () => server.shutdown() };
}
