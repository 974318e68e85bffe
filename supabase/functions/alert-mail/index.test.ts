// alert-mail against the test stack: the real database decides, nodemailer sends to the stack's
// local SMTP server, and the mails are read back from its mailbox. Each test marks its alerts
// with a unique word and counts only the mails carrying it (other tests raise alerts too).
import assert from "node:assert/strict";
import { eventually, functionsUrl, requireEnv, testDb } from "../../../local/tests/helpers.ts";

type Mail = { to: string[]; subject: string; text: string };
const mailbox = () => requireEnv("MAILBOX_URL");

async function mailsWith(marker: string): Promise<Mail[]> {
  const res = await fetch(`${mailbox()}/mails`);
  const mails: Mail[] = await res.json();
  return mails.filter((m) => m.text.includes(marker) || m.subject.includes(marker));
}

async function runAlertMail(key = requireEnv("SUPABASE_SERVICE_ROLE_KEY"), body: unknown = {}) {
  const res = await fetch(functionsUrl("alert-mail"), {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Opens alerts whose grouping delay has passed (created 10 minutes ago and after). */
async function openAlerts(sql: ReturnType<typeof testDb>, messages: string[]) {
  for (const [i, message] of messages.entries()) {
    await sql`insert into admin_alerts (kind, message, created_at)
      values ('conversation_handoff', ${message}, now() - interval '10 minutes' + ${i} * interval '1 minute')`;
  }
}

Deno.test("one alert: exactly one mail, to the admins, sent once", async () => {
  const sql = testDb();
  try {
    const marker = `one-${crypto.randomUUID().slice(0, 8)}`;
    await openAlerts(sql, [`A customer asked for a person (${marker}).`]);
    const first = await runAlertMail();
    assert.equal(first.status, 200);
    await runAlertMail();
    const mails = await mailsWith(marker);
    assert.equal(mails.length, 1);
    assert.ok(mails[0].to.includes("admin@clinic.example"));
    assert.match(mails[0].text, /A customer asked to talk to a person/);
    const [alert] =
      await sql`select m.status from admin_alerts a join admin_alert_mails m on m.id = a.mail_id
      where a.message like ${"%" + marker + "%"}`;
    assert.equal(alert.status, "sent");
  } finally {
    await sql.end();
  }
});

Deno.test("alerts within a few minutes: one mail with all of them", async () => {
  const sql = testDb();
  try {
    const marker = `group-${crypto.randomUUID().slice(0, 8)}`;
    await openAlerts(sql, [1, 2, 3].map((n) => `Alert ${n} of ${marker}.`));
    await runAlertMail();
    const mails = await mailsWith(marker);
    assert.equal(mails.length, 1);
    for (const n of [1, 2, 3]) assert.ok(mails[0].text.includes(`Alert ${n} of ${marker}`));
  } finally {
    await sql.end();
  }
});

Deno.test("SMTP refuses: the mail is retried later and then arrives once", async () => {
  const sql = testDb();
  try {
    const marker = `retry-${crypto.randomUUID().slice(0, 8)}`;
    await openAlerts(sql, [`Needs a retry: ${marker}.`]);
    await fetch(`${mailbox()}/fail-next?count=1`, { method: "POST" }).then((r) => r.body?.cancel());
    const failed = await runAlertMail();
    assert.ok(failed.body.mails.some((m: { result: string }) => m.result === "failed"));
    assert.equal((await mailsWith(marker)).length, 0);
    const [mail] =
      await sql`select m.id, m.status, m.attempts, m.last_error, m.next_attempt_at > now() as later
      from admin_alerts a join admin_alert_mails m on m.id = a.mail_id where a.message like ${
        "%" + marker + "%"
      }`;
    assert.equal(mail.status, "pending");
    assert.equal(mail.attempts, 1);
    assert.equal(mail.later, true);
    assert.match(mail.last_error, /451/);

    await runAlertMail();
    assert.equal((await mailsWith(marker)).length, 0, "not retried before its time");
    // The backoff minute passes (moved, not waited for).
    await sql`update admin_alert_mails set next_attempt_at = now() - interval '1 second' where id = ${mail.id}`;
    await runAlertMail();
    assert.equal((await mailsWith(marker)).length, 1);
    const [after] = await sql`select status, attempts from admin_alert_mails where id = ${mail.id}`;
    assert.deepEqual({ ...after }, { status: "sent", attempts: 2 });
  } finally {
    await sql.end();
  }
});

Deno.test("a secret that slipped into an alert does not reach the mail", async () => {
  const sql = testDb();
  try {
    const marker = `secret-${crypto.randomUUID().slice(0, 8)}`;
    await openAlerts(sql, [
      `${marker}: GET https://dr:hunter2@calendar.example/private-5ecret5ecret5ecret/basic.ics failed`,
    ]);
    await runAlertMail();
    const [mail] = await mailsWith(marker);
    for (const leak of ["hunter2", "5ecret5ecret5ecret", "calendar.example"]) {
      assert.ok(!mail.text.includes(leak), `mail contains ${leak}`);
    }
  } finally {
    await sql.end();
  }
});

Deno.test("pg_cron's job reaches the function through pg_net, and the mail arrives", async () => {
  const sql = testDb();
  try {
    const marker = `cron-${crypto.randomUUID().slice(0, 8)}`;
    await openAlerts(sql, [`From the job: ${marker}.`]);
    const [tick] = await sql`select private.admin_alert_mail_tick() as request_id`;
    assert.ok(tick.request_id, "the job queued a call");
    const mails = await eventually(async () => {
      const found = await mailsWith(marker);
      return found.length > 0 ? found : undefined;
    }, 30_000);
    assert.equal(mails.length, 1);
  } finally {
    await sql.end();
  }
});

Deno.test("only the service role may run it, with an empty body", async () => {
  const anon = await runAlertMail(requireEnv("SUPABASE_ANON_KEY"));
  assert.equal(anon.status, 403);
  const extra = await runAlertMail(undefined, { now: "2020-01-01" });
  assert.equal(extra.status, 400);
});
