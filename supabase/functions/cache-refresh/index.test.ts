import assert from "node:assert/strict";
import { functionsUrl, requireEnv, testDb } from "../../../local/tests/helpers.ts";

const serviceKey = () => requireEnv("SUPABASE_SERVICE_ROLE_KEY");

async function post(body: unknown, key: string): Promise<Response> {
  return await fetch(functionsUrl("cache-refresh"), {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

Deno.test("cache-refresh refuses the anon key", async () => {
  const res = await post({}, requireEnv("SUPABASE_ANON_KEY"));
  assert.equal(res.status, 403);
  await res.body?.cancel();
});

Deno.test("cache-refresh rejects a bad body and says why", async () => {
  const res = await post({ days: 0, extra: true }, serviceKey());
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error, "Invalid request body");
  assert.ok(body.details.some((d: { path: string }) => d.path === "days"));
});

// The seed's five team members with calendars and the services each offers (supabase/seed.sql);
// the General Calendar offers nothing and is not bookable. Written out here rather than queried,
// so the expectation does not share the function's own query.
const seedOffers = [
  "Dr. Müller: Dental Cleaning",
  "Dr. Müller: Tooth Filling",
  "Dr. Sarah Weber: Dental Cleaning",
  "Dr. Sarah Weber: Dental Implant",
  "Dr. Sarah Weber: Teeth Whitening",
  "Dr. Sarah Weber: Tooth Filling",
  "Dr. Schmidt: Dental Cleaning",
  "Dr. Schmidt: Tooth Filling",
  "Michael: Deep Tissue Massage",
  "Sarah: Deep Tissue Massage",
];

Deno.test("cache-refresh fills the cache for every bookable member in batches", async () => {
  const sql = testDb();
  try {
    // Entries present afterwards were written by this call (no wall-clock "fresh" window).
    await sql`delete from availability_cache where date between '2026-12-07' and '2026-12-09'`;
    const res = await post({ from: "2026-12-07", days: 3, batchSize: 2 }, serviceKey());
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(
      [body.teamMembers, body.batches, body.entries],
      [5, 3, seedOffers.length * 3],
      "five members in batches of two, one entry per offered service and day",
    );
    const rows = await sql<{ offer: string; dates: string[] }[]>`
      select m.name || ': ' || s.name as offer, array_agg(c.date::text order by c.date) as dates
      from availability_cache c join team_members m on m.id = c.team_member_id join services s on s.id = c.service_id
      where c.date between '2026-12-07' and '2026-12-09' and c.last_synced is not null
      group by 1 order by 1`;
    assert.deepEqual(rows.map((r) => r.offer), seedOffers);
    for (const row of rows) {
      assert.deepEqual(row.dates, ["2026-12-07", "2026-12-08", "2026-12-09"], row.offer);
    }
  } finally {
    await sql.end();
  }
});
