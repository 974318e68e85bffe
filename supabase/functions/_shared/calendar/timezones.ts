// Time-zone names as calendar exporters write them, resolved to IANA zones whose VTIMEZONE data
// ical.js can use: IANA names and aliases (US/Central), Windows names (W. Europe Standard Time,
// through windows-iana), Windows display names ("(UTC-05:00) Eastern Time (US & Canada)") and
// Evolution-style paths (/softwarestudio.org/Olson_20011030_5/America/Chicago).
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
  if (knownIana(name)) return name;
  const windows = findIana(name);
  if (windows && windows.length > 0 && knownIana(windows[0])) return windows[0];
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
