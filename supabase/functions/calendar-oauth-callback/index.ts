// GET /functions/v1/calendar-oauth-callback (verify_jwt = false: the team member's browser comes
// here without a Supabase key; the signed, single-use `state` is the authentication).
//   ?connect=<state>          the admin's link (admin_calendar_connect_link): checks the state and
//                             sends the browser to Google's or Microsoft's consent page
//   ?state=<state>&code=...   the provider's answer: exchanges the code for tokens and connects
//                             the calendar in one SQL call (private.complete_calendar_connection)
//   ?state=<state>&error=...  the team member said no: nothing changes
import type postgres from "postgres";
import { z } from "zod";
import { db } from "../_shared/db.ts";
import { env } from "../_shared/env.ts";
import { FeedError } from "../_shared/calendar/fetch_feed.ts";
import {
  consentUrl,
  exchangeCode,
  type OAuthConfig,
  oauthConfig,
  type OAuthProvider,
  providerLabel,
} from "../_shared/calendar/oauth.ts";
import { invalidLink, page } from "./page.ts";
import type { FunctionRow, PgRow } from "../_shared/database.ts";

const stateValue = z.string().min(10).max(200).regex(/^[0-9a-f]{32}\.[A-Za-z0-9_-]+$/);
// Providers add parameters of their own (scope, session_state, ...); only these are read.
const query = z.object({
  connect: stateValue.optional(),
  state: stateValue.optional(),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
}).refine((q) =>
  q.connect !== undefined
    ? q.state === undefined && q.code === undefined && q.error === undefined
    : q.state !== undefined && (q.code !== undefined) !== (q.error !== undefined)
);

export type CallbackDeps = {
  sql: () => postgres.Sql;
  config: () => OAuthConfig;
  redirectUri: () => string;
  timeoutMs: () => number;
};

const defaults: CallbackDeps = {
  sql: db,
  config: () => oauthConfig(env()),
  redirectUri: () =>
    `${env().SUPABASE_URL.replace(/\/$/, "")}/functions/v1/calendar-oauth-callback`,
  timeoutMs: () => env().CALENDAR_FETCH_TIMEOUT_MS,
};

type StateRow = PgRow<FunctionRow<"find_calendar_oauth_state", "private">, {
  provider: OAuthProvider; // the table's check constraint
}>;

export function createHandler(deps: CallbackDeps = defaults) {
  return async (req: Request): Promise<Response> => {
    try {
      if (req.method !== "GET") return page(405, "Open this link in a browser.");
      const params = Object.fromEntries(new URL(req.url).searchParams);
      const parsed = query.safeParse(params);
      if (!parsed.success) return invalidLink();
      const sql = deps.sql();
      const q = parsed.data;
      const state = (q.connect ?? q.state)!;
      const [found] = await sql<StateRow[]>`
        select * from private.find_calendar_oauth_state(${state})`;
      if (!found) return invalidLink();
      const label = providerLabel[found.provider];

      if (q.connect !== undefined) {
        const to = consentUrl(found.provider, deps.config(), state, deps.redirectUri());
        return new Response(null, {
          status: 302,
          headers: { location: to, "cache-control": "no-store", "referrer-policy": "no-referrer" },
        });
      }
      if (q.code === undefined) {
        return page(
          200,
          `${label} was not connected.`,
          `Access was not allowed, so nothing changed for ${found.team_member_name}.`,
          "To try again, ask your admin for a new link.",
        );
      }
      const tokens = await exchangeCode(
        found.provider,
        deps.config(),
        q.code,
        deps.redirectUri(),
        deps.timeoutMs(),
      );
      const calendarId = found.provider === "google" ? "primary" : null;
      try {
        await sql`select * from private.complete_calendar_connection(${state}, ${tokens.refreshToken}, ${calendarId})`;
      } catch (error) {
        if ((error as { code?: string }).code === "BK004") return invalidLink();
        throw error;
      }
      console.log(
        `[calendar-oauth-callback] ${found.team_member_name} (${found.team_member_id}): ${found.provider} connected`,
      );
      return page(
        200,
        `${label} connected.`,
        `${found.team_member_name}'s calendar is now connected. Busy times are read in a moment,`,
        "and new bookings will appear in this calendar. You can close this page.",
      );
    } catch (error) {
      // FeedError messages are written for people and hold no secrets; anything else may.
      const reason = error instanceof FeedError ? error.message : "an unexpected error";
      console.error(
        `[calendar-oauth-callback] connecting failed (${
          error instanceof Error ? error.name : "unknown"
        })`,
      );
      return page(
        502,
        "The calendar was not connected.",
        `Reason: ${reason}.`,
        "Nothing was stored. Try the link again, or ask your admin for a new one.",
      );
    }
  };
}

export const handler = createHandler();

if (import.meta.main) Deno.serve(handler);
