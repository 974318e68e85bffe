import assert from "node:assert/strict";
import { closeDb } from "../_shared/db.ts";
import { handler } from "./index.ts";

Deno.test("health reports the database as reachable", async () => {
  try {
    const res = await handler(new Request("http://localhost/functions/v1/health"));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.database, "reachable");
    assert.match(body.postgres, /^15\./);
  } finally {
    await closeDb();
  }
});
