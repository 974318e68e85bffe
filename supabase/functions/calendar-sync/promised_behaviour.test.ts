// What the README promises about calendar sync and no other test exercised: Outlook "free"
// events, webcal:// addresses, If-Modified-Since, and runSync with {"due": true} and
// {"all": true}. Through runSync, the entry point the calendar-sync function calls.
import assert from "node:assert/strict";
import { testDb } from "../../../local/tests/helpers.ts";
import { runSync, type SyncOptions } from "./sync.ts";

const now = new Date("2026-12-01T11:00:00Z");
const LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT";

const vevent = (uid: string, start: string, extra = "") =>
  `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:${start}\r\n` +
  `DURATION:PT1H\r\nSUMMARY:Private\r\n${extra}END:VEVENT\r\n`;
const calendar = (...events: string[]) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n${events.join("")}END:VCALENDAR\r\n`;

// Outlook marks "show as free" with its own property on an otherwise opaque event.
const OUTLOOK = calendar(
  vevent(
    "outlook-free",
    "20261202T090000Z",
    "TRANSP:OPAQUE\r\nX-MICROSOFT-CDO-BUSYSTATUS:FREE\r\n",
  ),
  vevent(
    "outlook-busy",
    "20261202T110000Z",
    "TRANSP:OPAQUE\r\nX-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\n",
  ),
);
const PLAIN = calendar(vevent("plain", "20261203T090000Z"));

const seen = { ifModifiedSince: [] as (string | null)[] };
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
  const path = new URL(req.url).pathname;
  if (path === "/outlook.ics") return new Response(OUTLOOK);
  if (path === "/last-modified.ics") {
    seen.ifModifiedSince.push(req.headers.get("if-modified-since"));
    if (req.headers.get("if-modified-since") === LAST_MODIFIED) {
      return new Response(null, { status: 304 });
    }
    return new Response(PLAIN, { headers: { "last-modified": LAST_MODIFIED } });
  }
  if (path === "/plain.ics") return new Response(PLAIN);
  return new Response("?", { status: 404 });
});
const feedUrl = (path: string) => `http://127.0.0.1:${server.addr.port}${path}`;
// The feed server is on loopback, which calendar fetches refuse unless allowed.
const options: SyncOptions = {
  timeoutMs: 10_000,
  maxBytes: 100_000,
  now,
  allowPrivateHosts: [`127.0.0.1:${server.addr.port}`],
};

type Sql = ReturnType<typeof testDb>;
async function addMember(sql: Sql, url: string): Promise<string> {
  const [member] = await sql`insert into team_members (name, calendar_provider, calendar_source_url)
    values (${"Promise test " + crypto.randomUUID().slice(0, 8)}, 'ical', ${url}) returning id`;
  return member.id;
}
const busyUids = async (sql: Sql, id: string) =>
  (await sql`select source_uid from calendar_busy_times where team_member_id = ${id} order by starts_at`)
    .map((r) => r.source_uid);

async function withMember(url: string, fn: (sql: Sql, id: string) => Promise<void>) {
  const sql = testDb();
  const id = await addMember(sql, url);
  try {
    await fn(sql, id);
  } finally {
    await sql`delete from team_members where id = ${id}`;
    await sql.end();
  }
}

/** Runs fn in a transaction that is rolled back, so syncing "all" touches no seeded member. */
async function rolledBack(fn: (tx: Sql) => Promise<void>) {
  const sql = testDb();
  const rollback = new Error("rollback");
  try {
    await sql.begin(async (tx) => {
      await fn(tx as unknown as Sql);
      throw rollback;
    }).catch((error) => {
      if (error !== rollback) throw error;
    });
  } finally {
    await sql.end();
  }
}

Deno.test("an Outlook event shown as free leaves the time bookable", async () => {
  await withMember(feedUrl("/outlook.ics"), async (sql, id) => {
    const result = await runSync(sql, { teamMemberId: id }, options);
    assert.equal(result.teamMembers[0].result, "synced");
    assert.deepEqual(await busyUids(sql, id), ["outlook-busy"]);
  });
});

Deno.test("a webcal:// address is read over https", async () => {
  await withMember("webcal://calendar.example.test/team/plain.ics", async (sql, id) => {
    const requested: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input: string | URL | Request) => {
      requested.push(input instanceof Request ? input.url : String(input));
      return Promise.resolve(new Response(PLAIN));
    };
    try {
      // The name resolves nowhere (no DNS here); the guard's allow-list exempts exactly the
      // https port, so a webcal address read over plain http (port 80) would still be refused.
      const result = await runSync(sql, { teamMemberId: id }, {
        ...options,
        allowPrivateHosts: [...options.allowPrivateHosts!, "calendar.example.test:443"],
      });
      assert.equal(result.teamMembers[0].result, "synced");
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.deepEqual(requested, ["https://calendar.example.test/team/plain.ics"]);
    assert.deepEqual(await busyUids(sql, id), ["plain"]);
  });
});

Deno.test("Last-Modified is sent back as If-Modified-Since; a 304 keeps the busy times", async () => {
  await withMember(feedUrl("/last-modified.ics"), async (sql, id) => {
    seen.ifModifiedSince.length = 0;
    assert.equal(
      (await runSync(sql, { teamMemberId: id }, options)).teamMembers[0].result,
      "synced",
    );
    assert.equal(
      (await runSync(sql, { teamMemberId: id }, options)).teamMembers[0].result,
      "unchanged",
    );
    assert.deepEqual(seen.ifModifiedSince, [null, LAST_MODIFIED]);
    assert.deepEqual(await busyUids(sql, id), ["plain"]);
  });
});

Deno.test('{"due": true} syncs only the calendars whose time has come', async () => {
  await rolledBack(async (tx) => {
    await tx`update team_members set calendar_sync_status = 'disabled' where calendar_provider is not null`;
    const due = await addMember(tx, feedUrl("/plain.ics"));
    const notYet = await addMember(tx, feedUrl("/plain.ics"));
    await tx`update team_members set next_sync_at = ${now}::timestamptz - interval '1 minute' where id = ${due}`;
    await tx`update team_members set next_sync_at = ${now}::timestamptz + interval '1 minute' where id = ${notYet}`;
    const result = await runSync(tx, { due: true }, options);
    assert.deepEqual(result.teamMembers.map((m) => [m.teamMemberId, m.result]), [[due, "synced"]]);
    const [row] = await tx`select next_sync_at from team_members where id = ${due}`;
    assert.ok(row.next_sync_at > now, "the synced calendar is due again only after its interval");
  });
});

Deno.test('{"all": true} syncs every active calendar, then queues the cache refresh', async () => {
  await rolledBack(async (tx) => {
    await tx`update team_members set calendar_sync_status = 'disabled' where calendar_provider is not null`;
    const first = await addMember(tx, feedUrl("/plain.ics"));
    const second = await addMember(tx, feedUrl("/outlook.ics"));
    const inactive = await addMember(tx, feedUrl("/plain.ics"));
    await tx`update team_members set next_sync_at = ${now}::timestamptz + interval '1 hour' where id in (${first}, ${second})`;
    await tx`update team_members set is_active = false where id = ${inactive}`;
    const result = await runSync(tx, { all: true, refreshCacheAfter: true }, options);
    assert.deepEqual(
      result.teamMembers.map((m) => m.teamMemberId).sort(),
      [first, second].sort(),
      "due or not, every active calendar; never an inactive member's",
    );
    assert.ok(result.teamMembers.every((m) => m.result === "synced"));
    const [queued] =
      await tx`select url from net.http_request_queue where id = ${result.cacheRefreshRequest}`;
    assert.match(queued.url, /\/functions\/v1\/cache-refresh$/);
  });
});

Deno.test("stop the feed server", async () => {
  await server.shutdown();
});
