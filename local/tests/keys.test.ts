// The local anon and service_role keys must not stop working on a date (Supabase's demo keys
// expire in January 2027), and the gateway must still refuse a key that has expired.
import assert from "node:assert/strict";
import { decodeJwt, SignJWT } from "jose";
import { functionsUrl, requireEnv } from "./helpers.ts";

Deno.test("the generated local keys are valid for decades, not until a date next year", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-env",
      new URL("../keys.ts", import.meta.url).pathname,
      requireEnv("JWT_SECRET"),
    ],
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const keys = Object.fromEntries(
    new TextDecoder().decode(out.stdout).trim().split("\n").map((line) => line.split("=", 2)),
  );
  for (const name of ["SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY"]) {
    const { exp } = decodeJwt(keys[name]);
    assert.ok(exp! > Date.UTC(2090, 0, 1) / 1000, `${name} expires at ${exp}`);
  }
});

Deno.test("the gateway refuses a correctly signed key that has expired", async () => {
  const expired = await new SignJWT({ role: "service_role" })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt(Date.UTC(2020, 0, 1) / 1000)
    .setExpirationTime(Date.UTC(2020, 0, 2) / 1000)
    .sign(new TextEncoder().encode(requireEnv("JWT_SECRET")));
  const res = await fetch(functionsUrl("health"), {
    headers: { Authorization: `Bearer ${expired}` },
  });
  assert.equal(res.status, 401);
  await res.body?.cancel();
});
