// Meta's payload: every entry, change, message and status; hostile values refused or made safe.
import assert from "node:assert/strict";
import {
  envelope,
  inboundMessage,
  messagesValue,
  statusValue,
} from "../../../../local/simulator/meta.ts";
import { flattenWebhook, PayloadError, webhookSchema } from "./payload.ts";

const T = 1_796_119_200; // 2026-12-01 10:00 UTC
const flatten = (body: unknown) => flattenWebhook(webhookSchema.parse(body));

Deno.test("3 entries × 2 messages are all read, with their types and statuses", () => {
  const entries = [0, 1, 2].map((e) => [
    messagesValue({ waId: `4179555100${e}`, name: `P${e}` }, [
      inboundMessage({ waId: `4179555100${e}` }, { type: "text", body: `hi ${e}` }, T + e),
      inboundMessage(
        { waId: `4179555100${e}` },
        { type: "button_reply", id: `b${e}`, title: `B${e}`, context: "wamid.ours" },
        T + e + 1,
      ),
    ]),
    statusValue([{ id: `wamid.out${e}`, status: "read", timestamp: T, recipient: "41790000000" }]),
  ]);
  const flat = flatten(envelope(entries));
  assert.equal(flat.messages.length, 6);
  assert.equal(flat.statuses.length, 3);
  assert.deepEqual(
    flat.messages.map((m) => [m.wa_id, m.kind, m.text, m.reply_id, m.profile_name]),
    [0, 1, 2].flatMap((e) => [
      [`4179555100${e}`, "text", `hi ${e}`, null, `P${e}`],
      [`4179555100${e}`, "button_reply", `B${e}`, `b${e}`, `P${e}`],
    ]),
  );
  assert.equal(flat.messages[1].context_id, "wamid.ours");
});

Deno.test("list replies, template buttons, media and username-only senders", () => {
  const user = { waId: null, userId: "US.13491208655302741918", name: "Anon" };
  const flat = flatten(envelope([[messagesValue(user, [
    inboundMessage(user, { type: "list_reply", id: "row-3", title: "Dr. Weber" }, T),
    inboundMessage(user, { type: "button", payload: "confirm", text: "Confirm" }, T),
    inboundMessage(user, { type: "image" }, T),
    inboundMessage(user, { type: "reaction" }, T),
  ])]]));
  assert.deepEqual(
    flat.messages.map((m) => [m.kind, m.text, m.reply_id, m.wa_id, m.user_id]),
    [
      ["list_reply", "Dr. Weber", "row-3", null, user.userId],
      ["button", "Confirm", "confirm", null, user.userId],
      ["image", null, null, null, user.userId],
      ["reaction", null, null, null, user.userId],
    ],
  );
});

Deno.test("hostile values: year 9999, bad ids and a sender without id are refused", () => {
  const base = () =>
    messagesValue({ waId: "41795551000" }, [
      inboundMessage({ waId: "41795551000" }, { type: "text", body: "x" }, T),
    ]) as { messages: Record<string, unknown>[]; contacts: Record<string, unknown>[] };
  const year9999 = base();
  year9999.messages[0].timestamp = "253402300799";
  assert.throws(() => flatten(envelope([[year9999]])), PayloadError);
  const infinity = base();
  infinity.messages[0].timestamp = "Infinity";
  assert.throws(() => flatten(envelope([[infinity]])), PayloadError);
  const badWaId = base();
  badWaId.messages[0].from = "+41 79'; drop table contacts";
  assert.throws(() => flatten(envelope([[badWaId]])), PayloadError);
  const nobody = base();
  delete nobody.messages[0].from;
  nobody.contacts = [];
  assert.throws(() => flatten(envelope([[nobody]])), /neither a wa_id nor a user_id/);
  assert.throws(() => webhookSchema.parse({ object: "page", entry: [] }));
});

Deno.test("CR/LF, unicode and NUL characters: kept, except NUL that Postgres cannot store", () => {
  const body = "Line 1\r\nLine 2 — Grüezi 😀\u0000!";
  const flat = flatten(envelope([[messagesValue({ waId: "41795551000", name: "A\u0000B" }, [
    inboundMessage({ waId: "41795551000" }, { type: "text", body }, T),
  ])]]));
  assert.equal(flat.messages[0].text, "Line 1\r\nLine 2 — Grüezi 😀!");
  assert.equal(flat.messages[0].profile_name, "AB");
  assert.ok(!JSON.stringify(flat.messages[0].payload).includes("\\u0000"));
});

Deno.test("changes of other fields (template status, account updates) are ignored", () => {
  const flat = flatten({
    object: "whatsapp_business_account",
    entry: [{
      id: "1",
      changes: [{ field: "message_template_status_update", value: { event: "APPROVED" } }],
    }],
  });
  assert.deepEqual(flat, { messages: [], statuses: [] });
});
