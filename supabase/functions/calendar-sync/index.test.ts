// calendar-sync against the real test database and a local feed server that answers the way
// calendar servers do (ETag/304, 404, slow, oversized, malformed).
import assert from "node:assert/strict";
import { functionsUrl, requireEnv, testDb } from "../../../local/tests/helpers.ts";
import { runSync, type SyncOptions } from "./sync.ts";

const FEED =
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:standup\r\nSUMMARY:Private standup\r\n` +
  `DTSTART;TZID=Europe/Zurich:20260105T083000\r\nDTEND;TZID=Europe/Zurich:20260105T090000\r\n` +
  `RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

// The feed server: /ok.ics with an ETag, plus misbehaving addresses. `secretFeedLive` switches
// the secret address from 404 to serving the feed.
const state = {
  secretFeedLive: false,
  requests: [] as string[],
  slowRequests: [] as ((v: unknown) => void)[],
};
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
  const url = new URL(req.url);
  state.requests.push(url.pathname);
  const etag = '"feed-v1"';
  switch (url.pathname) {
    case "/ok.ics":
    case "/private-abcdef0123456789/secret-feed.ics":
      if (url.pathname.startsWith("/private") && !state.secretFeedLive) {
        return new Response("not found", { status: 404 });
      }
      if (req.headers.get("if-none-match") === etag) {
        return new Response(null, { status: 304, headers: { etag } });
      }
      return new Response(FEED, { headers: { etag, "content-type": "text/calendar" } });
    case "/gone.ics":
      return new Response("gone", { status: 404 });
    case "/denied.ics":
      return new Response("no", { status: 401 });
    case "/slow.ics":
      // Never answers: only the client's timeout ends the request, however fast the machine is.
      await new Promise((r) => state.slowRequests.push(r));
      return new Response(FEED);
    case "/huge.ics":
      return new Response(
        "BEGIN:VCALENDAR\r\n" + "X-PAD:".padEnd(200_000, "x") + "\r\nEND:VCALENDAR\r\n",
      );
    case "/not-a-calendar.ics":
      return new Response("<html>login page</html>", { headers: { "content-type": "text/html" } });
    case "/redirect-to-file":
      return new Response(null, { status: 302, headers: { location: "file:///etc/passwd" } });
    default:
      return new Response("?", { status: 404 });
  }
});
const feedUrl = (path: string) => `http://127.0.0.1:${server.addr.port}${path}`;
// A fixed clock: the sync window and retry times are computed from it. The timeout is generous
// (a loaded machine still answers in time); only /slow.ics, which never answers, reaches it.
const testNow = new Date("2026-12-01T11:00:00Z");
const options: SyncOptions = {
  timeoutMs: 10_000,
  maxBytes: 100_000,
  now: testNow,
  allowPrivateHosts: [`127.0.0.1:${server.addr.port}`],
};

async function withMember(
  fn: (sql: ReturnType<typeof testDb>, id: string) => Promise<void>,
  sourcePath = "/ok.ics",
) {
  const sql = testDb();
  const [member] = await sql`insert into team_members (name, calendar_provider, calendar_source_url)
    values (${"Sync test " + crypto.randomUUID().slice(0, 8)}, 'ical', ${
    feedUrl(sourcePath)
  }) returning id`;
  await sql`insert into team_member_services (team_member_id, service_id)
    select ${member.id}::uuid, id from services where name = 'Dental Cleaning'`;
  try {
    await fn(sql, member.id);
  } finally {
    await sql`delete from team_members where id = ${member.id}`;
    await sql`delete from vault.secrets where name like ${
      "team_member_" + member.id.replaceAll("-", "_") + "%"
    }`;
    await sql.end();
  }
}

const memberState = async (sql: ReturnType<typeof testDb>, id: string) => {
  const [row] = await sql`
    select m.calendar_sync_status, m.calendar_sync_error, m.consecutive_failures, m.is_bookable, m.next_sync_at,
           extract(epoch from m.next_sync_at - ${testNow}::timestamptz)::int as retry_in_s,
           (select count(*)::int from calendar_busy_times b where b.team_member_id = m.id) as busy,
           (select count(*)::int from admin_alerts a where a.team_member_id = m.id and a.resolved_at is null) as open_alerts
    from team_members m where m.id = ${id}`;
  return row;
};

Deno.test("a feed is synced, then a 304 keeps it, and busy times are stored without titles", async () => {
  await withMember(async (sql, id) => {
    const first = await runSync(sql, { teamMemberId: id }, options);
    assert.equal(first.teamMembers[0].result, "synced");
    const busy = first.teamMembers[0].busyTimes!;
    assert.ok(busy >= 10, `a month of standups, got ${busy}`);
    const after = await memberState(sql, id);
    assert.equal(after.calendar_sync_status, "active");
    assert.equal(after.busy, busy);
    const [row] =
      await sql`select to_jsonb(b)::text as t from calendar_busy_times b where team_member_id = ${id} limit 1`;
    assert.ok(!row.t.includes("Private standup"), "event titles are never stored");

    const second = await runSync(sql, { teamMemberId: id }, options);
    assert.equal(
      second.teamMembers[0].result,
      "unchanged",
      "the ETag was sent back and 304 honoured",
    );
    assert.equal((await memberState(sql, id)).busy, busy);
  });
});

Deno.test("failures keep known busy times, back off 1 then 5 minutes, alert the admin; success restores", async () => {
  await withMember(async (sql, id) => {
    await runSync(sql, { teamMemberId: id }, options);
    const known = (await memberState(sql, id)).busy;
    await sql`update team_members set calendar_source_url = ${
      feedUrl("/gone.ics")
    } where id = ${id}`;
    await sql`delete from calendar_sync_state where team_member_id = ${id}`;

    const failed = await runSync(sql, { teamMemberId: id }, options);
    assert.equal(failed.teamMembers[0].result, "failed");
    assert.equal(failed.teamMembers[0].error, "calendar address no longer valid (HTTP 404)");
    let now = await memberState(sql, id);
    assert.equal(now.busy, known, "a failed sync never deletes known busy times");
    assert.equal(now.calendar_sync_status, "error");
    assert.equal(now.is_bookable, false, "temporarily unbookable");
    assert.equal(now.open_alerts, 1, "an admin alert is open");
    assert.equal(now.retry_in_s, 60, "first retry after 1 minute");

    await runSync(sql, { teamMemberId: id }, options);
    now = await memberState(sql, id);
    assert.equal(now.consecutive_failures, 2);
    assert.equal(now.retry_in_s, 300, "second retry after 5 minutes");
    assert.equal(now.open_alerts, 1, "still one alert, not one per failure");
    const due =
      await sql`select 1 from calendar_sync_targets(null, true, ${testNow}::timestamptz + interval '299 seconds') where team_member_id = ${id}`;
    assert.equal(due.length, 0, "not due again before its retry time");
    const dueLater =
      await sql`select 1 from calendar_sync_targets(null, true, ${testNow}::timestamptz + interval '300 seconds') where team_member_id = ${id}`;
    assert.equal(dueLater.length, 1, "due again at its retry time");

    await sql`update team_members set calendar_source_url = ${feedUrl("/ok.ics")} where id = ${id}`;
    await runSync(sql, { teamMemberId: id }, options);
    now = await memberState(sql, id);
    assert.equal(now.calendar_sync_status, "active");
    assert.equal(now.is_bookable, true);
    assert.equal(now.open_alerts, 0, "the alert is resolved");
    assert.equal(now.calendar_sync_error, null);
  });
});

Deno.test("misbehaving feeds are reported as what they mean", async () => {
  const cases: [string, RegExp][] = [
    ["/denied.ics", /access denied \(HTTP 401\)/],
    ["/slow.ics", /did not answer within/],
    ["/huge.ics", /larger than/],
    ["/not-a-calendar.ics", /not an iCalendar file/],
    ["/redirect-to-file", /calendar address refused: only public internet addresses/],
  ];
  for (const [path, expected] of cases) {
    await withMember(async (sql, id) => {
      const timeoutMs = path === "/slow.ics" ? 200 : options.timeoutMs;
      const result = await runSync(sql, { teamMemberId: id }, { ...options, timeoutMs });
      assert.match(result.teamMembers[0].error ?? "", expected, path);
    }, path);
  }
});

Deno.test("a secret calendar address appears in no log line, error column, alert or response", async () => {
  await withMember(async (sql, id) => {
    const secret = feedUrl("/private-abcdef0123456789/secret-feed.ics?token=s3cr3tT0kenValue");
    await sql`select admin_set_calendar_secret(${id}::uuid, ${secret})`;
    const logged: string[] = [];
    const original = { log: console.log, error: console.error, warn: console.warn };
    console.log = console.error = console.warn = (...args: unknown[]) =>
      logged.push(args.map(String).join(" "));
    const responses: string[] = [];
    try {
      state.secretFeedLive = false;
      responses.push(JSON.stringify(await runSync(sql, { teamMemberId: id }, options)));
      state.secretFeedLive = true;
      responses.push(JSON.stringify(await runSync(sql, { teamMemberId: id }, options)));
    } finally {
      Object.assign(console, original);
    }
    assert.ok(
      responses[0].includes('"failed"') && responses[1].includes('"synced"'),
      "one failing, one succeeding sync",
    );
    assert.ok(
      logged.length >= 2 && logged.some((l) => l.includes(id)),
      "the team member is logged by name and id",
    );
    const [columns] = await sql`
      select coalesce((select string_agg(to_jsonb(m)::text, ' ') from team_members m where m.id = ${id}), '') ||
             coalesce((select string_agg(to_jsonb(a)::text, ' ') from admin_alerts a where a.team_member_id = ${id}), '') ||
             coalesce((select string_agg(to_jsonb(s)::text, ' ') from calendar_sync_state s where s.team_member_id = ${id}), '')
             as text`;
    const everything = [...logged, ...responses, columns.text].join("\n");
    for (
      const part of [
        secret,
        "private-abcdef0123456789",
        "secret-feed",
        "s3cr3tT0kenValue",
        "token=",
      ]
    ) {
      assert.ok(!everything.includes(part), `"${part}" leaked`);
    }
  });
});

Deno.test("a secret reference may name an environment variable instead (guide, option 2)", async () => {
  await withMember(async (sql, id) => {
    const name = `TEAM_MEMBER_${id.slice(0, 8).toUpperCase()}_CALENDAR_SECRET`;
    Deno.env.set(name, feedUrl("/ok.ics"));
    await sql`update team_members set calendar_source_url = null, calendar_secret_ref = ${name} where id = ${id}`;
    const result = await runSync(sql, { teamMemberId: id }, options);
    assert.equal(result.teamMembers[0].result, "synced");
    Deno.env.delete(name);
    await sql`delete from calendar_sync_state where team_member_id = ${id}`;
    const missing = await runSync(sql, { teamMemberId: id }, options);
    assert.match(missing.teamMembers[0].error ?? "", /neither in Vault nor in the environment/);
  });
});

Deno.test("the function refuses the anon key and a body that does not say which calendars", async () => {
  const post = (body: unknown, key: string) =>
    fetch(functionsUrl("calendar-sync"), {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const anon = await post({ all: true }, requireEnv("SUPABASE_ANON_KEY"));
  assert.equal(anon.status, 403);
  await anon.body?.cancel();
  const both = await post({ all: true, due: true }, requireEnv("SUPABASE_SERVICE_ROLE_KEY"));
  assert.equal(both.status, 400);
  assert.match(JSON.stringify(await both.json()), /exactly one of/);
});

Deno.test("stop the feed server", async () => {
  state.slowRequests.forEach((release) => release(undefined));
  await server.shutdown();
});
