// The point of the generated types: a migration that renames or drops something a function uses
// makes `deno check` fail, naming it. Shown on a copy of the functions whose generated types
// lose a column (team_members.calendar_sync_error) and a function argument
// (refresh_availability_cache's p_days), as `npm run gen:types` would after such a migration.
import assert from "node:assert/strict";

const projectDir = new URL("../../../", import.meta.url).pathname;

async function run(command: string, args: string[]) {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, text: decode(output.stdout) + decode(output.stderr) };
}

Deno.test("deno check fails, naming the column and argument, when a migration removes them", async () => {
  const copy = await Deno.makeTempDir({ prefix: "types-guard-" });
  try {
    await Deno.mkdir(`${copy}/supabase`);
    const copied = await run("cp", [
      "-r",
      `${projectDir}supabase/functions`,
      `${copy}/supabase/functions`,
    ]);
    assert.equal(copied.code, 0, copied.text);
    for (const file of ["deno.json", "deno.lock", "package.json"]) {
      await Deno.copyFile(`${projectDir}${file}`, `${copy}/${file}`);
    }
    const typesFile = `${copy}/supabase/functions/_shared/database.types.ts`;
    const types = await Deno.readTextFile(typesFile);
    assert.match(types, /calendar_sync_error: string \| null;/);
    assert.match(types, /p_days: number; p_from: string;/);
    await Deno.writeTextFile(
      typesFile,
      types.replaceAll("calendar_sync_error:", "sync_error_text:")
        .replace("p_days: number; p_from: string;", "p_day_count: number; p_from: string;"),
    );

    const checked = await run(Deno.execPath(), [
      "check",
      "--config",
      `${copy}/deno.json`,
      `${copy}/supabase/functions/calendar-sync/sync.ts`,
      `${copy}/supabase/functions/cache-refresh/index.ts`,
    ]);
    assert.notEqual(checked.code, 0, "deno check passed although the schema changed");
    assert.match(checked.text, /'calendar_sync_error' does not exist/);
    assert.match(checked.text, /'p_days' does not exist/);
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
});
