// whatsapp-webhook through the local gateway, against the test database, with the chat simulator
// as the Graph API: signatures, size limits, exactly-once intake, order, batches, replies.
import assert from "node:assert/strict";
import { eventually, testDb } from "../../../local/tests/helpers.ts";
import { envelope, inboundMessage, messagesValue, wamid } from "../../../local/simulator/meta.ts";
import { parseWhatsAppEnv, whatsappEnv } from "../_shared/whatsapp/env.ts";
import { handleContact } from "../_shared/whatsapp/handle.ts";
import { queueMessage, type Responder } from "../_shared/whatsapp/responder.ts";
import { sendDue } from "../_shared/whatsapp/sender.ts";
import { signBody } from "../_shared/whatsapp/signature.ts";
import {
  appSecret,
  conversation,
  deliver,
  graphRequests,
  newWaId,
  removeCustomers,
  serveWebhook,
  webhookUrl,
} from "../_shared/whatsapp/test_helpers.ts";
import { createWebhookHandler } from "./index.ts";
import { respond } from "./responder.ts";

const now = () => Math.floor(Date.now() / 1000);

function textWebhook(waId: string, text: string, at = now(), id = wamid()): string {
  return JSON.stringify(envelope([[messagesValue({ waId, name: "Test Customer" }, [
    inboundMessage({ waId }, { type: "text", body: text }, at, id),
  ])]]));
}

/** Waits until every inbound message of the customer is handled and each reply was sent. */
async function settled(sql: ReturnType<typeof testDb>, waId: string, messages: number) {
  return await eventually(async () => {
    const c = await conversation(sql, waId);
    const done = c.inbound.length === messages && c.inbound.every((m) => m.handled_at) &&
      c.outbound.length >= messages && c.outbound.every((o) =>
        o.status !== "queued" && o.status !== "sending"
      );
    return done ? c : undefined;
  }, 20_000);
}

Deno.test("GET subscription check: the verify token answers the challenge, anything else 403", async () => {
  const token = Deno.env.get("WHATSAPP_VERIFY_TOKEN")!;
  const ok = await fetch(
    `${webhookUrl()}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`,
  );
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), "1158201444");
  for (
    const query of [
      `hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
      `hub.verify_token=${token}&hub.challenge=1`,
    ]
  ) {
    const res = await fetch(`${webhookUrl()}?${query}`);
    await res.body?.cancel();
    assert.equal(res.status, 403, query.replace(token, "<token>"));
  }
});

Deno.test("forged, missing, wrong-secret, re-serialised and replayed signatures: 401, nothing written", async () => {
  const sql = testDb();
  const waId = newWaId();
  try {
    // Meta escapes "/" and may pretty-print: re-serialising changes the bytes.
    const original = textWebhook(waId, "A/B test").replace('"A/B test"', '"A\\/B test"').replace(
      ",",
      ", ",
    );
    const otherBody = textWebhook(newWaId(), "another message");
    const attempts: [string, string, string | undefined][] = [
      ["forged", original, "sha256=" + "ab".repeat(32)],
      ["missing", original, ""],
      ["wrong secret", original, await signBody(original, "not-the-app-secret")],
      [
        "re-serialised after signing",
        JSON.stringify(JSON.parse(original)),
        await signBody(original, appSecret()),
      ],
      ["replay with another body's signature", original, await signBody(otherBody, appSecret())],
    ];
    for (const [name, body, signature] of attempts) {
      const res = await fetch(webhookUrl(), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(signature ? { "x-hub-signature-256": signature } : {}),
        },
        body,
      });
      await res.body?.cancel();
      assert.equal(res.status, 401, name);
    }
    const [row] = await sql`select count(*)::int as n from contacts where whatsapp_id = ${
      "+" + waId
    }`;
    assert.equal(row.n, 0, "no contact, no message written");
    assert.equal((await conversation(sql, waId)).inbound.length, 0);
  } finally {
    await sql.end();
  }
});

Deno.test("bodies over 3 MB: 413 by Content-Length and by the bytes actually sent", async () => {
  const big = new Uint8Array(3 * 1024 * 1024 + 1).fill(0x20);
  const declared = await fetch(webhookUrl(), { method: "POST", body: big });
  await declared.body?.cancel();
  assert.equal(declared.status, 413);
  // Streamed without a Content-Length: the limit applies to what is read.
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
      controller.close();
    },
  });
  const streamed = await fetch(webhookUrl(), { method: "POST", body: stream });
  await streamed.body?.cancel();
  assert.equal(streamed.status, 413);
});

Deno.test("malformed JSON or a foreign shape with a valid signature: 400, nothing written", async () => {
  const sql = testDb();
  const count = async () =>
    (await sql`select count(*)::int as n from whatsapp_inbound_messages`)[0].n;
  const before = await count();
  for (
    const body of [
      '{"object": "whatsapp_business_account", "entry": [',
      '{"object":"page","entry":[]}',
      "\u00ff\u00fe",
    ]
  ) {
    const res = await deliver(body);
    assert.equal(res.status, 400, body);
  }
  assert.equal(await count(), before);
  await sql.end();
});

Deno.test({
  name: "a 2.5 MB message is stored cut to 4,096 characters, and answered",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const sql = testDb();
    const local = serveWebhook();
    const waId = newWaId();
    try {
      const res = await deliver(textWebhook(waId, "x\r\n😀".repeat(300_000)), undefined, local.url);
      assert.equal(res.status, 200);
      const c = await settled(sql, waId, 1);
      assert.equal(Array.from(c.inbound[0].text!).length, 4096, "4,096 characters (code points)");
    } finally {
      await removeCustomers(sql, [waId]);
      await sql.end();
      await local.close();
    }
  },
});

Deno.test("through the deployed function and the conversation: the same webhook 5 times, then 20 at once: one inbound row, one reply, one send", async () => {
  const sql = testDb();
  const sequential = newWaId();
  const concurrent = newWaId();
  try {
    const body = textWebhook(sequential, "Ich brauche eine Zahnreinigung");
    for (let i = 0; i < 5; i++) assert.equal((await deliver(body)).status, 200);
    const burst = textWebhook(concurrent, "I need a dental cleaning");
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => deliver(burst).then((r) => r.status)),
    );
    assert.deepEqual(new Set(statuses), new Set([200]));
    for (const waId of [sequential, concurrent]) {
      const c = await settled(sql, waId, 1);
      assert.equal(c.inbound.length, 1, "one inbound row");
      assert.equal(c.outbound.length, 1, "one reply");
      assert.equal(c.outbound[0].in_reply_to, c.inbound[0].id);
      const sent = (await graphRequests("+" + waId)).filter((r) => r.answeredStatus === 200);
      assert.equal(sent.length, 1, "one message sent to the customer");
    }
  } finally {
    await removeCustomers(sql, [sequential, concurrent]);
    await sql.end();
  }
});

Deno.test({
  name: "two messages delivered out of order are handled in timestamp order",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const sql = testDb();
    const local = serveWebhook();
    const waId = newWaId();
    try {
      const t = now();
      // A handler is busy with the customer's message "zero" (its responder waits) while "second"
      // and then "first" arrive.
      const zero = {
        wa_message_id: wamid(),
        wa_id: waId,
        user_id: null,
        profile_name: "Order Test",
        phone_number_id: "1",
        kind: "text",
        text: "zero",
        reply_id: null,
        context_id: null,
        timestamp: t - 5,
        payload: {},
      };
      const [stored] = await sql`select * from private.record_whatsapp_webhook(${
        sql.json([zero])
      }, '[]')`;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let busy!: () => void;
      const isBusy = new Promise<void>((r) => (busy = r));
      const slow: Responder = async (tx, m) => {
        if (m.text === "zero") {
          busy();
          await gate;
        }
        await queueMessage(tx, m.contactId, { type: "text", text: `re: ${m.text}` }, m.id);
      };
      const busyHandler = handleContact(sql, stored.contact_id, slow);
      await isBusy;
      assert.equal(
        (await deliver(textWebhook(waId, "second", t + 5), undefined, local.url)).status,
        200,
      );
      assert.equal(
        (await deliver(textWebhook(waId, "first", t), undefined, local.url)).status,
        200,
      );
      release();
      await busyHandler;
      await sendDue(sql, whatsappEnv(), { contactId: stored.contact_id });
      const c = await settled(sql, waId, 3);
      assert.deepEqual(c.inbound.map((m) => m.text), ["zero", "first", "second"]);
      const handledOrder = [...c.inbound].sort((a, b) =>
        a.handled_at!.getTime() - b.handled_at!.getTime()
      );
      assert.deepEqual(
        handledOrder.map((m) => m.text),
        ["zero", "first", "second"],
        "handled in that order",
      );
      assert.deepEqual(
        c.outbound.map((o) => o.in_reply_to),
        c.inbound.map((m) => m.id),
        "replies in that order",
      );
      const sentTexts = (await graphRequests("+" + waId)).map((r) =>
        (r.body.text as { body?: string } | undefined)?.body ??
          (r.body.interactive as { body?: { text?: string } } | undefined)?.body?.text
      );
      assert.deepEqual(sentTexts, c.outbound.map((o) => o.message.text), "and sent in that order");
    } finally {
      await removeCustomers(sql, [waId]);
      await sql.end();
      await local.close();
    }
  },
});

Deno.test({
  name:
    "30 messages of one customer from 8 concurrent deliveries: each handled once, none left behind",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const sql = testDb();
    const local = serveWebhook();
    const waId = newWaId();
    try {
      const t = now();
      const bodies = Array.from({ length: 30 }, (_, i) => textWebhook(waId, `message ${i}`, t + i));
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < bodies.length) {
          assert.equal((await deliver(bodies[next++], undefined, local.url)).status, 200);
        }
      }));
      // Settles without the sweep: a handler that found the customer busy left the work to the
      // holder, which looked again after releasing the lock.
      const c = await settled(sql, waId, 30);
      assert.equal(c.outbound.length, 30);
      assert.equal(new Set(c.outbound.map((o) => o.in_reply_to)).size, 30, "one reply per message");
    } finally {
      await removeCustomers(sql, [waId]);
      await sql.end();
      await local.close();
    }
  },
});

Deno.test({
  name: "a batch of 3 entries × 2 messages: all 6 handled and answered",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const sql = testDb();
    const local = serveWebhook();
    const waIds = [newWaId(), newWaId(), newWaId()];
    try {
      const t = now();
      const body = JSON.stringify(envelope(waIds.map((waId) => [messagesValue({ waId }, [
        inboundMessage({ waId }, { type: "text", body: "one" }, t),
        inboundMessage({ waId }, { type: "text", body: "two" }, t + 1),
      ])])));
      assert.equal((await deliver(body, undefined, local.url)).status, 200);
      for (const waId of waIds) {
        const c = await settled(sql, waId, 2);
        assert.deepEqual(c.inbound.map((m) => m.text), ["one", "two"]);
        assert.equal(c.outbound.length, 2);
      }
    } finally {
      await removeCustomers(sql, waIds);
      await sql.end();
      await local.close();
    }
  },
});

Deno.test("an image is answered by the channel (text only) and never reaches the conversation", async () => {
  const sql = testDb();
  const waId = newWaId();
  try {
    const body = JSON.stringify(envelope([[messagesValue({ waId }, [
      inboundMessage({ waId }, { type: "image" }, now()),
    ])]]));
    assert.equal((await deliver(body)).status, 200);
    const c = await settled(sql, waId, 1);
    assert.match(
      c.outbound[0].message.text!,
      /^Entschuldigung, ich kann nur Textnachrichten lesen/,
    );
  } finally {
    await removeCustomers(sql, [waId]);
    await sql.end();
  }
});

Deno.test("missing WhatsApp settings: 503 naming the variable (never a value), nothing else affected", async () => {
  const handler = createWebhookHandler({
    respond,
    config: () =>
      parseWhatsAppEnv({
        WHATSAPP_VERIFY_TOKEN: "verify-token-1",
        WHATSAPP_ACCESS_TOKEN: "secret-access-token-value",
      }),
  });
  const res = await handler(new Request("http://x/", { method: "POST", body: "{}" }));
  assert.equal(res.status, 503);
  const text = await res.text();
  assert.match(text, /WHATSAPP_APP_SECRET is missing/);
  assert.match(text, /WHATSAPP_PHONE_NUMBER_ID is missing/);
  assert.ok(!text.includes("secret-access-token-value"));
  const health = await fetch(webhookUrl().replace("whatsapp-webhook", "health"), {
    headers: { authorization: `Bearer ${Deno.env.get("SUPABASE_ANON_KEY")}` },
  });
  await health.body?.cancel();
  assert.equal(health.status, 200, "the rest of the project still works");
});
