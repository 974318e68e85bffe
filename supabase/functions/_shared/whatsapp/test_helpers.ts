// Helpers for the WhatsApp tests: unique customers, signed deliveries, the simulator's record of
// what the Graph API received. Tests run through `npm test` (test stack, simulator running).
import type postgres from "postgres";
import { functionsUrl, requireEnv } from "../../../../local/tests/helpers.ts";
import { postSigned } from "../../../../local/simulator/meta.ts";

export const webhookUrl = () => functionsUrl("whatsapp-webhook");
export const appSecret = () => requireEnv("WHATSAPP_APP_SECRET");
/** The simulator's base URL (WHATSAPP_GRAPH_URL is <simulator>/graph locally). */
export const simulatorUrl = () => requireEnv("WHATSAPP_GRAPH_URL").replace(/\/graph$/, "");

/** A phone number (digits, Meta's wa_id form) no other test uses. */
export function newWaId(): string {
  return "4179" + String(Math.floor(Math.random() * 9_000_000) + 1_000_000);
}

export async function deliver(body: string, signature?: string): Promise<Response> {
  const res = await postSigned(webhookUrl(), body, appSecret(), signature);
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

export async function removeCustomers(sql: postgres.Sql, waIds: string[]): Promise<void> {
  await sql`delete from contacts where whatsapp_id = any(${waIds.map((w) => "+" + w)})`;
}
