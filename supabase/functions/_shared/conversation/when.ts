// "When" in a customer's words → a time window in the business's time zone. chrono-node reads
// weekdays and relative days in German, English, French and Italian; small rules of our own read
// what it gets wrong for us: Swiss numeric dates ("5.12."), "le 6", bare hours meaning the
// afternoon ("um 3" is 15:00 in a clinic), parts of the day and whole weeks.
import * as chrono from "chrono-node";
import type { Language } from "./intent.ts";
import { partsOfDay } from "./lexicon.ts";
import { addDays, instantOf, wallTime, weekdayOf } from "./zoned.ts";
import { editDistance, hasAny } from "./text.ts";

export type PartOfDay = keyof typeof partsOfDay;

export interface Understood {
  from: Date | null;
  to: Date | null;
  exactTime: boolean;
  partOfDay: PartOfDay | null;
}

type Day = { year: number; month: number; day: number };

const parsers: Record<Language, chrono.Chrono> = {
  de: chrono.de.casual,
  en: chrono.en.casual,
  fr: chrono.fr.casual,
  it: chrono.it.casual,
};

const months: Record<string, number> = {};
[
  ["january", "jan", "januar", "janvier", "gennaio", "genn", "janner"],
  ["february", "feb", "februar", "fevrier", "fevr", "febbraio", "febr"],
  ["march", "mar", "marz", "maerz", "mars", "marzo"],
  ["april", "apr", "avril", "aprile"],
  ["may", "mai", "maggio"],
  ["june", "jun", "juni", "juin", "giugno"],
  ["july", "jul", "juli", "juillet", "luglio"],
  ["august", "aug", "aout", "agosto", "ago"],
  ["september", "sep", "sept", "septembre", "settembre", "sett"],
  ["october", "oct", "okt", "oktober", "octobre", "ottobre", "ott"],
  ["november", "nov", "novembre"],
  ["december", "dec", "dez", "dezember", "decembre", "dicembre", "dic"],
].forEach((names, i) => names.forEach((n) => (months[n] = i + 1)));
const monthPattern = Object.keys(months).sort((a, b) => b.length - a.length).join("|");

const weekdays: readonly (readonly string[])[] = [
  ["sunday", "sun", "sonntag", "so", "dimanche", "domenica"],
  ["monday", "mon", "montag", "mo", "lundi", "lunedi"],
  ["tuesday", "tue", "tues", "dienstag", "di", "mardi", "martedi"],
  ["wednesday", "wed", "mittwoch", "mi", "mercredi", "mercoledi"],
  ["thursday", "thu", "thurs", "donnerstag", "do", "jeudi", "giovedi"],
  ["friday", "fri", "freitag", "fr", "vendredi", "venerdi"],
  ["saturday", "sat", "samstag", "sa", "samedi", "sabato"],
];
// Two-letter abbreviations only count where nothing else can be meant.
const ambiguousShort = new Set([
  "so",
  "mo",
  "di",
  "mi",
  "do",
  "fr",
  "sa",
  "mon",
  "sun",
  "sat",
  "wed",
  "tue",
]);

const relativeDays: readonly [number, readonly string[]][] = [
  [2, [
    "day after tomorrow",
    "ubermorgen",
    "uebermorgen",
    "apres demain",
    "apres-demain",
    "dopodomani",
  ]],
  [0, [
    "today",
    "tonight",
    "heute",
    "aujourd'hui",
    "aujourdhui",
    "ce soir",
    "oggi",
    "stasera",
    "this afternoon",
    "this morning",
  ]],
  [1, ["tomorrow", "tmrw", "tmr", "morgen", "demain", "domani"]],
];

const weekWords = {
  afterNext: [
    "ubernachste woche",
    "uebernaechste woche",
    "week after next",
    "dans deux semaines",
    "tra due settimane",
  ],
  next: [
    "next week",
    "nachste woche",
    "nachsten woche",
    "naechste woche",
    "kommende woche",
    "semaine prochaine",
    "la semaine prochaine",
    "settimana prossima",
    "prossima settimana",
    "la prossima settimana",
  ],
  this: ["this week", "diese woche", "dieser woche", "cette semaine", "questa settimana"],
  weekend: ["weekend", "wochenende", "week end", "week-end", "fine settimana", "fine-settimana"],
};

/** Reads the date, time and part of day in a message. `raw` keeps accents for chrono. */
export function understandWhen(
  folded: string,
  raw: string,
  language: Language,
  now: Date,
  timeZone: string,
): Understood {
  const today = wallTime(now, timeZone);
  const todayDate: Day = { year: today.year, month: today.month, day: today.day };
  const partOfDay = readPartOfDay(folded);
  const time = readTime(folded);
  const week = readWeek(folded, todayDate);
  let date = readDate(folded, todayDate) ??
    (week ? null : chronoDate(raw, language, now, timeZone, todayDate));

  if (!date && !time && !partOfDay && !week) {
    return { from: null, to: null, exactTime: false, partOfDay: null };
  }

  if (!date && week && !time) {
    const from = instantOf({ ...week.from, hour: 0, minute: 0 }, timeZone);
    const to = instantOf({ ...week.to, hour: 0, minute: 0 }, timeZone);
    return clamp({ from, to, exactTime: false, partOfDay }, now);
  }
  if (!date) {
    // A time or part of day alone means today, or tomorrow once it has passed.
    const endHour = time ? time.hour : partOfDay ? partsOfDay[partOfDay].to : 24;
    date = endHour * 60 + (time?.minute ?? 0) > today.hour * 60 + today.minute
      ? todayDate
      : addDays(todayDate, 1);
  }
  if (time) {
    const from = instantOf({ ...date, hour: time.hour, minute: time.minute }, timeZone);
    return clamp(
      { from, to: new Date(from.getTime() + 2 * 3600_000), exactTime: true, partOfDay },
      now,
    );
  }
  if (partOfDay) {
    const part = partsOfDay[partOfDay];
    return clamp({
      from: instantOf({ ...date, hour: part.from, minute: 0 }, timeZone),
      to: instantOf({ ...date, hour: part.to, minute: 0 }, timeZone),
      exactTime: false,
      partOfDay,
    }, now);
  }
  return clamp({
    from: instantOf({ ...date, hour: 0, minute: 0 }, timeZone),
    to: instantOf({ ...addDays(date, 1), hour: 0, minute: 0 }, timeZone),
    exactTime: false,
    partOfDay,
  }, now);
}

/** A window already begun starts now; one entirely past is moved a week on (a weekday said on
 * that same day after hours means next week's). */
function clamp(u: Understood, now: Date): Understood {
  if (!u.from || !u.to) return u;
  if (u.to <= now) {
    const week = 7 * 24 * 3600_000;
    return { ...u, from: new Date(u.from.getTime() + week), to: new Date(u.to.getTime() + week) };
  }
  if (u.from < now) return { ...u, from: now };
  return u;
}

function readPartOfDay(folded: string): PartOfDay | null {
  // "morgen früh" = tomorrow morning; "morgens" = in the morning; "morgen" alone = tomorrow.
  for (
    const [name, part] of Object.entries(partsOfDay) as [
      PartOfDay,
      (typeof partsOfDay)[PartOfDay],
    ][]
  ) {
    if (hasAny(folded, part.words)) return name;
  }
  return null;
}

const numberWords: Record<string, number> = {};
[
  ["one", "eins", "ein", "un", "une", "uno", "una"],
  ["two", "zwei", "deux", "due"],
  ["three", "drei", "trois", "tre"],
  ["four", "vier", "quatre", "quattro"],
  ["five", "funf", "fuenf", "cinq", "cinque"],
  ["six", "sechs", "sei"],
  ["seven", "sieben", "sept", "sette"],
  ["eight", "acht", "huit", "otto"],
  ["nine", "neun", "neuf", "nove"],
  ["ten", "zehn", "dix", "dieci"],
  ["eleven", "elf", "onze", "undici"],
  ["twelve", "zwolf", "zwoelf", "douze", "dodici"],
].forEach((names, i) => names.forEach((n) => (numberWords[n] = i + 1)));
const numberPattern = Object.keys(numberWords).sort((a, b) => b.length - a.length).join("|");
const hourWordPattern = new RegExp(
  `\\b(at|um|a|alle|ore|halb|past|nach|vor|to|gegen|vers|verso|around|dalle|dreiviertel)\\s(${numberPattern})\\b`,
  "g",
);

/** Hours written as words after a time word ("um drei", "at three", "à trois heures", "alle tre")
 * become digits, so the patterns below read them. */
function digitsForHourWords(folded: string): string {
  return folded.replace(
    hourWordPattern,
    (_m, word: string, number: string) => `${word} ${numberWords[number]}`,
  );
}

/** "half past 2", "halb drei" (2:30), "viertel nach 10", "quarter to 5", "3 heures et demie",
 * "10 e mezza": the hour and minutes they mean. */
function readSpokenTime(text: string): { hour: number; minute: number } | null {
  const rules: [RegExp, (n: number) => [number, number]][] = [
    [/\bhalf past (\d{1,2})\b/, (n) => [n, 30]],
    [/\bquarter past (\d{1,2})\b/, (n) => [n, 15]],
    [/\bquarter to (\d{1,2})\b/, (n) => [n - 1, 45]],
    [/\bhalb (\d{1,2})\b/, (n) => [n - 1, 30]],
    [/\bviertel nach (\d{1,2})\b/, (n) => [n, 15]],
    [/\b(?:viertel vor|dreiviertel) (\d{1,2})\b/, (n) => [n - 1, 45]],
    [/\b(\d{1,2}) ?(?:h|heures?) et demie\b/, (n) => [n, 30]],
    [/\b(\d{1,2}) ?(?:h|heures?) et quart\b/, (n) => [n, 15]],
    [/\b(\d{1,2}) ?(?:h|heures?) moins le quart\b/, (n) => [n - 1, 45]],
    [/\b(\d{1,2}) e mezza\b/, (n) => [n, 30]],
    [/\b(\d{1,2}) e un quarto\b/, (n) => [n, 15]],
    [/\b(\d{1,2}) meno un quarto\b/, (n) => [n - 1, 45]],
  ];
  for (const [pattern, read] of rules) {
    const match = text.match(pattern);
    if (!match) continue;
    const [hour, minute] = read(Number(match[1]));
    if (hour < 0 || hour > 23) continue;
    return { hour: hour >= 1 && hour <= 7 ? hour + 12 : hour, minute };
  }
  return null;
}

export function readTime(original: string): { hour: number; minute: number } | null {
  const folded = digitsForHourWords(original);
  const spoken = readSpokenTime(folded);
  if (spoken) return spoken;
  const patterns: [
    RegExp,
    (m: RegExpMatchArray) => { hour: number; minute: number; meridiem?: string },
  ][] = [
    [
      /\b(\d{1,2})\s?(?::|h|\.)(\d{2})\s?(am|pm)?\b/,
      (m) => ({ hour: +m[1], minute: +m[2], meridiem: m[3] }),
    ],
    [
      /\b(\d{1,2})\s?(am|pm|a m|p m)\b/,
      (m) => ({ hour: +m[1], minute: 0, meridiem: m[2].replace(" ", "") }),
    ],
    [
      /\b(\d{1,2})\s?(?:uhr|h|heures?|heure|ore|o'clock|oclock)\b/,
      (m) => ({ hour: +m[1], minute: 0 }),
    ],
    [
      /\b(?:um|at|a|alle|ore|gegen|around|vers|verso le|verso|ab|from|dalle|des|dopo le|after|nach|apres|for|l'|all')\s?(\d{1,2})(?![\d./])\b/,
      (m) => ({ hour: +m[1], minute: 0 }),
    ],
  ];
  const text = withoutNumericDates(folded);
  for (const [pattern, read] of patterns) {
    const match = text.match(pattern);
    if (!match) continue;
    const { hour, minute, meridiem } = read(match);
    if (hour > 23 || minute > 59) continue;
    let h = hour;
    if (meridiem === "pm" && h < 12) h += 12;
    else if (meridiem === "am" && h === 12) h = 0;
    // Nobody books a clinic at 3 in the night: a bare 1-7 means the afternoon.
    else if (!meridiem && h >= 1 && h <= 7) h += 12;
    return { hour: h, minute };
  }
  if (
    /\b(?:noon|midday|mittag|midi|mezzogiorno)\b/.test(folded) &&
    /\b(?:at|um|a|alle|zu)\s(?:noon|midday|mittag|midi|mezzogiorno)\b/.test(folded)
  ) {
    return { hour: 12, minute: 0 };
  }
  return null;
}

const dateWords = "am|le|il|on|the|den|ab|bis|du|au|dal|al|per il|vom|on the";
const timeWords = "um|at|a|alle|ore|gegen|around|vers|verso|dalle|des|by";
const numericPair = /\b(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?\b/g;

/** Is this "d.m" a date (not a time like 14.30)? A year, a date word before it, or a minute part
 * that cannot be a month decide; a time word before it makes it a time. */
function isNumericDate(folded: string, match: RegExpMatchArray): boolean {
  if (match[3]) return true;
  const before = folded.slice(0, match.index).trimEnd();
  if (new RegExp(`(?:^|\\s)(?:${timeWords})$`).test(before)) return false;
  if (new RegExp(`(?:^|\\s)(?:${dateWords})$`).test(before)) return true;
  if (match[0].includes("/")) return true;
  return Number(match[2]) >= 1 && Number(match[2]) <= 12 && Number(match[1]) <= 31 &&
    !/^\d{1,2}\.(00|15|30|45)$/.test(match[0]);
}

function withoutNumericDates(folded: string): string {
  return folded.replace(numericPair, (whole, ...rest) => {
    const offset = rest[rest.length - 2] as number;
    const m = Object.assign([whole, rest[0], rest[1], rest[2]], {
      index: offset,
    }) as unknown as RegExpMatchArray;
    return isNumericDate(folded, m) ? " " : whole;
  });
}

/** The next date with this day of the month and month (this year, else next year). */
function nextDate(today: Day, month: number, day: number, year?: number): Day | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  let y = year ?? today.year;
  if (year === undefined && (month < today.month || (month === today.month && day < today.day))) {
    y += 1;
  }
  const d = new Date(Date.UTC(y, month - 1, day));
  if (d.getUTCMonth() !== month - 1) return null;
  return { year: y, month, day };
}

function readDate(folded: string, today: Day): Day | null {
  for (const [offset, names] of relativeDays) {
    const found = hasAny(folded, names);
    // "morgens" is a part of the day; "morgen" (tomorrow) needs the word itself.
    if (found) return addDays(today, offset);
  }
  // 5.12. / 5.12.2026 / 5/12 (day first, as in Switzerland)
  for (const m of folded.matchAll(numericPair)) {
    if (!isNumericDate(folded, m)) continue;
    const year = m[3] ? (m[3].length === 2 ? 2000 + +m[3] : +m[3]) : undefined;
    const date = nextDate(today, +m[2], +m[1], year);
    if (date) return date;
  }
  // 5. März / 5 mars / 5th of march / march 5
  let m = folded.match(
    new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th|er|e|\\.)?\\s?(?:of\\s)?(${monthPattern})\\b`),
  );
  if (m) return nextDate(today, months[m[2]], +m[1]);
  m = folded.match(new RegExp(`\\b(${monthPattern})\\s(\\d{1,2})(?:st|nd|rd|th)?\\b`));
  if (m) return nextDate(today, months[m[1]], +m[2]);
  // le 6 / am 6. / il 6 / the 6th / on the 6th
  m = folded.match(
    /(?<!verso )\b(?:le|am|il|the|on the|den|du|for the|per il)\s(\d{1,2})(?:st|nd|rd|th|er|\.)?(?!\s?(?:uhr|h\b|:|ore|heures?))\b/,
  ) ??
    folded.match(/\b(\d{1,2})(?:st|nd|rd|th)\b/);
  if (m && !/\b(?:um|at|alle|ore|a)\s\d/.test(m[0])) {
    const day = +m[1];
    if (day >= 1 && day <= 31) {
      const month = day >= today.day ? today.month : (today.month % 12) + 1;
      const date = nextDate(today, month, day);
      if (date) return date;
    }
  }
  // Weekday names (typos allowed in the long ones): the next such day, today included;
  // with "next week" the one in next week.
  const tokens = folded.split(" ");
  for (let wd = 0; wd < 7; wd++) {
    const hit = weekdays[wd].some((name) =>
      !ambiguousShort.has(name) &&
      tokens.some((t) => t === name || (name.length >= 6 && editDistance(t, name, 1) <= 1))
    );
    if (!hit) continue;
    if (hasAny(folded, weekWords.next)) {
      const monday = addDays(today, 7 - ((weekdayOf(today) + 6) % 7));
      return addDays(monday, (wd + 6) % 7);
    }
    return addDays(today, (wd - weekdayOf(today) + 7) % 7);
  }
  return null;
}

function readWeek(folded: string, today: Day): { from: Day; to: Day } | null {
  const mondayOffset = (weekdayOf(today) + 6) % 7; // days since Monday
  const thisMonday = addDays(today, -mondayOffset);
  if (hasAny(folded, weekWords.afterNext)) {
    return { from: addDays(thisMonday, 14), to: addDays(thisMonday, 21) };
  }
  if (hasAny(folded, weekWords.next)) {
    return { from: addDays(thisMonday, 7), to: addDays(thisMonday, 14) };
  }
  if (hasAny(folded, weekWords.this)) return { from: today, to: addDays(thisMonday, 7) };
  if (hasAny(folded, weekWords.weekend)) {
    const saturday = addDays(thisMonday, 5);
    return { from: saturday, to: addDays(saturday, 2) };
  }
  const inWeeks = folded.match(
    /\b(?:in|dans|tra|fra)\s(\d|two|zwei|deux|due|three|drei|trois|tre)\s(?:weeks|wochen|semaines|settimane)\b/,
  );
  if (inWeeks) {
    const n = Number(inWeeks[1]) ||
      ({ two: 2, zwei: 2, deux: 2, due: 2 } as Record<string, number>)[inWeeks[1]] || 3;
    return { from: addDays(thisMonday, 7 * n), to: addDays(thisMonday, 7 * n + 7) };
  }
  return null;
}

/** chrono for what our rules did not read (for example "nächsten Dienstag", "vendredi prochain"). */
function chronoDate(
  raw: string,
  language: Language,
  now: Date,
  timeZone: string,
  today: Day,
): Day | null {
  // chrono is given the business's wall clock as if it were UTC, so its calendar is the
  // business's whatever the machine's zone is.
  const wall = wallTime(now, timeZone);
  const reference = {
    instant: new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute)),
    timezone: 0,
  };
  const text = raw.toLowerCase().slice(0, 500);
  for (const parser of [parsers[language], chrono.en.casual]) {
    for (const result of parser.parse(text, reference, { forwardDate: true })) {
      // Two-letter day abbreviations ("so", "di", "do") are ordinary words in a message.
      if (result.text.trim().length < 4) continue;
      const c = result.start;
      if (!c.isCertain("day") && !c.isCertain("weekday")) continue;
      const d = c.date();
      const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      if (
        Date.UTC(date.year, date.month - 1, date.day) <
          Date.UTC(today.year, today.month - 1, today.day)
      ) continue;
      return date;
    }
  }
  return null;
}
