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

Deno.test("cache-refresh fills the cache for every bookable member in batches", async () => {
  const sql = testDb();
  try {
    const res = await post({ from: "2026-12-07", days: 3, batchSize: 2 }, serviceKey());
    assert.equal(res.status, 200);
    const body = await res.json();
    const [expected] = await sql`
      select count(*)::int as members,
             (select count(*)::int from team_member_services l join team_members m on m.id = l.team_member_id
              join services s on s.id = l.service_id where m.is_active and m.is_bookable and s.is_active) as links
      from team_members where is_active and is_bookable`;
    assert.equal(body.teamMembers, expected.members);
    assert.equal(body.batches, Math.ceil(expected.members / 2));
    assert.equal(body.entries, expected.links * 3);
    const [fresh] = await sql`
      select count(*)::int as n from availability_cache
      where date between '2026-12-07' and '2026-12-09' and last_synced > now() - interval '1 minute'`;
    assert.equal(fresh.n, expected.links * 3);
  } finally {
    await sql.end();
  }
});
