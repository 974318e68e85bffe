// A failing call that sets a calendar secret must not write the secret into the Postgres log
// (issue #14, item 17). With bound parameters (supabase-js rpc, postgres.js) the logged statement
// shows $1/$2; from Studio's SQL editor (literal SQL), admin_use_calendar_secret takes the secret
// from a Vault entry by name, so the statement never contains it.
import assert from "node:assert/strict";
import { requireEnv, testDb } from "../../local/tests/helpers.ts";

const logFile = () => `${requireEnv("STACK_DIR")}/postgres.log`;

Deno.test("failed secret calls with bound parameters leave the secret out of the Postgres log", async () => {
  const before = (await Deno.readTextFile(logFile())).length;
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
  const written = (await Deno.readTextFile(logFile())).slice(before);
  assert.match(written, /admin_set_calendar_secret/, "the failure was logged");
  assert.ok(!written.includes(secret), "but not the secret");
});

Deno.test("Studio's literal SQL: a secret taken from a Vault entry by name never reaches the log", async () => {
  const sql = testDb();
  const secret = `https://calendar.example/private-${crypto.randomUUID()}/basic.ics`;
  const name = `studio_entry_${crypto.randomUUID().slice(0, 8)}`;
  const [member] = await sql`insert into team_members (name, calendar_provider)
    values (${"Vault entry test " + name}, 'ical') returning id`;
  const before = (await Deno.readTextFile(logFile())).length;
  try {
    await sql`select vault.create_secret(${secret}, ${name})`;
    // As typed into the SQL editor: literal text, no parameters.
    await assert.rejects(
      () =>
        sql.unsafe(
          `select admin_use_calendar_secret('${crypto.randomUUID()}', '${name}')`,
        ),
      /does not exist/,
    );
    await sql.unsafe(`select admin_use_calendar_secret('${member.id}', '${name}')`);
    const [stored] = await sql`select private.calendar_secret(${member.id}::uuid) as secret`;
    assert.equal(stored.secret, secret, "the team member's own entry holds the secret");
  } finally {
    await sql`delete from team_members where id = ${member.id}`;
    await sql`delete from vault.secrets where name = ${name} or name like ${
      "team_member_" + member.id.replaceAll("-", "_") + "%"
    }`;
    await sql.end();
  }
  const written = (await Deno.readTextFile(logFile())).slice(before);
  assert.match(written, /admin_use_calendar_secret/, "the failure was logged");
  assert.ok(!written.includes(secret), "but not the secret");
});
