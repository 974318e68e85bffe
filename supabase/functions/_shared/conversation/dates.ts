// Dates and times written the local way, always in the business's time zone:
//   en "Tuesday, December 1 at 2:00 PM"   de "Dienstag, 1. Dezember um 14:00"
//   fr "mardi 1 décembre à 14h00"          it "martedì 1 dicembre alle 14:00"
// "today"/"tomorrow" when the day is today or tomorrow in that zone.
import type { Language } from "./intent.ts";
import { addDays, wallTime } from "./zoned.ts";

const locales: Record<Language, string> = { en: "en-US", de: "de-CH", fr: "fr-CH", it: "it-CH" };

function format(
  at: Date,
  language: Language,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): string {
  return new Intl.DateTimeFormat(locales[language], { timeZone, ...options }).format(at);
}

export function timeOfDay(at: Date, language: Language, timeZone: string): string {
  if (language === "en") {
    return format(at, language, timeZone, { hour: "numeric", minute: "2-digit", hour12: true });
  }
  const w = wallTime(at, timeZone);
  const mm = String(w.minute).padStart(2, "0");
  return language === "fr" ? `${w.hour}h${mm}` : `${String(w.hour).padStart(2, "0")}:${mm}`;
}

/** "Tuesday, December 1" / "Dienstag, 1. Dezember" / "mardi 1 décembre" / "martedì 1 dicembre". */
export function dayName(at: Date, language: Language, timeZone: string): string {
  if (language === "en") {
    return format(at, language, timeZone, { weekday: "long", month: "long", day: "numeric" });
  }
  const weekday = format(at, language, timeZone, { weekday: "long" });
  const month = format(at, language, timeZone, { month: "long" });
  const day = wallTime(at, timeZone).day;
  if (language === "de") return `${weekday}, ${day}. ${month}`;
  return `${weekday} ${day} ${month}`;
}

export function weekdayName(at: Date, language: Language, timeZone: string): string {
  return format(at, language, timeZone, { weekday: "long" });
}

const relative: Record<Language, [string, string]> = {
  en: ["today", "tomorrow"],
  de: ["heute", "morgen"],
  fr: ["aujourd'hui", "demain"],
  it: ["oggi", "domani"],
};
const atWord: Record<Language, string> = { en: "at", de: "um", fr: "à", it: "alle" };
const onWord: Record<Language, string> = { en: "on ", de: "am ", fr: "le ", it: "" };

/** The full "when" of an appointment, e.g. "today at 4:00 PM" or "Dienstag, 1. Dezember um 14:00";
 * with `on`, a day gets its preposition ("on Tuesday, ...", "am Dienstag, ...", "le mardi ..."). */
export function when(
  at: Date,
  language: Language,
  timeZone: string,
  now: Date,
  on = false,
): string {
  const day = wallTime(at, timeZone);
  const today = wallTime(now, timeZone);
  const tomorrow = addDays(today, 1);
  const time = timeOfDay(at, language, timeZone);
  const same = (a: { year: number; month: number; day: number }) =>
    a.year === day.year && a.month === day.month && a.day === day.day;
  if (same(today)) return `${relative[language][0]} ${atWord[language]} ${time}`;
  if (same(tomorrow)) return `${relative[language][1]} ${atWord[language]} ${time}`;
  return `${on ? onWord[language] : ""}${dayName(at, language, timeZone)} ${
    atWord[language]
  } ${time}`;
}

/** Short form for buttons: "Fri 10:00 AM" / "Fr. 10:00" / "ven. 10h00" / "ven 10:00". */
export function shortWhen(at: Date, language: Language, timeZone: string): string {
  const weekday = format(at, language, timeZone, { weekday: "short" });
  const w = wallTime(at, timeZone);
  return `${weekday} ${w.day}.${w.month}. ${timeOfDay(at, language, timeZone)}`;
}

/** "Dr. Sarah Weber" → "Dr. Weber" (as the guide writes it); other names as they are. */
export function shortName(name: string): string {
  const parts = name.trim().split(/\s+/);
  if (parts.length >= 3 && /^(dr|prof|dott|dottssa|dre?)\.?$/i.test(parts[0])) {
    return `${parts[0]} ${parts[parts.length - 1]}`;
  }
  return name;
}
