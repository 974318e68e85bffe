// Reading busy time from Google Calendar and Outlook through calendar-sync, against the local
// fakes (local/fakes): full read with paging, incremental after a change, an expired sync
// position, throttling, outages, a revoked grant and reconnecting, Microsoft's rotating refresh
// tokens; and no token or client secret anywhere a person could see it.
import assert from "node:assert/strict";
import { runSync, type SyncOptions } from "../../calendar-sync/sync.ts";
import {
  at,
  busyTimes,
  connect,
  day,
  deleteEvent,
  fake,
  type FakeProvider,
  openPage,
  putEvent,
  type Sql,
  withMember,
} from "../../calendar-oauth-callback/test_helpers.ts";
import { connectLink, consent } from "../../calendar-oauth-callback/test_helpers.ts";
import { connectedProvider } from "./connected.ts";
import { closeDb } from "../db.ts";
import { eventually } from "../../../../local/tests/helpers.ts";

const waits: number[] = [];
const options: SyncOptions = {
  timeoutMs: 5000,
  maxBytes: 1_000_000,
  providers: {
    google: connectedProvider("google", { sleep: (ms) => (waits.push(ms), Promise.resolve()) }),
    outlook: connectedProvider("outlook", { sleep: (ms) => (waits.push(ms), Promise.resolve()) }),
  },
};

const newAccount = () => `sync-${crypto.randomUUID().slice(0, 8)}`;
// A connect queues a test sync of its own (through pg_net); while that run holds the member's
// claim, another run takes nothing, so this waits until the member can be claimed.
const sync = (sql: Sql, id: string) =>
  eventually(async () => (await runSync(sql, { teamMemberId: id }, options)).teamMembers[0]);
const uids = async (sql: Sql, id: string) => (await busyTimes(sql, id)).map((b) => b.uid);
const log = async (provider: FakeProvider, account: string) =>
  (await fake(provider, account, "log", { method: "GET" })).log as string[];

// Google events as events.list returns them (singleEvents: instances of a series are events).
const g = (start: number, end: number, extra: Record<string, unknown> = {}) => ({
  status: "confirmed",
  start: { dateTime: at(start) },
  end: { dateTime: at(end) },
  ...extra,
});

Deno.test("Google: a full read keeps exactly the busy events, all pages, all-day as business days", async () => {
  await withMember(async (sql, id) => {
    const account = newAccount();
    await putEvent("google", account, "busy1", g(8, 9));
    await putEvent(
      "google",
      account,
      "series1_20261201T090000Z",
      g(32, 33, { recurringEventId: "series1" }),
    );
    await putEvent("google", account, "free1", g(10, 11, { transparency: "transparent" }));
    await putEvent(
      "google",
      account,
      "declined1",
      g(12, 13, {
        attendees: [{ self: true, responseStatus: "declined" }, {
          email: "x@example.com",
          responseStatus: "accepted",
        }],
      }),
    );
    await putEvent("google", account, "ooo1", g(14, 15, { eventType: "outOfOffice" }));
    await putEvent("google", account, "focus1", g(16, 17, { eventType: "focusTime" }));
    await putEvent("google", account, "where1", g(18, 19, { eventType: "workingLocation" }));
    await putEvent(
      "google",
      account,
      "ours1",
      g(20, 21, { extendedProperties: { private: { staffAwareBookingId: "b-1" } } }),
    );
    await putEvent("google", account, "allday1", {
      start: { date: day(3) },
      end: { date: day(4) },
    });
    await putEvent("google", account, "tentative1", g(22, 23, { status: "tentative" }));
    await putEvent("google", account, "far1", g(24 * 400, 24 * 400 + 1)); // beyond the horizon
    assert.equal((await connect(sql, id, "google", account)).status, "active");

    assert.deepEqual(await uids(sql, id), [
      "busy1",
      "ooo1",
      "focus1",
      "tentative1",
      "series1_20261201T090000Z",
      "allday1",
    ]);
    const [allDay] =
      await sql`select to_char(starts_at at time zone 'Europe/Zurich', 'YYYY-MM-DD HH24:MI') as s,
        to_char(ends_at at time zone 'Europe/Zurich', 'YYYY-MM-DD HH24:MI') as e
      from calendar_busy_times where team_member_id = ${id} and source_uid = 'allday1'`;
    assert.deepEqual(
      allDay,
      { s: `${day(3)} 00:00`, e: `${day(4)} 00:00` },
      "all-day = the business day",
    );
    const reads = await log("google", account);
    assert.ok(
      reads.filter((r) => r.includes("pageToken=")).length >= 4,
      "every page was read (2 per page)",
    );
    assert.ok(reads.every((r) => r.includes("singleEvents=true")));
  });
});

Deno.test("Google: the next sync is incremental and applies additions, moves and deletions", async () => {
  await withMember(async (sql, id) => {
    const account = newAccount();
    await putEvent("google", account, "keep1", g(8, 9));
    await putEvent("google", account, "move1", g(10, 11));
    await putEvent("google", account, "gone1", g(12, 13));
    await putEvent("google", account, "series2_a", g(14, 15, { recurringEventId: "series2" }));
    await putEvent("google", account, "series2_b", g(38, 39, { recurringEventId: "series2" }));
    await connect(sql, id, "google", account);
    await putEvent("google", account, "new1", g(30, 31));
    await putEvent("google", account, "move1", g(40, 42));
    await deleteEvent("google", account, "gone1");
    await putEvent("google", account, "keep1", g(8, 9, { transparency: "transparent" })); // now free
    await deleteEvent("google", account, "series2"); // not stored: only its instances are
    const before = (await log("google", account)).length;
    const result = await sync(sql, id);
    assert.equal(result.result, "synced", result.error);
    const reads = (await log("google", account)).slice(before);
    assert.ok(
      reads.length >= 1 && reads.every((r) => r.includes("syncToken=") && !r.includes("timeMin")),
      "incremental",
    );
    assert.deepEqual(await uids(sql, id), ["series2_a", "new1", "series2_b", "move1"]);
    const moved = (await busyTimes(sql, id)).find((b) => b.uid === "move1")!;
    assert.equal(moved.starts_at.toISOString(), at(40));
    assert.equal(moved.ends_at.toISOString(), at(42));
  });
});

Deno.test("Google: an expired sync token (410) starts over with a full read", async () => {
  await withMember(async (sql, id) => {
    const account = newAccount();
    await putEvent("google", account, "a1", g(8, 9));
    await connect(sql, id, "google", account);
    await deleteEvent("google", account, "a1");
    await putEvent("google", account, "b1", g(10, 11));
    await fake("google", account, "expire-sync");
    const before = (await log("google", account)).length;
    assert.equal((await sync(sql, id)).result, "synced");
    const reads = (await log("google", account)).slice(before);
    assert.ok(
      reads[0].includes("syncToken=") && reads.at(-1)!.includes("timeMin="),
      "410, then full",
    );
    assert.deepEqual(await uids(sql, id), ["b1"]);
  });
});

Deno.test("throttling waits for Retry-After; an outage fails the sync and keeps the busy times", async () => {
  await withMember(async (sql, id) => {
    const account = newAccount();
    await putEvent("google", account, "a1", g(8, 9));
    await connect(sql, id, "google", account);
    await putEvent("google", account, "b1", g(10, 11));
    await fake("google", account, "fail", {
      body: {
        status: 429,
        retryAfter: "7",
        body: {
          error: {
            errors: [{
              domain: "usageLimits",
              reason: "rateLimitExceeded",
              message: "Rate Limit Exceeded",
            }],
            code: 429,
            message: "Rate Limit Exceeded",
          },
        },
      },
    });
    waits.length = 0;
    assert.equal((await sync(sql, id)).result, "synced");
    assert.deepEqual(waits, [7000], "waited as long as Retry-After said");
    assert.deepEqual(await uids(sql, id), ["a1", "b1"]);

    await fake("google", account, "fail", { body: { status: 503 } });
    const failed = await sync(sql, id);
    assert.equal(failed.result, "failed");
    assert.equal(failed.error, "Google Calendar is unavailable (HTTP 503)");
    assert.deepEqual(await uids(sql, id), ["a1", "b1"], "a failed sync deletes nothing");

    await fake("google", account, "fail", { body: { status: 429, retryAfter: "3600" } });
    const throttled = await sync(sql, id);
    assert.match(throttled.error ?? "", /rate limiting us; retry after 3600 s/);
  });
});

Deno.test("a revoked grant makes the member unbookable with an alert to reconnect; reconnecting restores", async () => {
  await withMember(async (sql, id, name) => {
    const account = newAccount();
    await putEvent("google", account, "a1", g(8, 9));
    await connect(sql, id, "google", account);
    await fake("google", account, "revoke");
    const failed = await sync(sql, id);
    assert.equal(failed.result, "failed");
    assert.match(failed.error ?? "", /access was revoked or has expired: reconnect the calendar/);
    const [state] = await sql`select is_bookable, calendar_sync_status,
        (select message from admin_alerts a where a.team_member_id = m.id and resolved_at is null) as alert
      from team_members m where id = ${id}`;
    assert.equal(state.is_bookable, false, "unbookable at once");
    assert.equal(state.calendar_sync_status, "error");
    assert.ok(state.alert.includes(`admin_calendar_connect_link('${id}', 'google')`), state.alert);
    assert.ok(state.alert.includes(name));
    assert.deepEqual(await uids(sql, id), ["a1"], "known busy times stay");

    const page = await openPage(await consent(await connectLink(sql, id, "google"), account));
    assert.equal(page.status, 200);
    const [restored] = await sql`select is_bookable from team_members where id = ${id}`;
    assert.equal(restored.is_bookable, true, "bookable again once reconnected");
    // The test sync the reconnect queued resolves the alert.
    await eventually(async () => {
      const [row] =
        await sql`select count(*)::int as open from admin_alerts where team_member_id = ${id} and resolved_at is null`;
      return row.open === 0 ? true : undefined;
    }, 20_000);
  });
});

// Outlook events as calendarView/delta returns them (times in UTC: Prefer outlook.timezone).
const o = (start: number, end: number, extra: Record<string, unknown> = {}) => ({
  showAs: "busy",
  isCancelled: false,
  isAllDay: false,
  type: "singleInstance",
  start: { dateTime: at(start).replace("Z", ".0000000").replace(".000.", "."), timeZone: "UTC" },
  end: { dateTime: at(end).replace("Z", ".0000000").replace(".000.", "."), timeZone: "UTC" },
  ...extra,
});

Deno.test("Outlook: showAs rules, all-day, delta with @removed, rotating refresh tokens, 410 resync", async () => {
  await withMember(async (sql, id) => {
    const account = newAccount();
    await putEvent("microsoft", account, "busy", o(8, 9));
    await putEvent("microsoft", account, "tentative", o(10, 11, { showAs: "tentative" }));
    await putEvent("microsoft", account, "oof", o(12, 13, { showAs: "oof" }));
    await putEvent("microsoft", account, "free", o(14, 15, { showAs: "free" }));
    await putEvent("microsoft", account, "elsewhere", o(16, 17, { showAs: "workingElsewhere" }));
    await putEvent("microsoft", account, "cancelled", o(18, 19, { isCancelled: true }));
    await putEvent(
      "microsoft",
      account,
      "declined",
      o(20, 21, { responseStatus: { response: "declined" } }),
    );
    await putEvent(
      "microsoft",
      account,
      "zurich",
      o(22, 23, {
        start: { dateTime: `${day(2)}T09:00:00.0000000`, timeZone: "W. Europe Standard Time" },
        end: { dateTime: `${day(2)}T10:00:00.0000000`, timeZone: "W. Europe Standard Time" },
      }),
    );
    await putEvent(
      "microsoft",
      account,
      "allday",
      o(0, 24, {
        isAllDay: true,
        start: { dateTime: `${day(5)}T00:00:00.0000000`, timeZone: "UTC" },
        end: { dateTime: `${day(6)}T00:00:00.0000000`, timeZone: "UTC" },
      }),
    );
    assert.equal((await connect(sql, id, "outlook", account)).status, "active");
    assert.deepEqual(await uids(sql, id), ["busy", "tentative", "oof", "zurich", "allday"]);
    const [local] =
      await sql`select to_char(starts_at at time zone 'Europe/Zurich', 'HH24:MI') as s,
        (select to_char(starts_at at time zone 'Europe/Zurich', 'YYYY-MM-DD HH24:MI') from calendar_busy_times
          where team_member_id = ${id} and source_uid = 'allday') as allday
      from calendar_busy_times where team_member_id = ${id} and source_uid = 'zurich'`;
    assert.deepEqual(
      local,
      { s: "09:00", allday: `${day(5)} 00:00` },
      "Windows zone names and all-day days",
    );

    const [{ secret: first }] = await sql`select private.calendar_secret(${id}::uuid) as secret`;
    await deleteEvent("microsoft", account, "busy");
    await putEvent("microsoft", account, "free", o(14, 15, { showAs: "busy" }));
    const before = (await log("microsoft", account)).length;
    assert.equal((await sync(sql, id)).result, "synced");
    assert.ok(
      (await log("microsoft", account)).slice(before).every((r) => r.includes("deltatoken")),
      "delta link used",
    );
    assert.deepEqual(await uids(sql, id), ["tentative", "oof", "free", "zurich", "allday"]);
    const [{ secret: second }] = await sql`select private.calendar_secret(${id}::uuid) as secret`;
    assert.notEqual(
      second,
      first,
      "Microsoft's new refresh token was stored (the old one no longer works)",
    );

    await fake("microsoft", account, "expire-sync");
    await putEvent("microsoft", account, "late", o(30, 31));
    assert.equal((await sync(sql, id)).result, "synced", "syncStateNotFound: full read again");
    assert.deepEqual(await uids(sql, id), ["tentative", "oof", "free", "late", "zurich", "allday"]);
  });
});

Deno.test("refresh and access tokens and client secrets appear in no log line, column, alert or response", async () => {
  await withMember(async (sql, id) => {
    const account = newAccount();
    await putEvent("microsoft", account, "a", o(8, 9));
    const logged: string[] = [];
    const original = { log: console.log, error: console.error, warn: console.warn };
    console.log = console.error = console.warn = (...args: unknown[]) =>
      logged.push(args.map(String).join(" "));
    const responses: string[] = [];
    try {
      const back = await consent(await connectLink(sql, id, "outlook"), account);
      responses.push((await openPage(back)).text, (await openPage(back)).text);
      responses.push(JSON.stringify(await sync(sql, id)));
      await fake("microsoft", account, "fail", { body: { status: 503 } });
      responses.push(JSON.stringify(await sync(sql, id)));
      await fake("microsoft", account, "revoke");
      responses.push(JSON.stringify(await sync(sql, id)));
    } finally {
      Object.assign(console, original);
    }
    const [columns] = await sql`
      select concat_ws(' ',
        (select string_agg(to_jsonb(m)::text, ' ') from team_members m where m.id = ${id}),
        (select string_agg(to_jsonb(a)::text, ' ') from admin_alerts a where a.team_member_id = ${id}),
        (select string_agg(to_jsonb(s)::text, ' ') from calendar_sync_state s where s.team_member_id = ${id}),
        (select string_agg(to_jsonb(s)::text, ' ') from private.calendar_provider_sync s where s.team_member_id = ${id}),
        (select string_agg(to_jsonb(s)::text, ' ') from private.calendar_oauth_states s where s.team_member_id = ${id}),
        (select string_agg(to_jsonb(r)::text, ' ') from net._http_response r where r.created > now() - interval '5 minutes'),
        (select string_agg(to_jsonb(q)::text, ' ') from net.http_request_queue q)) as text`;
    const issued: string[] = (await fake("microsoft", account, "log", { method: "GET" })).issued;
    assert.ok(issued.length >= 4, "tokens were issued");
    const secrets = [
      ...issued,
      Deno.env.get("MICROSOFT_CLIENT_SECRET")!,
      Deno.env.get("GOOGLE_CLIENT_SECRET")!,
    ];
    const everything = [...logged, ...responses, columns.text].join("\n");
    for (const secret of secrets) {
      assert.ok(!everything.includes(secret), `a token or secret leaked`);
    }
    assert.ok(logged.some((l) => l.includes(id)), "the member is logged by id");
  });
});

Deno.test({
  name: "close the shared pool",
  fn: closeDb,
  sanitizeOps: false,
  sanitizeResources: false,
});
