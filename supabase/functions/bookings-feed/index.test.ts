import assert from "node:assert/strict";
import { functionsUrl, testDb } from "../../../local/tests/helpers.ts";
import { closeDb } from "../_shared/db.ts";
import { makeHandler } from "./index.ts";
import { parseWithPython } from "./validate.ts";

// The seed's Dr. Sarah Weber, Dental Cleaning, and customers Marie and Thomas.
const weber = "70000000-0000-4000-8000-000000000001";
const cleaning = "50000000-0000-4000-8000-000000000001";
const marie = "c0000000-0000-4000-8000-000000000001";
const thomas = "c0000000-0000-4000-8000-000000000002";
const now = new Date("2026-11-29T11:00:00Z");
const handler = makeHandler(() => now);
const feedUrl = (token: string) => `http://localhost/functions/v1/bookings-feed?token=${token}`;

async function withFeed(fn: (token: string, sql: ReturnType<typeof testDb>) => Promise<void>) {
  const sql = testDb();
  const [{ name }] = await sql`select name from contacts where id = ${marie}`;
  try {
    await sql`delete from bookings where id::text like 'b8100000-%'`;
    const [{ url }] = await sql`select admin_rotate_booking_feed(${weber}) as url`;
    await fn(new URL(url, "http://x").searchParams.get("token")!, sql);
  } finally {
    await sql`delete from bookings where id::text like 'b8100000-%'`;
    await sql`update contacts set name = ${name} where id = ${marie}`;
    await sql`delete from team_member_booking_feeds where team_member_id = ${weber}`;
    await sql.end();
    await closeDb();
  }
}

Deno.test("the feed shows upcoming bookings with service and first name, nothing else", async () => {
  await withFeed(async (token, sql) => {
    await sql`update contacts set name = 'Marie Schmidt' where id = ${marie}`;
    await sql`insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status) values
      ('b8100000-0000-4000-8000-000000000001', ${marie}, ${cleaning}, ${weber}, '2026-12-01 10:00+01', '2026-12-01 11:00+01', 'confirmed'),
      ('b8100000-0000-4000-8000-000000000002', ${thomas}, ${cleaning}, ${weber}, '2027-03-29 08:00+02', '2027-03-29 09:00+02', 'confirmed'),
      ('b8100000-0000-4000-8000-000000000003', ${thomas}, ${cleaning}, ${weber}, '2026-12-02 10:00+01', '2026-12-02 11:00+01', 'cancelled')`;
    const res = await handler(new Request(feedUrl(token)));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/calendar; charset=utf-8");
    assert.equal(res.headers.get("cache-control"), "private, no-store");
    const body = await res.text();
    const feed = await parseWithPython(body);
    assert.deepEqual(feed.zones, ["Europe/Zurich"]);
    assert.deepEqual(feed.events.map((e) => [e.uid.split("@")[0], e.summary, e.start]), [
      [
        "b8100000-0000-4000-8000-000000000001",
        "Dental Cleaning: Marie",
        "2026-12-01T10:00:00+01:00",
      ],
      [
        "b8100000-0000-4000-8000-000000000002",
        "Dental Cleaning: Thomas",
        "2027-03-29T08:00:00+02:00",
      ],
    ]);
    // No phone numbers, surnames or contact ids anywhere in the feed.
    const [marieRow, thomasRow] =
      await sql`select whatsapp_id, name from contacts where id in (${marie}, ${thomas}) order by id`;
    for (
      const secret of [
        marieRow.whatsapp_id,
        thomasRow.whatsapp_id,
        "Schmidt",
        "Becker",
        marie,
        thomas,
        "+41 79 123 4567",
      ]
    ) {
      assert.ok(!body.includes(secret), `the feed must not contain ${secret}`);
    }
    assert.ok(!body.replace(/\r\n /g, "").includes(token), "nor its own token");
  });
});

Deno.test("a change bumps SEQUENCE under the same UID; a cancelled booking disappears", async () => {
  await withFeed(async (token, sql) => {
    await sql`insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status) values
      ('b8100000-0000-4000-8000-000000000004', ${marie}, ${cleaning}, ${weber}, '2026-12-01 10:00+01', '2026-12-01 11:00+01', 'confirmed')`;
    const before = await parseWithPython(await (await handler(new Request(feedUrl(token)))).text());
    await sql`update bookings set starts_at = '2026-12-01 14:00+01', ends_at = '2026-12-01 15:00+01'
              where id = 'b8100000-0000-4000-8000-000000000004'`;
    const after = await parseWithPython(await (await handler(new Request(feedUrl(token)))).text());
    assert.equal(after.events[0].uid, before.events[0].uid);
    assert.ok(after.events[0].sequence > before.events[0].sequence);
    assert.equal(after.events[0].start, "2026-12-01T14:00:00+01:00");
    await sql`update bookings set status = 'cancelled' where id = 'b8100000-0000-4000-8000-000000000004'`;
    const cancelled = await parseWithPython(
      await (await handler(new Request(feedUrl(token)))).text(),
    );
    assert.deepEqual(cancelled.events, []);
  });
});

Deno.test("a wrong, malformed or rotated token gets 404 and nothing else", async () => {
  await withFeed(async (token, sql) => {
    for (
      const bad of [
        "",
        "x",
        "A".repeat(43),
        token.slice(0, 42) + (token[42] === "A" ? "B" : "A"),
        "%0d%0a",
        "A".repeat(100_000),
      ]
    ) {
      const res = await handler(new Request(feedUrl(bad)));
      assert.equal(res.status, 404, JSON.stringify(bad.slice(0, 50)));
      assert.equal(await res.text(), "Not found\n");
    }
    await sql`select admin_rotate_booking_feed(${weber})`;
    const res = await handler(new Request(feedUrl(token)));
    assert.equal(res.status, 404, "the rotated token");
    await res.body?.cancel();
    const post = await handler(new Request(feedUrl(token), { method: "POST" }));
    assert.equal(post.status, 405);
    await post.body?.cancel();
  });
});

Deno.test("calendar apps reach the feed through the gateway without a JWT (verify_jwt = false)", async () => {
  await withFeed(async (token) => {
    const ok = await fetch(`${functionsUrl("bookings-feed")}?token=${token}`);
    assert.equal(ok.status, 200);
    await parseWithPython(await ok.text());
    const wrong = await fetch(`${functionsUrl("bookings-feed")}?token=${"A".repeat(43)}`);
    assert.equal(wrong.status, 404);
    await wrong.body?.cancel();
  });
});
