// Handling with a responder that fails: the transaction with the reply rolls back, the message
// waits for its retry, and is answered exactly once later (fixed clock).
import assert from "node:assert/strict";
import { testDb } from "../../../../local/tests/helpers.ts";
import { handleContact } from "./handle.ts";
import { queueMessage, type Responder } from "./responder.ts";
import { conversation, newWaId, removeCustomers } from "./test_helpers.ts";

const T0 = new Date("2026-12-01T10:00:00Z");
const at = (seconds: number) => () => new Date(T0.getTime() + seconds * 1000);

Deno.test("a failing responder leaves no reply and the message is retried after a minute", async () => {
  const sql = testDb();
  const waId = newWaId();
  try {
    const message = {
      wa_message_id: `wamid.handle-${waId}`,
      wa_id: waId,
      user_id: null,
      profile_name: "Retry",
      phone_number_id: "1",
      kind: "text",
      text: "hello",
      reply_id: null,
      context_id: null,
      timestamp: T0.getTime() / 1000,
      payload: {},
    };
    const [stored] = await sql`select * from private.record_whatsapp_webhook(${
      sql.json([message])
    }, '[]', ${T0})`;
    const failing: Responder = async (tx, m) => {
      await queueMessage(tx, m.contactId, { type: "text", text: "half-done" }, m.id);
      throw new Error("conversation crashed");
    };
    const seen: string[] = [];
    const working: Responder = async (tx, m) => {
      seen.push(`${m.kind}:${m.text}:${m.profileName}:${m.language}`);
      await queueMessage(tx, m.contactId, { type: "text", text: "answer" }, m.id);
    };
    const quiet = console.error;
    console.error = () => {};
    try {
      assert.equal(await handleContact(sql, stored.contact_id, failing, at(0)), 0);
    } finally {
      console.error = quiet;
    }
    let c = await conversation(sql, waId);
    assert.equal(c.outbound.length, 0, "the half-done reply was rolled back");
    assert.equal(c.inbound[0].handled_at, null);
    assert.equal(
      await handleContact(sql, stored.contact_id, working, at(30)),
      0,
      "not before its retry time",
    );
    assert.equal(await handleContact(sql, stored.contact_id, working, at(60)), 1);
    assert.equal(await handleContact(sql, stored.contact_id, working, at(120)), 0, "handled once");
    c = await conversation(sql, waId);
    assert.deepEqual(c.outbound.map((o) => o.message.text), ["answer"]);
    assert.deepEqual(seen, ["text:hello:Retry:de"]);
  } finally {
    await removeCustomers(sql, [waId]);
    await sql.end();
  }
});
