// Rendering alert mails: titles people understand, grouping, and nothing secret or hostile
// getting through (URLs, tokens, header injection, huge messages).
import assert from "node:assert/strict";
import { type AlertEvent, redact, renderAlertMail, title } from "./render.ts";

const event = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  event: "opened",
  kind: "calendar_sync_failing",
  message: "Calendar of Dr. Weber failed 1 time(s) in a row: timeout.",
  team_member: "Dr. Weber",
  at: "2027-03-01T09:00:00Z",
  local_time: "2027-03-01 10:00",
  ...over,
});

Deno.test("one alert: the subject says what happened and to whom", () => {
  const mail = renderAlertMail("Praxis am See", [event()]);
  assert.equal(mail.subject, "[Praxis am See] Dr. Weber's calendar is failing to sync");
  assert.match(mail.text, /failed 1 time\(s\) in a row: timeout\./);
  assert.match(mail.text, /\(opened 2027-03-01 10:00\)/);
});

Deno.test("a resolution reads as good news", () => {
  assert.equal(title(event({ event: "resolved" })), "Dr. Weber's calendar syncs again");
  assert.equal(
    title(event({ event: "resolved", kind: "conversation_handoff", team_member: null })),
    "Resolved: a customer's conversation was handed back to the bot",
  );
  assert.equal(
    title(event({ event: "resolved", kind: "calendar_writeback_failing", team_member: null })),
    "Resolved: Calendar writeback failing",
  );
});

Deno.test("several alerts: one mail that counts them", () => {
  const mail = renderAlertMail("Praxis", [
    event(),
    event({
      kind: "whatsapp_send_failed",
      team_member: null,
      message: "Lisa's confirmation bounced.",
    }),
    event({ event: "resolved", team_member: "Dr. Müller" }),
  ]);
  assert.equal(mail.subject, "[Praxis] 3 alerts: 2 new, 1 resolved");
  assert.match(mail.text, /A booking confirmation could not be delivered on WhatsApp/);
  assert.match(mail.text, /Dr\. Müller's calendar syncs again/);
});

Deno.test("addresses and tokens never reach the mail; ids and unicode do", () => {
  const secretUrl =
    "https://user:hunter2@calendar.example/private-0123456789abcdef/basic.ics?token=abc";
  const token = "ya29.A0ARrdaM-very-long-oauth-token-value-1234567890";
  const id = "70000000-0000-4000-8000-000000000001";
  const mail = renderAlertMail("Praxis", [
    event({ message: `GET ${secretUrl} failed; bearer ${token}; call x('${id}') für Zürich` }),
  ]);
  for (const leak of ["hunter2", "0123456789abcdef", "calendar.example", token]) {
    assert.ok(!mail.text.includes(leak), `mail text contains ${leak}`);
  }
  assert.ok(mail.text.includes(id));
  assert.ok(mail.text.includes("für Zürich"));
});

Deno.test("property: a random secret URL or token in any message never survives redaction", () => {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = (chars: string, n: number) =>
    Array.from({ length: n }, () => chars[Math.floor(random() * chars.length)]).join("");
  const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (let i = 0; i < 500; i++) {
    const secret = pick(alnum, 12 + Math.floor(random() * 40));
    const shape = Math.floor(random() * 3);
    const planted = shape === 0
      ? `https://cal.example/${secret}/basic.ics`
      : shape === 1
      ? `webcal://u:${secret}@host/x`
      : `${secret}${pick(alnum, 32)}`;
    const text = `${pick("abc \n\r\t", 20)}${planted}${pick(" .,;", 3)}${pick(alnum + " ", 30)}`;
    // The simple second implementation: after redaction, the secret is not a substring.
    assert.ok(!redact(text).includes(secret), `case ${i}: ${JSON.stringify(text)}`);
  }
});

Deno.test("hostile input: CR/LF cannot inject headers, a 5 MB message is cut, 80 events are summed up", () => {
  const mail = renderAlertMail("Evil\r\nBcc: victim@example.com", [
    event({ team_member: "Dr. X\r\nBcc: victim@example.com", message: "x".repeat(5_000_000) }),
  ]);
  assert.ok(!/[\r\n]/.test(mail.subject));
  assert.ok(mail.subject.length <= 200);
  assert.ok(mail.text.length < 5_000);
  const many = renderAlertMail("Praxis", Array.from({ length: 80 }, () => event()));
  assert.match(many.subject, /80 alerts: 80 new, 0 resolved/);
  assert.match(many.text, /… and 30 more\./);
});
