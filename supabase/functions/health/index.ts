// GET/POST /functions/v1/health — proves the function runtime is up and reaches the database.
import { db } from "../_shared/db.ts";
import { json, withErrors } from "../_shared/http.ts";

export const handler = withErrors("health", async (_req) => {
  const [row] =
    await db()`select now() as checked_at, current_setting('server_version') as postgres`;
  return json({
    status: "ok",
    database: "reachable",
    postgres: row.postgres,
    checkedAt: row.checked_at,
  });
});

if (import.meta.main) Deno.serve(handler);
