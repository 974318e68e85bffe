// npm test's "database types up to date" step: when the committed types differ from what the
// schema generates, each difference is named by where it sits (schema, table or function, part).
import assert from "node:assert/strict";

const localDir = new URL("../", import.meta.url).pathname;

async function typeDifferences(committed: string, fresh: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "types-drift-" });
  try {
    await Deno.writeTextFile(`${dir}/committed.ts`, committed);
    await Deno.writeTextFile(`${dir}/fresh.ts`, fresh);
    const script = `source "${localDir}lib.sh"; source "${localDir}types.sh"; ` +
      `type_differences "${dir}/committed.ts" "${dir}/fresh.ts"`;
    const output = await new Deno.Command("bash", { args: ["-c", script], stdout: "piped" })
      .output();
    assert.equal(output.code, 0);
    return new TextDecoder().decode(output.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// Shaped like database.types.ts after deno fmt.
const types = (bookingColumns: string[], functionArgs: string) =>
  `export type Database = {
  public: {
    Tables: {
      bookings: {
        Row: {
${bookingColumns.map((c) => `          ${c};`).join("\n")}
        };
        Relationships: [];
      };
    };
    Functions: {
      cancel_booking: {
        Args: ${functionArgs};
        Returns: undefined;
      };
    };
  };
};
`;

Deno.test("a stale types file is reported by table, function and part", async () => {
  const committed = types(["id: string", "status: string"], "{ p_booking_id: string }");
  const fresh = types(
    ["id: string", "status: string", "source: string"],
    "{ p_booking_id: string; p_now?: string }",
  );
  const report = await typeDifferences(committed, fresh);
  assert.equal(
    report,
    [
      "  + public.Tables.bookings.Row: source: string;",
      "  - public.Functions.cancel_booking: Args: { p_booking_id: string };",
      "  + public.Functions.cancel_booking: Args: { p_booking_id: string; p_now?: string };",
      "",
    ].join("\n"),
  );
});

Deno.test("a long list of differences is cut to what the test summary shows, with the count", async () => {
  const many = Array.from({ length: 30 }, (_, i) => `column_${i}: string`);
  const report = await typeDifferences(types([], "{}"), types(many, "{}"));
  const lines = report.trimEnd().split("\n");
  assert.equal(lines.length, 25);
  assert.equal(lines[0], "  + public.Tables.bookings.Row: column_0: string;");
  assert.match(lines[24], /^ {2}\.\.\. 6 more \(diff .*committed\.ts .*fresh\.ts\)$/);
});
