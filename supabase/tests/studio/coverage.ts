// What an admin reads in Studio: every rule here is something Studio shows or warns about.
// Returns one line per problem, naming the object, so a failing test says what to comment.
import type { StudioSchema } from "./postgres_meta.ts";

const blank = (text: string | null | undefined) => !text || text.trim() === "";

/**
 * The rules for one schema:
 * - every table has row-level security on, a comment, and at least one policy (RLS without a
 *   policy shuts every API role out; Studio warns about it);
 * - every policy is named in plain English (it is what Studio lists);
 * - every table and view, and each of their columns, has a comment (Studio shows it beside the
 *   name);
 * - every function an admin can call from Studio has a comment; one that returns something says
 *   what ("Returns …"). Trigger functions cannot be called and functions of extensions are not
 *   ours, so both are left out.
 */
export function studioProblems(schema: StudioSchema): string[] {
  const problems: string[] = [];
  const policiesByTable = new Map<number, string[]>();
  for (const policy of schema.policies) {
    policiesByTable.set(policy.table_id, [
      ...policiesByTable.get(policy.table_id) ?? [],
      policy.name,
    ]);
    if (!/\s/.test(policy.name.trim())) {
      problems.push(
        `policy "${policy.name}" on ${policy.schema}.${policy.table}: name it in plain English`,
      );
    }
  }

  for (const table of schema.tables) {
    const name = `table ${table.schema}.${table.name}`;
    if (!table.rls_enabled) problems.push(`${name}: row-level security is off`);
    else if (!policiesByTable.has(table.id)) {
      problems.push(`${name}: row-level security is on but no policy lets anyone in`);
    }
    if (blank(table.comment)) problems.push(`${name}: no comment`);
    problems.push(...columnProblems(name, table.columns ?? []));
  }

  for (const view of schema.views) {
    const name = `view ${view.schema}.${view.name}`;
    if (blank(view.comment)) problems.push(`${name}: no comment`);
    problems.push(...columnProblems(name, view.columns ?? []));
  }

  const facts = new Map(schema.functionFacts.map((f) => [Number(f.id), f]));
  for (const fn of schema.functions) {
    const fact = facts.get(Number(fn.id));
    if (
      fact?.from_extension || fn.return_type === "trigger" || fn.return_type === "event_trigger"
    ) {
      continue;
    }
    const name = `function ${fn.schema}.${fn.name}(${fn.identity_argument_types})`;
    if (blank(fact?.comment)) problems.push(`${name}: no comment saying what it does`);
    else if (fn.return_type !== "void" && !/\breturn/i.test(fact!.comment!)) {
      problems.push(
        `${name}: its comment does not say what it returns (${fn.return_type}); add "Returns …"`,
      );
    }
  }
  return problems;
}

function columnProblems(owner: string, columns: { name: string; comment: string | null }[]) {
  const missing = columns.filter((column) => blank(column.comment)).map((column) => column.name);
  return missing.length ? [`${owner}: columns without a comment: ${missing.join(", ")}`] : [];
}
