// Syncs team members' calendars: resolve the secret, read busy times through the provider, and
// hand them to SQL (replace_busy_times / record_sync_failure), which decides everything else.
// Logs name the team member, never the calendar address.
import type postgres from "postgres";
import type { FunctionReturns, PgDate, Tables } from "../_shared/database.ts";
import { FeedError } from "../_shared/calendar/fetch_feed.ts";
import { resolveCalendarSecret } from "../_shared/calendar/secret.ts";
import { type Provider, providers, type SyncTarget } from "../_shared/calendar/providers.ts";

export type SyncRequest = {
  teamMemberId?: string;
  due?: boolean;
  all?: boolean;
  refreshCacheAfter?: boolean;
};
export type SyncOptions = {
  timeoutMs: number;
  maxBytes: number;
  providers?: Record<string, Provider>;
};
export type MemberOutcome = {
  teamMemberId: string;
  name: string;
  result: "synced" | "unchanged" | "failed";
  busyTimes?: number;
  skippedComponents?: number;
  error?: string;
  nextAttemptAt?: string;
};

export async function syncMember(
  sql: postgres.Sql,
  target: SyncTarget,
  window: { start: Date; end: Date; businessZone: string },
  options: SyncOptions,
): Promise<MemberOutcome> {
  const started = performance.now();
  const who = `${target.name} (${target.team_member_id})`;
  const base = { teamMemberId: target.team_member_id, name: target.name };
  try {
    const provider = (options.providers ?? providers)[target.calendar_provider];
    if (!provider) throw new FeedError(`unknown calendar provider ${target.calendar_provider}`);
    const secret = await resolveCalendarSecret(
      sql,
      target.team_member_id,
      target.calendar_secret_ref,
    );
    const read = await provider(target, secret, {
      windowStart: window.start,
      windowEnd: window.end,
      businessZone: window.businessZone,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
    });
    const ms = Math.round(performance.now() - started);
    if (read.kind === "unchanged") {
      await sql`select public.mark_calendar_unchanged(${target.team_member_id}::uuid, ${ms})`;
      console.log(`[calendar-sync] ${who}: unchanged (${ms} ms)`);
      return { ...base, result: "unchanged" };
    }
    const intervals = read.intervals.map((i) => ({
      starts_at: i.startsAt.toISOString(),
      ends_at: i.endsAt.toISOString(),
      uid: i.uid,
      recurrence_id: i.recurrenceId,
    }));
    const [row] = await sql<{ stored: FunctionReturns<"replace_busy_times"> }[]>`
      select public.replace_busy_times(${target.team_member_id}::uuid, ${window.start.toISOString()}::timestamptz,
        ${window.end.toISOString()}::timestamptz, ${
      sql.json(intervals)
    }::jsonb, ${read.etag}, ${read.lastModified},
        ${read.skipped}, ${ms}) as stored`;
    console.log(
      `[calendar-sync] ${who}: synced ${row.stored} busy times` +
        (read.skipped ? `, ${read.skipped} broken components skipped` : "") + ` (${ms} ms)`,
    );
    return { ...base, result: "synced", busyTimes: row.stored, skippedComponents: read.skipped };
  } catch (error) {
    // Only FeedError messages are written for people: anything else may quote internals.
    const message = error instanceof FeedError
      ? error.message
      : "calendar sync failed unexpectedly";
    const ms = Math.round(performance.now() - started);
    const [row] = await sql<{ next: PgDate<FunctionReturns<"record_sync_failure">> }[]>`
      select public.record_sync_failure(${target.team_member_id}::uuid, ${message}, ${ms}) as next`;
    // record_sync_failure has just set it, so it is not null here.
    const [stored] = await sql<
      { error: NonNullable<Tables<"team_members">["calendar_sync_error"]> }[]
    >`
      select calendar_sync_error as error from public.team_members where id = ${target.team_member_id}::uuid`;
    console.error(
      `[calendar-sync] ${who}: failed: ${stored.error}; next attempt ${row.next.toISOString()}`,
    );
    return {
      ...base,
      result: "failed",
      error: stored.error,
      nextAttemptAt: row.next.toISOString(),
    };
  }
}

export async function runSync(sql: postgres.Sql, request: SyncRequest, options: SyncOptions) {
  const [window] = await sql<
    { start: Date; end: Date; zone: Tables<"business_settings">["time_zone"] }[]
  >`
    select ((private.local_date(now()) - 1)::timestamp at time zone time_zone) as start,
           now() + make_interval(days => horizon_days) as end, time_zone as zone
    from public.business_settings where id`;
  const targets = await sql<SyncTarget[]>`
    select * from public.calendar_sync_targets(${request.teamMemberId ?? null}::uuid, ${
    request.due === true
  })`;
  const outcomes: MemberOutcome[] = [];
  for (const target of targets) {
    outcomes.push(await syncMember(sql, target, { ...window, businessZone: window.zone }, options));
  }
  let cacheRefreshRequest: number | null = null;
  if (request.refreshCacheAfter) {
    const [row] = await sql<{ id: number | null }[]>`
      select private.call_edge_function('cache-refresh', '{}'::jsonb) as id`;
    cacheRefreshRequest = row.id;
  }
  return { teamMembers: outcomes, cacheRefreshRequest };
}
