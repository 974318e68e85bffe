import assert from "node:assert/strict";
import { parseEnv } from "./env.ts";

const valid = {
  SUPABASE_URL: "http://127.0.0.1:54321",
  SUPABASE_DB_URL: "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
  SUPABASE_ANON_KEY: "x".repeat(40),
  SUPABASE_SERVICE_ROLE_KEY: "y".repeat(40),
};

Deno.test("a complete environment parses, with defaults", () => {
  assert.equal(parseEnv(valid).DB_POOL_SIZE, 3);
});

Deno.test("a missing variable is named in the error", () => {
  const { SUPABASE_DB_URL: _, ...rest } = valid;
  assert.throws(() => parseEnv(rest), /SUPABASE_DB_URL: is missing/);
});

Deno.test("a bad variable is named, and its value is not echoed", () => {
  const secretish = "mysql://root:hunter2@db.internal/app";
  assert.throws(
    () => parseEnv({ ...valid, SUPABASE_DB_URL: secretish }),
    (error: Error) =>
      /SUPABASE_DB_URL: must be a postgres/.test(error.message) &&
      !error.message.includes("hunter2"),
  );
});
