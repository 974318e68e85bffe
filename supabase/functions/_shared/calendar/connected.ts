// The Google and Outlook providers for calendar-sync: refresh the access token from the stored
// refresh token (keeping Microsoft's new one), read the calendar fully or incrementally, apply
// the read in SQL in one transaction (private.apply_calendar_provider_read) and hand back the
// member's whole busy set, which calendar-sync stores as it does for every provider.
import type postgres from "postgres";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { FeedError } from "./fetch_feed.ts";
import { readGoogleCalendar } from "./google.ts";
import { readMicrosoftCalendar } from "./microsoft.ts";
import {
  GrantRevokedError,
  type OAuthConfig,
  oauthConfig,
  type OAuthProvider,
  providerLabel,
  refreshAccessToken,
} from "./oauth.ts";
import type { Provider } from "./providers.ts";
import type { FunctionRow, PgDate, PgRow } from "../database.ts";

type Position = FunctionRow<"calendar_provider_sync_position", "private">;
type SyncPosition = PgRow<Position, {
  sync_token: string | null;
  full_synced_at: PgDate<Position["full_synced_at"] | null>;
}>;
type Busy = FunctionRow<"apply_calendar_provider_read", "private">;
type BusyEvent = PgRow<
  Busy,
  { starts_at: PgDate<Busy["starts_at"]>; ends_at: PgDate<Busy["ends_at"]> }
>;

// A full read at least this often refills the window as the horizon moves on.
const FULL_READ_EVERY_MS = 24 * 60 * 60 * 1000;

export type ConnectedDeps = {
  sql?: () => postgres.Sql;
  config?: () => OAuthConfig;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
};

/**
 * An access token from the member's stored refresh token. Microsoft's new refresh token replaces
 * the stored one; a revoked grant marks the member for reconnecting and says how.
 */
export async function freshAccessToken(
  sql: postgres.Sql,
  kind: OAuthProvider,
  member: { teamMemberId: string; name: string },
  secret: string | null,
  timeoutMs: number,
  deps: ConnectedDeps = {},
): Promise<{ accessToken: string; config: OAuthConfig }> {
  const label = providerLabel[kind];
  const id = member.teamMemberId;
  const reconnect = `an admin runs select admin_calendar_connect_link('${id}', '${kind}')`;
  if (!secret) throw new FeedError(`${label} is not connected: ${reconnect}`);
  const config = (deps.config ?? (() => oauthConfig(env())))();
  let tokens;
  try {
    tokens = await refreshAccessToken(kind, config, secret, timeoutMs);
  } catch (error) {
    if (!(error instanceof GrantRevokedError)) throw error;
    await sql`select private.record_calendar_grant_revoked(${id}::uuid)`;
    throw new FeedError(
      `${label} access was revoked or has expired: reconnect the calendar (${reconnect} and sends the link to ${member.name})`,
    );
  }
  if (tokens.refreshToken && tokens.refreshToken !== secret) {
    await sql`select private.rotate_calendar_refresh_token(${id}::uuid, ${tokens.refreshToken})`;
  }
  return { accessToken: tokens.accessToken, config };
}

export function connectedProvider(kind: OAuthProvider, deps: ConnectedDeps = {}): Provider {
  const label = providerLabel[kind];
  return async (target, secret, options) => {
    const id = target.team_member_id;
    const sql = (deps.sql ?? db)();
    const { accessToken, config } = await freshAccessToken(
      sql,
      kind,
      {
        teamMemberId: id,
        name: target.name,
      },
      secret,
      options.timeoutMs,
      deps,
    );
    const [position] = await sql<SyncPosition[]>`
      select * from private.calendar_provider_sync_position(${id}::uuid)`;
    const stale = !position?.full_synced_at ||
      (deps.now?.() ?? new Date()).getTime() - position.full_synced_at.getTime() >
        FULL_READ_EVERY_MS;
    const from = { syncToken: stale ? null : position.sync_token };
    const ctx = {
      accessToken,
      label,
      timeoutMs: options.timeoutMs,
      sleep: deps.sleep,
    };
    const window = { start: options.windowStart, end: options.windowEnd };
    const read = kind === "google"
      ? await readGoogleCalendar(
        ctx,
        config.googleApiUrl,
        target.calendar_source_url ?? "primary",
        from,
        window,
      )
      : await readMicrosoftCalendar(
        ctx,
        config.graphApiUrl,
        target.calendar_source_url,
        from,
        window,
      );
    const busy = await sql<BusyEvent[]>`
      select * from private.apply_calendar_provider_read(${id}::uuid, ${kind}, ${read.full},
        ${sql.json(read.changes)}::jsonb, ${read.removed}::text[], ${read.syncToken})`;
    return {
      kind: "busy",
      intervals: busy.map((b) => ({
        startsAt: b.starts_at,
        endsAt: b.ends_at,
        uid: b.event_id,
        recurrenceId: null,
      })),
      skipped: read.skipped,
      etag: null,
      lastModified: null,
    };
  };
}
