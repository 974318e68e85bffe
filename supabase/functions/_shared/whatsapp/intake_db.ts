// The webhook stores what Meta sent on its own small pool, so answering Meta never waits behind
// the background work (handling, sending) that uses db()'s pool in the same instance.
import postgres from "postgres";
import { env } from "../env.ts";

let client: postgres.Sql | undefined;

export function intakeDb(): postgres.Sql {
  client ??= postgres(env().SUPABASE_DB_URL, {
    max: 2,
    prepare: false,
    idle_timeout: 20,
    connect_timeout: 10,
    connection: { application_name: "whatsapp-intake" },
    onnotice: () => {},
  });
  return client;
}
