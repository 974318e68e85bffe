// GET/POST /functions/v1/health — proves the function runtime is up and reaches the database.
// Anyone with a valid key learns only "ok" (the anon key is public: no versions, no times); the
// service role also gets the database check's details.
import { jwtRole } from "../_shared/auth.ts";
import { db } from "../_shared/db.ts";
import { json, withErrors } from "../_shared/http.ts";

export const handler = withErrors("health", async (req) => {
  const [row] = await db()`select now() as checked_at`;
  if (jwtRole(req) !== "service_role") return json({ status: "ok" });
  return json({ status: "ok", database: "reachable", checkedAt: row.checked_at });
});

if (import.meta.main) Deno.serve(handler);
