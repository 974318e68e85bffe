// A failing admin_set_calendar_secret(...) must not write the secret into the Postgres log
// (issue #14, item 17). With bound parameters (supabase-js rpc, postgres.js) the logged
// statement shows $1/$2 and parameters are not logged on error; literal SQL typed into Studio is
// the residual risk the README describes.
import assert from "node:assert/strict";
import { requireEnv, testDb } from "../../local/tests/helpers.ts";

Deno.test("failed secret calls leave the secret out of the Postgres log", async () => {
  const log = `${requireEnv("STACK_DIR")}/postgres.log`;
  const before = (await Deno.readTextFile(log)).length;
  const sql = testDb();
  const secret = `https://calendar.example/private-${crypto.randomUUID()}/basic.ics`;
  try {
    await assert.rejects(
      () => sql`select admin_set_calendar_secret(${crypto.randomUUID()}::uuid, ${secret})`,
      /does not exist/,
    );
  } finally {
    await sql.end();
  }
  const written = (await Deno.readTextFile(log)).slice(before);
  assert.match(written, /admin_set_calendar_secret/, "the failures were logged");
  assert.ok(!written.includes(secret), "but not the secret");
});
