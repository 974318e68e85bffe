// A deliberately simple second computation of free slots (README, "Availability"), for the
// property test: it walks minute by minute and asks the business-zone wall clock (Intl) what
// time it shows. Nothing here is shared with the SQL engine; it is slow and obvious on purpose.

export type Interval = { start: string; end: string };
export type Hours = Partial<
  Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", Interval[]>
>;
export type Span = { from: number; to: number }; // epoch milliseconds, [from, to)

export type ReferenceWorld = {
  timeZone: string;
  stepMinutes: number;
  horizonDays: number;
  service: {
    durationMinutes: number;
    bufferBefore: number;
    bufferAfter: number;
    minNotice: number;
  };
  members: {
    id: string;
    hours: Hours;
    durationMinutes?: number;
    busy: Span[];
    confirmed: Span[]; // blocked_during: the booking widened by its own buffers
    holds: (Span & { expiresAt: number })[];
    absentDates: string[]; // business-local YYYY-MM-DD
  }[];
  closedDates: string[];
};

const MINUTE = 60_000;
const DAY_KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

type Reading = { date: string; minuteOfDay: number; weekday: (typeof DAY_KEYS)[number] };

/** What the business's wall clock shows at an instant. */
export function makeClock(timeZone: string): (at: number) => Reading {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
  const cache = new Map<number, Reading>();
  return (at: number) => {
    const hit = cache.get(at);
    if (hit) return hit;
    const parts = Object.fromEntries(
      format.formatToParts(new Date(at)).map((p) => [p.type, p.value]),
    );
    const date = `${parts.year}-${parts.month}-${parts.day}`;
    const weekday = DAY_KEYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
    const reading = { date, minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute), weekday };
    cache.set(at, reading);
    return reading;
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Free slots [{member, startsAt, endsAt}] for starts in [from, to), as get_available_slots answers. */
export function referenceSlots(
  world: ReferenceWorld,
  from: number,
  to: number,
  now: number,
  horizonEnd: number, // "now" plus horizon_days business-local days (computed by the caller)
): { member: string; startsAt: number; endsAt: number }[] {
  const clock = makeClock(world.timeZone);
  const { service } = world;
  const result: { member: string; startsAt: number; endsAt: number }[] = [];
  for (const member of world.members) {
    const duration = (member.durationMinutes ?? service.durationMinutes) * MINUTE;
    const works = (at: number) => {
      const r = clock(at);
      if (world.closedDates.includes(r.date) || member.absentDates.includes(r.date)) return false;
      return (member.hours[r.weekday] ?? []).some((iv) =>
        toMinutes(iv.start) <= r.minuteOfDay &&
        r.minuteOfDay < (iv.end === "24:00" ? 1440 : toMinutes(iv.end))
      );
    };
    const overlaps = (spans: Span[], a: number, b: number) =>
      spans.some((s) => s.from < b && a < s.to);
    const isFree = (at: number) =>
      works(at) && !overlaps(member.busy, at, at + MINUTE) &&
      !overlaps(member.confirmed, at, at + MINUTE);
    // Every instant on the minute: the engine's candidates, deduplicated by wall-clock time.
    const seen = new Set<string>();
    const first = Math.floor((from - 2 * 86_400_000) / MINUTE) * MINUTE;
    for (let at = first; at < to + 86_400_000; at += MINUTE) {
      const r = clock(at);
      if (r.minuteOfDay % world.stepMinutes !== 0) continue;
      const widenedFrom = at - service.bufferBefore * MINUTE;
      const widenedTo = at + duration + service.bufferAfter * MINUTE;
      let free = true;
      for (let m = widenedFrom; m < widenedTo && free; m += MINUTE) free = isFree(m);
      if (!free) continue;
      const key = `${r.date} ${r.minuteOfDay}`;
      if (seen.has(key)) continue; // a wall-clock time that exists twice: its earlier free instant
      seen.add(key);
      if (at < from || at >= to || at < now + service.minNotice * MINUTE || at >= horizonEnd) {
        continue;
      }
      const held = member.holds.some((h) =>
        h.expiresAt > now && h.from < widenedTo && widenedFrom < h.to
      );
      if (held) continue;
      result.push({ member: member.id, startsAt: at, endsAt: at + duration });
    }
  }
  return result.sort((a, b) =>
    a.startsAt - b.startsAt || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0)
  );
}

/** A small seeded random generator (mulberry32): the same seed gives the same worlds. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
