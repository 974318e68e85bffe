// Syncs team members' calendars: resolve the secret, read busy times through the provider, and
// hand them to SQL (replace_busy_times / record_sync_failure), which decides everything else.
// Logs name the team member, never the calendar address.
import type postgres from "postgres";
import type { FunctionReturns, PgDate, Tables } from "../_shared/database.ts";
import { FeedError } from "../_shared/calendar/feed_error.ts";
import { describeError } from "../_shared/calendar/log_error.ts";
import type { OutboundPolicy } from "../_shared/calendar/outbound.ts";
import { resolveCalendarSecret } from "../_shared/calendar/secret.ts";
import { type Provider, providers, type SyncTarget } from "../_shared/calendar/providers.ts";

export type SyncRequest = {
  teamMemberId?: string;
  due?: boolean;
  all?: boolean;
  refreshCacheAfter?: boolean;
};
export type SyncOptions = OutboundPolicy & {
  providers?: Record<string, Provider>;
  /** The clock the sync window is computed from (default: the database's); tests pass a fixed one. */
  now?: Date;
  /** Calendars one run claims (the rest wait for the next run it queues). */
  batchSize?: number;
  /** Calendars read at the same time. */
  concurrency?: number;
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
  // The injected clock, or the database's.
  const clock = sql`coalesce(${options.now ?? null}::timestamptz, now())`;
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
      allowPrivateHosts: options.allowPrivateHosts,
    });
    const ms = Math.round(performance.now() - started);
    if (read.kind === "unchanged") {
      await sql`select public.mark_calendar_unchanged(${target.team_member_id}::uuid, ${ms}, ${clock})`;
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
        ${read.skipped}, ${ms}, ${clock}) as stored`;
    console.log(
      `[calendar-sync] ${who}: synced ${row.stored} busy times` +
        (read.skipped ? `, ${read.skipped} broken components skipped` : "") + ` (${ms} ms)`,
    );
    return { ...base, result: "synced", busyTimes: row.stored, skippedComponents: read.skipped };
  } catch (error) {
    // Only FeedError messages are written for people: anything else may quote internals, so it
    // is logged by kind and SQLSTATE and stored as "failed unexpectedly".
    if (!(error instanceof FeedError)) {
      console.error(`[calendar-sync] ${who}: unexpected error: ${describeError(error)}`);
    }
    const message = error instanceof FeedError
      ? error.message
      : "calendar sync failed unexpectedly";
    const ms = Math.round(performance.now() - started);
    try {
      const [row] = await sql<{ next: PgDate<FunctionReturns<"record_sync_failure">> }[]>`
        select public.record_sync_failure(${target.team_member_id}::uuid, ${message}, ${ms}, ${clock}) as next`;
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
    } catch (recordError) {
      // The failure could not even be recorded (database down?): say so; the claim runs out and
      // a later run tries again.
      console.error(
        `[calendar-sync] ${who}: could not record the failure: ${describeError(recordError)}`,
      );
      return { ...base, result: "failed", error: message };
    }
  }
}

/** Runs fn over items with at most `limit` at a time; results in the items' order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * One run: claims up to batchSize calendars no other run is syncing (one member, or the due
 * ones; "all" first makes every active calendar due), syncs them with at most `concurrency` at
 * a time, and if due calendars are still waiting, queues the next run instead of exceeding the
 * function's time limit. The cache refresh after a nightly sync is queued by the last run.
 */
export async function runSync(sql: postgres.Sql, request: SyncRequest, options: SyncOptions) {
  // The injected clock, or the database's.
  const clock = sql`coalesce(${options.now ?? null}::timestamptz, now())`;
  const [window] = await sql<
    { start: Date; end: Date; zone: Tables<"business_settings">["time_zone"] }[]
  >`
    with clock as (select ${clock} as now)
    select ((private.local_date(clock.now) - 1)::timestamp at time zone time_zone) as start,
           clock.now + make_interval(days => horizon_days) as end, time_zone as zone
    from public.business_settings, clock where id`;
  if (request.all) await sql`select public.make_all_calendars_due(${clock})`;
  const single = request.teamMemberId !== undefined;
  const targets = await sql<SyncTarget[]>`
    select * from public.claim_calendar_syncs(${request.teamMemberId ?? null}::uuid, ${!single},
      ${options.batchSize ?? 20}, p_now => ${clock})`;
  const outcomes = await mapBounded(
    targets,
    options.concurrency ?? 4,
    (target) => syncMember(sql, target, { ...window, businessZone: window.zone }, options),
  );
  let nextRunRequest: number | null = null;
  if (!single) {
    const [row] = await sql<
      { waiting: boolean }[]
    >`select public.calendar_syncs_waiting(${clock}) as waiting`;
    if (row.waiting) {
      const body = { due: true, ...(request.refreshCacheAfter ? { refreshCacheAfter: true } : {}) };
      const [queued] = await sql<{ id: number | null }[]>`
        select private.call_edge_function('calendar-sync', ${sql.json(body)}::jsonb) as id`;
      nextRunRequest = queued.id;
    }
  }
  let cacheRefreshRequest: number | null = null;
  if (request.refreshCacheAfter && nextRunRequest === null) {
    const [row] = await sql<{ id: number | null }[]>`
      select private.call_edge_function('cache-refresh', '{}'::jsonb) as id`;
    cacheRefreshRequest = row.id;
  }
  return { teamMembers: outcomes, nextRunRequest, cacheRefreshRequest };
}
