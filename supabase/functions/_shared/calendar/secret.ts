// A team member's calendar secret: the Vault secret their calendar_secret_ref names (read through
// the service-role-only SQL function), else an environment variable of that name (guide, option
// 2), else none (a public source URL is enough).
import type postgres from "postgres";
import type { FunctionReturns } from "../database.ts";
import { FeedError } from "./feed_error.ts";

export async function resolveCalendarSecret(
  sql: postgres.Sql,
  teamMemberId: string,
  secretRef: string | null,
): Promise<string | null> {
  const [row] = await sql<{ secret: FunctionReturns<"calendar_secret", "private"> | null }[]>`
    select private.calendar_secret(${teamMemberId}::uuid) as secret`;
  if (row.secret) return row.secret;
  if (!secretRef) return null;
  const fromEnv = Deno.env.get(secretRef);
  if (fromEnv) return fromEnv;
  throw new FeedError(`calendar secret "${secretRef}" is neither in Vault nor in the environment`);
}
