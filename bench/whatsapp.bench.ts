// WhatsApp intake under load: 1,000 signed webhook deliveries (10 % of them duplicates of earlier
// ones), from 8 concurrent senders, to the real whatsapp-webhook through the local gateway, with
// the chat simulator as the Graph API. Prints request->200 and request->reply queued, the count
// of duplicate replies (must be 0), and beside them the floors they compare with.
import postgres from "postgres";
import { signBody } from "../supabase/functions/_shared/whatsapp/signature.ts";
import { envelope, inboundMessage, messagesValue, wamid } from "../local/simulator/meta.ts";
import { createWebhookHandler } from "../supabase/functions/whatsapp-webhook/index.ts";
import { respond } from "../supabase/functions/whatsapp-webhook/responder.ts";
import { measure, percentile, report } from "./lib.ts";

const env = (name: string) => {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set: run through npm run bench`);
  return value;
};
const webhookUrl = `${env("SUPABASE_URL")}/functions/v1/whatsapp-webhook`;
const secret = env("WHATSAPP_APP_SECRET");
const sql = postgres(env("SUPABASE_DB_URL"), { max: 4, onnotice: () => {} });

const TOTAL = 1000;
const DUPLICATES = 100;
const SENDERS = 8;
const CUSTOMERS = 100;

// 900 distinct messages from 100 customers, plus 100 redeliveries of random earlier ones.
const run = crypto.randomUUID().slice(0, 6);
const start = Math.floor(Date.now() / 1000);
const unique = Array.from({ length: TOTAL - DUPLICATES }, (_, i) => {
  const waId = `4178${
    String(1_000_000 + (i % CUSTOMERS) + Math.floor(Math.random() * 8) * 100_000).slice(0, 7)
  }`;
  const id = wamid();
  const body = JSON.stringify(envelope([[messagesValue({ waId, name: `Bench ${run}` }, [
    inboundMessage(
      { waId },
      { type: "text", body: `Termin ${i}` },
      start + Math.floor(i / CUSTOMERS),
      id,
    ),
  ])]]));
  return { id, body };
});
const deliveries = [...unique];
for (let d = 0; d < DUPLICATES; d++) {
  const position = 1 + Math.floor(Math.random() * (deliveries.length - 1));
  deliveries.splice(position, 0, deliveries[Math.floor(Math.random() * position)]);
}
const signed = await Promise.all(
  deliveries.map(async (d) => ({ ...d, signature: await signBody(d.body, secret) })),
);

const sentAt = new Map<string, number>();
const toAck: number[] = [];
let failures = 0;
let next = 0;
async function sender() {
  while (next < signed.length) {
    const delivery = signed[next++];
    const t0 = performance.now();
    if (!sentAt.has(delivery.id)) sentAt.set(delivery.id, performance.timeOrigin + t0);
    const res = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": delivery.signature },
      body: delivery.body,
    });
    await res.body?.cancel();
    toAck.push(performance.now() - t0);
    if (res.status !== 200) failures++;
  }
}
const wall = performance.now();
await Promise.all(Array.from({ length: SENDERS }, sender));
const wallMs = performance.now() - wall;

// Wait for every message to be handled (the work after the 200), then read when replies were queued.
const ids = unique.map((u) => u.id);
for (let i = 0; i < 600; i++) {
  const [{ pending }] = await sql`select count(*)::int as pending from whatsapp_inbound_messages
    where wa_message_id = any(${ids}) and handled_at is null`;
  if (pending === 0) break;
  await new Promise((r) => setTimeout(r, 100));
}
const replies = await sql<{ wa_message_id: string; queued_ms: number; replies: number }[]>`
  select m.wa_message_id, extract(epoch from min(o.created_at)) * 1000 as queued_ms, count(o.id)::int as replies
  from whatsapp_inbound_messages m left join whatsapp_outbound_messages o on o.in_reply_to = m.id
  where m.wa_message_id = any(${ids}) group by m.wa_message_id`;
const toQueued = replies.filter((r) => r.queued_ms !== null)
  .map((r) => Number(r.queued_ms) - sentAt.get(r.wa_message_id)!).sort((a, b) => a - b);
const duplicateReplies = replies.reduce((n, r) => n + Math.max(0, r.replies - 1), 0);
const [{ rows: inboundRows }] =
  await sql`select count(*)::int as rows from whatsapp_inbound_messages
  where wa_message_id = any(${ids})`;

// Floors: one bare insert of a similar row from this process, and the gateway round trip to a
// function that does one query (what any function call costs here).
const [contact] =
  await sql`insert into contacts (whatsapp_id, name) values ('+41780000001', 'Bench floor')
  on conflict (whatsapp_id) do update set name = excluded.name returning id`;
const bareInsert = await measure(async () => {
  await sql`insert into whatsapp_inbound_messages (wa_message_id, contact_id, kind, text, sent_at, payload)
    values (${wamid()}, ${contact.id}, 'text', 'floor', now(), '{}')`;
}, 300);
const healthUrl = `${env("SUPABASE_URL")}/functions/v1/health`;
const gatewayRoundTrip = await measure(async () => {
  const res = await fetch(healthUrl, {
    headers: { authorization: `Bearer ${env("SUPABASE_ANON_KEY")}` },
  });
  await res.body?.cancel();
}, 200);

// The function's own share: the same handler called in this process (no HTTP hop, no gateway
// queue), one delivery at a time, each a new message.
const handler = createWebhookHandler({ respond });
let n = 0;
const inProcess = await measure(
  async () => {
    const waId = `4177${String(1_000_000 + (n++ % 50))}`;
    const body = JSON.stringify(envelope([[messagesValue({ waId, name: `Bench ${run}` }, [
      inboundMessage({ waId }, { type: "text", body: "Termin" }, start, wamid()),
    ])]]));
    const signature = await signBody(body, secret);
    const t0 = performance.now();
    const res = await handler(
      new Request(webhookUrl, {
        method: "POST",
        headers: { "x-hub-signature-256": signature },
        body,
      }),
    );
    await res.body?.cancel();
    return performance.now() - t0;
  },
  200,
  3,
  true,
);

toAck.sort((a, b) => a - b);
console.log(
  `whatsapp intake: ${TOTAL} signed deliveries (${DUPLICATES} duplicates), ${SENDERS} concurrent senders, ` +
    `${CUSTOMERS} customers, ${
      (TOTAL / (wallMs / 1000)).toFixed(0)
    } deliveries/s, ${failures} non-200`,
);
report("  request -> 200 (signature, validation, store)", toAck);
report("    the handler alone, in process (signature, zod, one SQL call)", inProcess);
report("    floor: gateway -> health function -> select now()", gatewayRoundTrip);
report("    floor: bare insert of one inbound row", bareInsert);
report("  request -> reply queued (lock, responder, outbox)", toQueued);
console.log(
  `  inbound rows ${inboundRows} for ${unique.length} distinct messages; replies queued for ` +
    `${toQueued.length}; duplicate replies ${duplicateReplies} (must be 0); ` +
    `p95 request->200 ${percentile(toAck, 95) < 50 ? "meets" : "misses"} the 50 ms aim`,
);
// The bench stack is thrown away; cleaning up is a courtesy that may meet work still running.
const names = [`Bench ${run}`, "Bench floor"];
await sql.begin(async (tx) => {
  await tx`delete from bookings where contact_id in (select id from contacts where name = any(${names}))`;
  await tx`delete from contacts where name = any(${names})`;
}).catch(() => console.log("  (some bench rows left behind: work was still running)"));
await sql.end();
// The in-process handler's background work and pool end with the process.
Deno.exit(0);
