// Time zones as calendar feeds name and define them, turned into instants.
// - Names: Windows names first (CLDR's table through windows-iana: the IANA data package knows
//   "Pacific Standard Time" only as an alias of a fixed offset), then IANA names and aliases,
//   Windows display names and Evolution-style paths.
// - Definitions in the feed (VTIMEZONE) are validated before ical.js may expand them (only
//   yearly rules, offsets within ±18 h) and, for a TZID that names a known IANA zone, used only
//   for the dates they cover; IANA data answers for the rest.
// - Nothing here touches ical.js's process-wide TimezoneService: each parse gets its own
//   ZoneBook, and IANA zones are cached read-only.
import ICAL from "ical.js";
import timezones from "@touch4it/ical-timezones";
import { findIana } from "windows-iana";

// Windows display names that windows-iana does not know (it maps Windows ids), keyed by the
// city list Outlook writes after the offset. Only what real feeds are seen to use.
const DISPLAY_NAMES: Record<string, string> = {
  "eastern time (us & canada)": "America/New_York",
  "central time (us & canada)": "America/Chicago",
  "mountain time (us & canada)": "America/Denver",
  "pacific time (us & canada)": "America/Los_Angeles",
  "canberra, melbourne, sydney": "Australia/Sydney",
  "amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
  "brussels, copenhagen, madrid, paris": "Europe/Paris",
  "dublin, edinburgh, lisbon, london": "Europe/London",
  "greenwich mean time : dublin, edinburgh, lisbon, london": "Europe/London",
  "auckland, wellington": "Pacific/Auckland",
};

function knownIana(name: string): boolean {
  return timezones.getVtimezoneComponent(name) !== null;
}

/** The IANA zone a TZID means, or undefined when it cannot be told. */
export function resolveZoneName(tzid: string): string | undefined {
  const name = tzid.trim().replace(/^"|"$/g, "");
  if (!name || name.length > 200) return undefined;
  // Windows names before IANA ones: the data package maps them to Etc/GMT±N (no DST).
  const windows = findIana(name);
  if (windows && windows.length > 0 && knownIana(windows[0])) return windows[0];
  if (knownIana(name)) return name;
  const display = name.replace(/^\((UTC|GMT)[^)]*\)\s*/i, "").toLowerCase();
  if (DISPLAY_NAMES[display]) return DISPLAY_NAMES[display];
  // Path-like TZIDs end in an IANA name: try the last two, then three, segments.
  const parts = name.split("/").filter(Boolean);
  for (const n of [2, 3, 1]) {
    const candidate = parts.slice(-n).join("/");
    if (parts.length >= n && knownIana(candidate)) return candidate;
  }
  return undefined;
}

/** VTIMEZONE component text for an IANA zone (tzurl.org data shipped with the package). */
export function vtimezoneFor(ianaZone: string): string | undefined {
  return timezones.getVtimezoneComponent(ianaZone) ?? undefined;
}

const ianaCache = new Map<string, ICAL.Timezone>();

/** An IANA zone as an ical.js zone, parsed once per process (the data never changes). */
export function ianaTimezone(ianaZone: string): ICAL.Timezone | undefined {
  const cached = ianaCache.get(ianaZone);
  if (cached) return cached;
  const text = vtimezoneFor(ianaZone);
  if (!text) return undefined;
  const root = new ICAL.Component(
    ICAL.parse(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${text}\r\nEND:VCALENDAR`),
  );
  const zone = new ICAL.Timezone({
    component: root.getFirstSubcomponent("vtimezone")!,
    tzid: ianaZone,
  });
  ianaCache.set(ianaZone, zone);
  return zone;
}

const MAX_OFFSET_SECONDS = 18 * 3600;
const OFFSET = /^TZOFFSET(?:FROM|TO)(?:;[^:]*)?:([+-])(\d{2})(\d{2})(\d{2})?$/i;

/** Why a feed's VTIMEZONE must not be expanded, or null when it is safe to use. */
export function zoneDefinitionProblem(lines: string[]): string | null {
  let observances = 0;
  let transitions = 0;
  for (const line of lines) {
    const upper = line.toUpperCase();
    if (upper === "BEGIN:STANDARD" || upper === "BEGIN:DAYLIGHT") observances++;
    if (upper.startsWith("TZOFFSET")) {
      const match = OFFSET.exec(line);
      if (!match) return "unreadable UTC offset";
      const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
      if (Number(match[3]) >= 60 || seconds > MAX_OFFSET_SECONDS) return "UTC offset out of range";
    }
    if (upper.startsWith("RRULE")) {
      // Zone rules change offsets a few times a year; anything finer is not a time zone and
      // would make ical.js expand it for ever.
      if (!/[:;]FREQ=YEARLY(;|$)/i.test(line)) return "zone rule that is not yearly";
      if (/[:;]INTERVAL=(?!1(;|$))/i.test(line)) return "zone rule with an interval";
      // One transition a year: one month, one weekday (or a week of month days).
      const parts = Object.fromEntries(
        line.slice(line.indexOf(":") + 1).split(";").map((p) => p.toUpperCase().split("=")),
      ) as Record<string, string | undefined>;
      const allowed = [
        "FREQ",
        "INTERVAL",
        "UNTIL",
        "COUNT",
        "BYMONTH",
        "BYDAY",
        "BYMONTHDAY",
        "WKST",
      ];
      if (Object.keys(parts).some((k) => !allowed.includes(k))) return "zone rule too complex";
      if ((parts.BYMONTH ?? "").split(",").length > 1) return "zone rule too complex";
      if ((parts.BYDAY ?? "").split(",").length > 1) return "zone rule too complex";
      if ((parts.BYMONTHDAY ?? "").split(",").length > 7) return "zone rule too complex";
      transitions++;
    }
    if (upper.startsWith("RDATE")) transitions += line.split(",").length;
  }
  if (observances === 0) return "time zone without STANDARD or DAYLIGHT";
  if (observances > 200 || transitions > 2_000) return "time zone with too many transitions";
  return null;
}

/** A local date as a sortable number (20261025). */
function dayNumber(year: number, month: number, day: number): number {
  return year * 10_000 + month * 100 + day;
}

/**
 * The local dates a VTIMEZONE says anything about: from its first onset to its last transition
 * (plus a year: the last offset holds until the next change), or for ever when a rule is open
 * ended or the zone is a single fixed offset.
 */
export function zoneCoverage(lines: string[]): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  let observances = 0;
  let rules = 0;
  const dates = (text: string) =>
    [...text.matchAll(/(\d{4})(\d{2})(\d{2})/g)].map((m) =>
      dayNumber(Number(m[1]), Number(m[2]), Number(m[3]))
    );
  for (const line of lines) {
    const upper = line.toUpperCase();
    if (upper === "BEGIN:STANDARD" || upper === "BEGIN:DAYLIGHT") observances++;
    const value = line.slice(line.indexOf(":") + 1);
    if (upper.startsWith("DTSTART")) {
      for (const d of dates(value)) {
        from = Math.min(from, d);
        to = Math.max(to, d);
      }
    } else if (upper.startsWith("RDATE")) {
      for (const d of dates(value)) to = Math.max(to, d);
    } else if (upper.startsWith("RRULE")) {
      rules++;
      const until = /UNTIL=(\d{8})/i.exec(value);
      const count = /COUNT=(\d+)/i.exec(value);
      if (until) to = Math.max(to, dates(until[1])[0]);
      else if (count) to = Math.max(to, from + Number(count[1]) * 10_000);
      else to = Infinity;
    }
  }
  if (observances === 1 && rules === 0) to = Infinity; // a fixed offset, for ever
  if (!Number.isFinite(from)) return { from: Infinity, to: -Infinity };
  return { from, to: to === Infinity ? Infinity : to + 10_000 };
}

type Fallback = { from: number; to: number; iana: ICAL.Timezone };

/**
 * The zones of one feed: what each TZID it uses means, and instants from ical.js times.
 * `byTzid` is handed to ical.js as the VCALENDAR's zone cache, so its parser resolves TZIDs to
 * these zones and never to process-wide state.
 */
export class ZoneBook {
  readonly byTzid = new Map<string, ICAL.Timezone>();
  readonly business: ICAL.Timezone;
  private readonly fallbacks = new Map<ICAL.Timezone, Fallback>();

  constructor(
    definitions: { lines: string[] }[],
    named: Iterable<string>,
    businessZone: string,
    report: { skip(reason: string): void; repair(reason: string): void },
  ) {
    const business = ianaTimezone(businessZone);
    if (!business) throw new Error(`unknown business time zone ${businessZone}`);
    this.business = business;

    // Feed definitions by TZID; a TZID defined twice with different rules is not trusted.
    const defined = new Map<string, { lines: string[]; conflicting: boolean }>();
    for (const definition of definitions) {
      const tzidLine = definition.lines.find((l) => /^TZID[;:]/i.test(l));
      const tzid = tzidLine?.slice(tzidLine.indexOf(":") + 1).trim();
      if (!tzid) {
        report.repair("VTIMEZONE without TZID ignored"); // nothing can refer to it
        continue;
      }
      const problem = zoneDefinitionProblem(definition.lines);
      if (problem) {
        // With IANA data for the name nothing is lost; without, times in it are a guess.
        const message = `VTIMEZONE ${JSON.stringify(tzid.slice(0, 80))} not used: ${problem}`;
        if (resolveZoneName(tzid)) report.repair(message);
        else report.skip(message);
        continue;
      }
      const earlier = defined.get(tzid);
      if (earlier) {
        earlier.conflicting ||= earlier.lines.join("\n") !== definition.lines.join("\n");
      } else {
        defined.set(tzid, { lines: definition.lines, conflicting: false });
      }
    }

    for (const tzid of new Set([...defined.keys(), ...named])) {
      const ianaName = resolveZoneName(tzid);
      const iana = ianaName ? ianaTimezone(ianaName) : undefined;
      const own = defined.get(tzid);
      let zone: ICAL.Timezone | undefined;
      if (own && !(own.conflicting && iana)) {
        try {
          zone = feedTimezone(own.lines, tzid);
          if (iana && zone) this.fallbacks.set(zone, { ...zoneCoverage(own.lines), iana });
        } catch {
          report.skip(`VTIMEZONE ${JSON.stringify(tzid.slice(0, 80))} unreadable`);
        }
      }
      zone ??= iana;
      if (!zone) {
        report.repair(
          `unknown time zone ${JSON.stringify(tzid.slice(0, 80))}, read as ${businessZone}`,
        );
        zone = business;
      }
      this.byTzid.set(tzid, zone);
    }
  }

  /** The instant (ms) of an ical.js time; dates and floating times are business-local. */
  toInstant(time: ICAL.Time): number {
    const zone = time.zone;
    const floating = !zone || zone.tzid === "floating" || zone === ICAL.Timezone.localTimezone;
    if (time.year < 1800 || time.year > 2400) {
      // Far outside any sync window: no zone expansion over centuries, the UTC reading is
      // close enough to compare with a window of this era.
      return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
    }
    if (time.isDate || floating) {
      return localInstant(time, this.business, time.isDate);
    }
    const fallback = this.fallbacks.get(zone);
    if (fallback) {
      const day = dayNumber(time.year, time.month, time.day);
      if (day < fallback.from || day > fallback.to) {
        return localInstant(time, fallback.iana, false);
      }
    }
    return time.toUnixTime() * 1000;
  }
}

function localInstant(time: ICAL.Time, zone: ICAL.Timezone, midnight: boolean): number {
  const local = new ICAL.Time({
    year: time.year,
    month: time.month,
    day: time.day,
    hour: midnight ? 0 : time.hour,
    minute: midnight ? 0 : time.minute,
    second: midnight ? 0 : time.second,
    isDate: false,
  }, zone);
  return local.toUnixTime() * 1000;
}

function feedTimezone(lines: string[], tzid: string): ICAL.Timezone | undefined {
  const root = new ICAL.Component(
    ICAL.parse(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${lines.join("\r\n")}\r\nEND:VCALENDAR`),
  );
  const component = root.getFirstSubcomponent("vtimezone");
  return component ? new ICAL.Timezone({ component, tzid }) : undefined;
}
