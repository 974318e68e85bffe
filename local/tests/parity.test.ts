// The local Supabase parity layer behaves like the hosted platform where the project relies on it.
import assert from "node:assert/strict";
import { eventually, functionsUrl, requireEnv, testDb } from "./helpers.ts";

Deno.test("auth.uid(), auth.role() and auth.jwt() read request.jwt.claims", async () => {
  const sql = testDb();
  try {
    const sub = crypto.randomUUID();
    const claims = JSON.stringify({ sub, role: "authenticated", app_metadata: { role: "admin" } });
    const [row] = await sql.begin((tx) =>
      tx`select set_config('request.jwt.claims', ${claims}, true),
                auth.uid() as uid, auth.role() as role, auth.jwt() -> 'app_metadata' ->> 'role' as app_role`
    );
    assert.equal(row.uid, sub);
    assert.equal(row.role, "authenticated");
    assert.equal(row.app_role, "admin");
  } finally {
    await sql.end();
  }
});

Deno.test("a Vault secret round-trips and is stored encrypted", async () => {
  const sql = testDb();
  const plain = `https://calendar.example/private-${crypto.randomUUID()}/basic.ics`;
  const name = `parity_test_${crypto.randomUUID()}`;
  try {
    const [{ id }] = await sql`select vault.create_secret(${plain}, ${name}, 'test') as id`;
    const [stored] =
      await sql`select to_jsonb(s)::text as row from vault.secrets s where id = ${id}`;
    assert.ok(!stored.row.includes(plain), "vault.secrets row contains the plain text");
    assert.ok(!stored.row.includes("private-"), "vault.secrets row leaks part of the plain text");
    const [read] = await sql`select decrypted_secret from vault.decrypted_secrets where id = ${id}`;
    assert.equal(read.decrypted_secret, plain);

    const rotated = `${plain}?rotated`;
    await sql`select vault.update_secret(${id}, ${rotated})`;
    const [again] =
      await sql`select decrypted_secret, name from vault.decrypted_secrets where id = ${id}`;
    assert.equal(again.decrypted_secret, rotated);
    assert.equal(again.name, name);
  } finally {
    await sql`delete from vault.secrets where name = ${name}`;
    await sql.end();
  }
});

Deno.test("API roles cannot read the Vault", async () => {
  const sql = testDb();
  try {
    for (const role of ["anon", "authenticated"]) {
      await assert.rejects(
        sql.begin(async (tx) => {
          await tx.unsafe(`set local role ${role}`);
          await tx`select * from vault.decrypted_secrets`;
        }),
        /permission denied/,
        `${role} could read vault.decrypted_secrets`,
      );
    }
  } finally {
    await sql.end();
  }
});

Deno.test("net.http_post is delivered by the worker and its response recorded", async () => {
  const sql = testDb();
  try {
    const headers = {
      "Content-Type": "application/json",
      Authorization: `Bearer ${requireEnv("SUPABASE_SERVICE_ROLE_KEY")}`,
    };
    const [{ id }] = await sql`
      select net.http_post(${functionsUrl("health")}, '{"probe": true}'::jsonb,
                           headers => ${sql.json(headers)}) as id`;
    const response = await eventually(async () => {
      const [row] =
        await sql`select status_code, content, timed_out from net._http_response where id = ${id}`;
      return row;
    });
    assert.equal(response.status_code, 200);
    assert.equal(response.timed_out, false);
    assert.equal(JSON.parse(response.content).status, "ok");
    const [queued] =
      await sql`select count(*)::int as n from net.http_request_queue where id = ${id}`;
    assert.equal(queued.n, 0, "a delivered request leaves the queue");
  } finally {
    await sql.end();
  }
});

Deno.test("net.http_get to an unreachable address records an error, not a crash", async () => {
  const sql = testDb();
  try {
    const [{ id }] = await sql`select net.http_get('http://127.0.0.1:9/nothing-here') as id`;
    const response = await eventually(async () => {
      const [row] =
        await sql`select status_code, error_msg from net._http_response where id = ${id}`;
      return row;
    });
    assert.equal(response.status_code, null);
    assert.match(response.error_msg, /connect/i);
  } finally {
    await sql.end();
  }
});

Deno.test("the parity layer refuses a database that has Supabase's own auth schema", async () => {
  const sql = testDb();
  const dbName = `parity_guard_${Date.now()}`;
  try {
    await sql.unsafe(`create database ${dbName}`);
    const scratchUrl = requireEnv("SUPABASE_DB_URL").replace(/\/postgres$/, `/${dbName}`);
    const psql = (args: string[]) =>
      new Deno.Command("psql", { args: [scratchUrl, "-X", "-v", "ON_ERROR_STOP=1", ...args] })
        .output();
    await psql(["-c", "create schema auth"]);
    const guard = new URL("../parity/00_guard_and_roles.sql", import.meta.url).pathname;
    const result = await psql(["-f", guard]);
    assert.equal(result.success, false);
    assert.match(new TextDecoder().decode(result.stderr), /not the local parity layer/);
  } finally {
    await sql.unsafe(`drop database if exists ${dbName}`);
    await sql.end();
  }
});
