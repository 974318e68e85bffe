// The schema as an admin sees it in Supabase Studio, read through the same service Studio uses
// (postgres-meta): RLS on, policies named in plain English, a comment on every table, view,
// column and admin-callable function.
import assert from "node:assert/strict";
import { requireEnv } from "../../local/tests/helpers.ts";
import { PostgresMeta, type StudioSchema } from "./studio/postgres_meta.ts";
import { studioProblems } from "./studio/coverage.ts";

Deno.test("Studio shows every public table, view, column and function with a comment, RLS on", async () => {
  const meta = await PostgresMeta.start(
    requireEnv("SUPABASE_DB_URL"),
    Number(requireEnv("PG_META_PORT")),
  );
  try {
    const schema = await meta.schema("public");
    // The service really answered with the project's schema, not an empty one.
    assert.ok(schema.tables.some((t) => t.name === "bookings"), "postgres-meta lists bookings");
    assert.ok(schema.functions.some((f) => f.name === "book_appointment"));
    const problems = studioProblems(schema);
    if (problems.length > 0) {
      assert.fail(
        `What an admin reads in Studio is incomplete (${problems.length} problems); add ` +
          "`comment on …` next to each definition:\n  " + problems.join("\n  "),
      );
    }
  } finally {
    await meta.stop();
  }
});

// The rules themselves, on a made-up schema with one of each problem.
Deno.test("studioProblems names each object that lacks what Studio shows", () => {
  const schema: StudioSchema = {
    tables: [
      {
        id: 1,
        schema: "public",
        name: "rooms",
        rls_enabled: false,
        comment: " ",
        columns: [{ name: "id", comment: null }, { name: "label", comment: "Shown to guests." }],
      },
      {
        id: 2,
        schema: "public",
        name: "keys",
        rls_enabled: true,
        comment: "Door keys.",
        columns: [],
      },
      {
        id: 3,
        schema: "public",
        name: "guests",
        rls_enabled: true,
        comment: "People.",
        columns: [{ name: "id", comment: "Guest id." }],
      },
    ],
    views: [{
      id: 4,
      schema: "public",
      name: "room_list",
      comment: null,
      columns: [{ name: "room", comment: null }, { name: "floor", comment: "" }],
    }],
    functions: [
      {
        id: 10,
        schema: "public",
        name: "free_rooms",
        identity_argument_types: "p_day date",
        return_type: "integer",
      },
      { id: 11, schema: "public", name: "clean", identity_argument_types: "", return_type: "void" },
      {
        id: 12,
        schema: "public",
        name: "touch",
        identity_argument_types: "",
        return_type: "trigger",
      },
      { id: 13, schema: "public", name: "plan", identity_argument_types: "", return_type: "void" },
      {
        id: 14,
        schema: "public",
        name: "ext_fn",
        identity_argument_types: "",
        return_type: "text",
      },
      {
        id: 15,
        schema: "public",
        name: "count_guests",
        identity_argument_types: "",
        return_type: "bigint",
      },
    ],
    policies: [
      { schema: "public", table: "guests", table_id: 3, name: "guests_select" },
    ],
    functionFacts: [
      { id: 10, comment: "Rooms that are free on a day.", from_extension: false },
      { id: 11, comment: null, from_extension: false },
      { id: 12, comment: null, from_extension: false },
      { id: 13, comment: "Plans the cleaning.", from_extension: false },
      { id: 14, comment: null, from_extension: true },
      { id: 15, comment: "Returns how many guests stay tonight.", from_extension: false },
    ],
  };
  assert.deepEqual(studioProblems(schema), [
    `policy "guests_select" on public.guests: name it in plain English`,
    "table public.rooms: row-level security is off",
    "table public.rooms: no comment",
    "table public.rooms: columns without a comment: id",
    "table public.keys: row-level security is on but no policy lets anyone in",
    "view public.room_list: no comment",
    "view public.room_list: columns without a comment: room, floor",
    "function public.free_rooms(p_day date): its comment does not say what it returns (integer); " +
    'add "Returns …"',
    "function public.clean(): no comment saying what it does",
  ]);
});
