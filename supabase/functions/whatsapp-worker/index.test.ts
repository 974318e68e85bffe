// The sweep: a message stored (webhook answered 200) whose handler died is answered later, by
// pg_cron's job calling whatsapp-worker through pg_net, as on a hosted project.
import assert from "node:assert/strict";
import { eventually, functionsUrl, testDb } from "../../../local/tests/helpers.ts";
import {
  conversation,
  graphRequests,
  newWaId,
  removeCustomers,
} from "../_shared/whatsapp/test_helpers.ts";

Deno.test("killing the handler after the 200: the sweep answers the message later", async () => {
  const sql = testDb();
  const waId = newWaId();
  try {
    // Exactly what the webhook stores before answering 200; then the instance "dies".
    const message = {
      wa_message_id: `wamid.sweep-${waId}`,
      wa_id: waId,
      user_id: null,
      profile_name: "Crash",
      phone_number_id: "1",
      kind: "text",
      text: "Ich brauche eine Zahnreinigung",
      reply_id: null,
      context_id: null,
      timestamp: Math.floor(Date.now() / 1000) - 120,
      payload: {},
    };
    await sql`select * from private.record_whatsapp_webhook(${
      sql.json([message])
    }, '[]', now() - interval '2 minutes')`;
    // The pg_cron job's body (the test stack keeps pg_cron paused and runs the job itself).
    const [sweep] = await sql`select private.whatsapp_sweep() as request_id`;
    assert.notEqual(sweep.request_id, null, "the sweep calls whatsapp-worker");
    const c = await eventually(async () => {
      const now = await conversation(sql, waId);
      return now.inbound[0]?.handled_at && now.outbound[0]?.status !== "queued" ? now : undefined;
    }, 20_000);
    assert.equal(c.outbound.length, 1);
    assert.equal(c.outbound[0].in_reply_to, c.inbound[0].id);
    await eventually(async () => (await graphRequests("+" + waId)).length === 1 || undefined);
  } finally {
    await removeCustomers(sql, [waId]);
    await sql.end();
  }
});

Deno.test("whatsapp-worker is for the service role only", async () => {
  const res = await fetch(functionsUrl("whatsapp-worker"), {
    method: "POST",
    headers: {
      authorization: `Bearer ${Deno.env.get("SUPABASE_ANON_KEY")}`,
      "content-type": "application/json",
    },
    body: "{}",
  });
  await res.body?.cancel();
  assert.equal(res.status, 403);
});
