// Function environment, validated once with zod. Hosted Supabase sets SUPABASE_URL,
// SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY and SUPABASE_DB_URL for every function; locally they
// come from supabase/functions/.env. Errors name the variable, never its value.
import { z } from "zod";

const postgresUrl = z.string().regex(
  /^postgres(ql)?:\/\/.+/,
  "must be a postgres:// or postgresql:// connection URL",
);

export const envSchema = z.object({
  SUPABASE_URL: z.string().regex(/^https?:\/\/.+/, "must be an http(s) URL"),
  SUPABASE_DB_URL: postgresUrl,
  SUPABASE_ANON_KEY: z.string().min(20, "must be the project's anon JWT"),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20, "must be the project's service_role JWT"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(20).default(3),
  CALENDAR_FETCH_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(15_000),
  CALENDAR_MAX_FEED_BYTES: z.coerce.number().int().min(10_000).max(100_000_000).default(10_000_000),
  // host:port pairs calendar requests may reach although they are not public internet addresses
  // (the local stack's feed and CalDAV servers); comma-separated, empty on hosted projects.
  CALENDAR_ALLOW_PRIVATE_HOSTS: z.string().default("").transform((list) =>
    list.split(",").map((entry) => entry.trim()).filter(Boolean)
  ).pipe(
    z.array(
      z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:/\[\]]+):\d{1,5}$/, "must be host:port pairs"),
    ),
  ),
});

export type Env = z.infer<typeof envSchema>;

/** Parses an environment; throws one Error that lists every bad or missing variable by name. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const missing = source[name] === undefined || source[name] === "";
    return `${name}: ${missing ? "is missing" : issue.message}`;
  });
  throw new Error(`Invalid function environment: ${problems.join("; ")}`);
}

let cached: Env | undefined;

/** The process environment, validated on first use. */
export function env(): Env {
  cached ??= parseEnv(Deno.env.toObject());
  return cached;
}
