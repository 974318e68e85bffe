// Function environment, validated once with zod. Hosted Supabase sets SUPABASE_URL,
// SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY and SUPABASE_DB_URL for every function; locally they
// come from supabase/functions/.env. Errors name the variable, never its value.
import { z } from "zod";

const postgresUrl = z.string().regex(
  /^postgres(ql)?:\/\/.+/,
  "must be a postgres:// or postgresql:// connection URL",
);

const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, "must be an http(s) URL");

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
  // Google Calendar and Outlook (OAuth apps; README "Connecting Google and Outlook calendars").
  // Unset client ids mean that provider cannot be connected; base URLs point at local fakes in tests.
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_TENANT: z.string().regex(
    /^[A-Za-z0-9.-]+$/,
    "must be common, organizations, consumers or a tenant id",
  )
    .default("common"),
  GOOGLE_AUTH_URL: httpUrl.default("https://accounts.google.com/o/oauth2/v2/auth"),
  GOOGLE_TOKEN_URL: httpUrl.default("https://oauth2.googleapis.com/token"),
  GOOGLE_CALENDAR_API_URL: httpUrl.default("https://www.googleapis.com/calendar/v3"),
  MICROSOFT_LOGIN_URL: httpUrl.default("https://login.microsoftonline.com"),
  MICROSOFT_GRAPH_URL: httpUrl.default("https://graph.microsoft.com/v1.0"),
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
