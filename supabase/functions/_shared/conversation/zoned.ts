// Wall-clock time in the business's time zone <-> instants, without depending on the machine's
// or the session's zone (Intl knows every IANA zone).

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time of an instant in a zone, with its weekday (0 = Sunday). */
export function wallTime(instant: Date, timeZone: string): WallTime & { weekday: number } {
  const parts = Object.fromEntries(
    partsFormatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday),
  };
}

/** The instant at which a zone's clocks show this wall time. A time skipped by a DST change
 * moves forward by the gap; an hour that happens twice means its first occurrence. */
export function instantOf(wall: WallTime, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const seen = wallTime(new Date(guess), timeZone);
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    const diff = asUtc - seenAsUtc;
    if (diff === 0) break;
    guess += diff;
  }
  // Prefer the earlier of two instants showing the same wall time (the autumn repeat).
  const earlier = guess - 3600_000;
  const seen = wallTime(new Date(earlier), timeZone);
  if (Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) === asUtc) {
    return new Date(earlier);
  }
  return new Date(guess);
}

/** Adds whole days to a calendar date (no time zone involved). */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function weekdayOf(date: { year: number; month: number; day: number }): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}
