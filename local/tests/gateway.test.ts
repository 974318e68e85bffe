// The local gateway serves functions and honours verify_jwt as Supabase's gateway does.
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { verifyJwtSettings } from "../gateway_config.ts";
import { functionsUrl, requireEnv } from "./helpers.ts";

Deno.test("a function with verify_jwt answers 401 without a JWT", async () => {
  const res = await fetch(functionsUrl("health"));
  assert.equal(res.status, 401);
  assert.equal((await res.json()).message, "Missing authorization header");
});

Deno.test("a JWT signed with another secret is refused", async () => {
  const forged = await new SignJWT({ role: "service_role" })
    .setProtectedHeader({ alg: "HS256" })
    .sign(new TextEncoder().encode("a-different-secret-that-is-32-characters-long!"));
  const res = await fetch(functionsUrl("health"), {
    headers: { Authorization: `Bearer ${forged}` },
  });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).message, "Invalid JWT");
});

Deno.test("the anon key opens a verify_jwt function, which reaches the database", async () => {
  const res = await fetch(functionsUrl("health"), {
    headers: { Authorization: `Bearer ${requireEnv("SUPABASE_ANON_KEY")}` },
  });
  assert.equal(res.status, 200);
  // health answers "ok" only after a query; the anon key learns nothing more (issue #14).
  assert.deepEqual(await res.json(), { status: "ok" });
});

Deno.test("an unknown function is a 404", async () => {
  const res = await fetch(functionsUrl("no-such-function"));
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

Deno.test("verify_jwt defaults to true and honours false", () => {
  const settings = verifyJwtSettings(`
[functions.open]
verify_jwt = false
[functions.closed]
import_map = "../deno.json"
`);
  assert.equal(settings.get("open"), false);
  assert.equal(settings.get("closed"), true);
});
