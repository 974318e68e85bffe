// "Fresh calendar before confirming" (guide: iCal on-demand before booking): when the customer
// says yes to a team member whose calendar was last read longer ago than
// business_settings.calendar_fresh_minutes, read it now, with a short timeout, through the same
// providers and SQL as the calendar-sync function. A calendar that cannot be read in time is not
// an error here: the booking goes ahead on the last known state and the regular sync stays
// in charge of failures (nothing is recorded against the calendar).
import type postgres from "postgres";
import { type Provider, providers, type SyncTarget } from "../calendar/providers.ts";
import { resolveCalendarSecret } from "../calendar/secret.ts";

export type FreshenResult = "fresh" | "synced" | "unchanged" | "not_reached";

export interface FreshenOptions {
  timeoutMs?: number;
  maxBytes?: number;
  providers?: Record<string, Provider>;
}

export async function freshenCalendar(
  sql: postgres.Sql,
  teamMemberId: string,
  options: FreshenOptions = {},
): Promise<FreshenResult> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const [due] = await sql<{ stale: boolean }[]>`
    select private.conversation_calendar_stale(${teamMemberId}::uuid) as stale`;
  if (!due?.stale) return "fresh";
  const [target] = await sql<SyncTarget[]>`
    select * from public.calendar_sync_targets(${teamMemberId}::uuid, false)`;
  if (!target) return "fresh";
  const [window] = await sql<{ start: Date; end: Date; zone: string }[]>`
    select ((private.local_date(now()) - 1)::timestamp at time zone time_zone) as start,
           now() + make_interval(days => horizon_days) as end, time_zone as zone
    from public.business_settings where id`;
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const provider = (options.providers ?? providers)[target.calendar_provider];
    if (!provider) return "not_reached";
    const secret = await resolveCalendarSecret(
      sql,
      target.team_member_id,
      target.calendar_secret_ref,
    );
    const read = await Promise.race([
      provider(target, secret, {
        windowStart: window.start,
        windowEnd: window.end,
        businessZone: window.zone,
        timeoutMs,
        maxBytes: options.maxBytes ?? 10_000_000,
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
      }),
    ]);
    const ms = Math.round(performance.now() - started);
    if (read.kind === "unchanged") {
      await sql`select public.mark_calendar_unchanged(${target.team_member_id}::uuid, ${ms})`;
      return "unchanged";
    }
    const intervals = read.intervals.map((i) => ({
      starts_at: i.startsAt.toISOString(),
      ends_at: i.endsAt.toISOString(),
      uid: i.uid,
      recurrence_id: i.recurrenceId,
    }));
    await sql`
      select public.replace_busy_times(${target.team_member_id}::uuid, ${window.start.toISOString()}::timestamptz,
        ${window.end.toISOString()}::timestamptz, ${
      sql.json(intervals)
    }::jsonb, ${read.etag}, ${read.lastModified},
        ${read.skipped}, ${ms})`;
    return "synced";
  } catch (error) {
    // The reason only: never the calendar's address.
    const reason = error instanceof Error && error.message === "timed out"
      ? "timed out"
      : "not reachable";
    console.warn(
      `[conversation] ${target.name}: calendar ${reason} before booking; booking on the last known state`,
    );
    return "not_reached";
  } finally {
    clearTimeout(timer);
  }
}
