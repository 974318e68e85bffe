// Sending from the outbox against the simulator's Graph API, with a fixed clock: retries with
// backoff, permanent failures and their alert, and the access token in no row, log or error.
import assert from "node:assert/strict";
import { eventually, requireEnv, testDb } from "../../../../local/tests/helpers.ts";
import { whatsappEnv } from "./env.ts";
import { sendDue } from "./sender.ts";
import { graphRequests, newWaId, planFailures, removeCustomers } from "./test_helpers.ts";

const T0 = new Date("2026-12-01T10:00:00Z");
const at = (seconds: number) => () => new Date(T0.getTime() + seconds * 1000);

async function withQueued(
  purpose: string,
  fn: (
    sql: ReturnType<typeof testDb>,
    ids: { contact: string; message: string; waId: string },
  ) => Promise<void>,
) {
  const sql = testDb();
  const waId = newWaId();
  try {
    const [contact] = await sql`insert into contacts (whatsapp_id, name) values (${
      "+" + waId
    }, 'Send Test') returning id`;
    const [message] = await sql`select private.queue_whatsapp_message(${contact.id},
      '{"type":"text","text":"Your appointment: Tuesday 10:00 with Dr. Weber"}', null, ${purpose}) as id`;
    // Due at the test's fixed clock, whatever the machine's date.
    await sql`update whatsapp_outbound_messages set next_attempt_at = ${T0} where id = ${message.id}`;
    await fn(sql, { contact: contact.id, message: message.id, waId });
  } finally {
    await removeCustomers(sql, [waId]);
    await sql.end();
  }
}

const row = async (sql: ReturnType<typeof testDb>, id: string) =>
  (await sql`select status, attempts, next_attempt_at, error_code, error_title from whatsapp_outbound_messages
             where id = ${id}`)[0];

Deno.test("429 twice, then success: retried after the backoff, sent and delivered once", async () => {
  await withQueued("reply", async (sql, { contact, message, waId }) => {
    await planFailures("+" + waId, [{ status: 429, code: 130429 }, { status: 429, code: 130429 }]);
    const config = whatsappEnv();
    assert.deepEqual(await sendDue(sql, config, { contactId: contact, clock: at(0) }), {
      sent: 0,
      retry: 1,
      failed: 0,
    });
    assert.deepEqual(
      { ...(await row(sql, message)), error_title: undefined },
      {
        status: "queued",
        attempts: 1,
        next_attempt_at: at(15)(),
        error_code: 130429,
        error_title: undefined,
      },
    );
    assert.deepEqual(await sendDue(sql, config, { contactId: contact, clock: at(14) }), {
      sent: 0,
      retry: 0,
      failed: 0,
    }, "not before the backoff");
    assert.deepEqual(await sendDue(sql, config, { contactId: contact, clock: at(15) }), {
      sent: 0,
      retry: 1,
      failed: 0,
    });
    assert.deepEqual((await row(sql, message)).next_attempt_at, at(45)(), "the backoff doubles");
    assert.deepEqual(await sendDue(sql, config, { contactId: contact, clock: at(45) }), {
      sent: 1,
      retry: 0,
      failed: 0,
    });
    assert.deepEqual((await graphRequests("+" + waId)).map((r) => r.answeredStatus), [
      429,
      429,
      200,
    ]);
    await eventually(async () => (await row(sql, message)).status === "delivered" || undefined);
    assert.deepEqual(await sendDue(sql, config, { contactId: contact, clock: at(3600) }), {
      sent: 0,
      retry: 0,
      failed: 0,
    });
    assert.equal(
      (await graphRequests("+" + waId)).filter((r) => r.answeredStatus === 200).length,
      1,
      "delivered once",
    );
  });
});

Deno.test("131047 on a booking confirmation: failed with the code, and an admin alert", async () => {
  await withQueued("booking_confirmation", async (sql, { contact, message, waId }) => {
    await planFailures("+" + waId, [{ status: 400, code: 131047 }]);
    assert.deepEqual(await sendDue(sql, whatsappEnv(), { contactId: contact, clock: at(0) }), {
      sent: 0,
      retry: 0,
      failed: 1,
    });
    const failed = await row(sql, message);
    assert.equal(failed.status, "failed");
    assert.equal(failed.error_code, 131047);
    const alerts =
      await sql`select kind, message from admin_alerts where whatsapp_message_id = ${message}`;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].kind, "whatsapp_send_failed");
    assert.match(alerts[0].message, /booking confirmation to Send Test .*131047/);
    assert.equal((await graphRequests("+" + waId)).length, 1, "a permanent failure is not retried");
  });
});

Deno.test("server errors and an unreachable Graph API are retried", async () => {
  await withQueued("reply", async (sql, { contact, message, waId }) => {
    await planFailures("+" + waId, [{ status: 503, code: 2 }]);
    assert.equal(
      (await sendDue(sql, whatsappEnv(), { contactId: contact, clock: at(0) })).retry,
      1,
    );
    const unreachable = { ...whatsappEnv(), WHATSAPP_GRAPH_URL: "http://127.0.0.1:9/graph" };
    assert.equal((await sendDue(sql, unreachable, { contactId: contact, clock: at(15) })).retry, 1);
    const after = await row(sql, message);
    assert.equal(after.status, "queued");
    assert.equal(after.error_title, "Graph API unreachable");
  });
});

Deno.test("the access token appears in no row, log line or error, even when Meta echoes it", async () => {
  const token = requireEnv("WHATSAPP_ACCESS_TOKEN");
  const logged: string[] = [];
  const original = { log: console.log, warn: console.warn, error: console.error };
  for (const level of ["log", "warn", "error"] as const) {
    console[level] = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  }
  try {
    await withQueued("booking_confirmation", async (sql, { contact, message, waId }) => {
      await planFailures("+" + waId, [{ status: 400, code: 100, echoAuthorization: true }]);
      await sendDue(sql, whatsappEnv(), { contactId: contact, clock: at(0) });
      const failed = await row(sql, message);
      assert.equal(failed.status, "failed");
      assert.match(failed.error_title, /Bearer \[token\]/, "the echoed header was scrubbed");
      // Every table of every schema the project writes.
      const tables = await sql<{ name: string }[]>`
        select format('%I.%I', schemaname, tablename) as name from pg_tables
        where schemaname in ('public', 'private', 'net', 'cron')`;
      for (const { name } of tables) {
        const [hit] = await sql.unsafe(
          `select count(*)::int as n from ${name} t where t::text like $1`,
          [`%${token}%`],
        );
        assert.equal(hit.n, 0, `token found in ${name}`);
      }
    });
  } finally {
    Object.assign(console, original);
  }
  assert.ok(logged.every((line) => !line.includes(token)), "token in this process's log");
  for (const log of ["gateway.log", "simulator.log", "net-worker.log"]) {
    const text = await Deno.readTextFile(`${requireEnv("STACK_DIR")}/${log}`).catch(() => "");
    assert.ok(!text.includes(token), `token in ${log}`);
  }
});
