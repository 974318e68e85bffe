import assert from "node:assert/strict";
import { functionsUrl, requireEnv } from "../../../local/tests/helpers.ts";
import { closeDb } from "../_shared/db.ts";
import { handler } from "./index.ts";

Deno.test("health tells the anon key only that it is ok", async () => {
  const res = await fetch(functionsUrl("health"), {
    headers: { Authorization: `Bearer ${requireEnv("SUPABASE_ANON_KEY")}` },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok" });
});

Deno.test("health reports the database as reachable to the service role, without versions", async () => {
  try {
    const res = await handler(
      new Request("http://localhost/functions/v1/health", {
        headers: { Authorization: `Bearer ${requireEnv("SUPABASE_SERVICE_ROLE_KEY")}` },
      }),
    );
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.database, "reachable");
    assert.ok(!JSON.stringify(body).match(/postgres|15\.\d/i), "no server version");
  } finally {
    await closeDb();
  }
});
