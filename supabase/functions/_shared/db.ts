// One small pooled Postgres client per function instance, on SUPABASE_DB_URL.
import postgres from "postgres";
import { env } from "./env.ts";

let client: postgres.Sql | undefined;

export function db(): postgres.Sql {
  client ??= postgres(env().SUPABASE_DB_URL, {
    max: env().DB_POOL_SIZE,
    // Supavisor's transaction mode (hosted SUPABASE_DB_URL) does not keep prepared statements.
    prepare: false,
    idle_timeout: 20,
    connect_timeout: 10,
    connection: { application_name: "edge-function" },
    onnotice: () => {},
  });
  return client;
}

/** Closes the pool (tests and graceful shutdown). */
export async function closeDb(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.end({ timeout: 5 });
}
