// iCalendar text -> the components we read, as small standalone texts, before ical.js sees
// anything. Bounded by construction: one pass over the lines, nesting and line length capped,
// and only the properties that decide busy time are kept (titles, descriptions, attendees and
// alarms never reach the parser: less memory, less time, nothing private to leak).

export type BlockKind = "VEVENT" | "VTIMEZONE" | "VFREEBUSY";
export type Block = { kind: BlockKind; lines: string[]; uid: string | null };
export type TextReport = {
  /** A component that could not be used at all. */
  skip(uid: string | null, reason: string): void;
  /** A component that was used after a repair (e.g. a missing END). */
  repair(uid: string | null, reason: string): void;
};

const TOP_LEVEL = new Set(["VEVENT", "VTIMEZONE", "VFREEBUSY", "VTODO", "VJOURNAL", "VCALENDAR"]);
/** Nested components deeper than this are not calendars, they are attacks. */
const MAX_DEPTH = 8;
/** A kept property longer than this (e.g. an RDATE with 300,000 dates) is refused. */
export const MAX_KEPT_LINE = 100_000;
/** Properties that decide busy time; everything else is dropped before parsing. */
const KEPT = new Set([
  "UID",
  "DTSTART",
  "DTEND",
  "DURATION",
  "RRULE",
  "RDATE",
  "EXDATE",
  "RECURRENCE-ID",
  "STATUS",
  "TRANSP",
  "X-MICROSOFT-CDO-BUSYSTATUS",
  "FREEBUSY",
  "TZID",
  "TZOFFSETFROM",
  "TZOFFSETTO",
]);
/** Subcomponents kept inside a kept component (zone observances); VALARM and the rest go. */
const KEPT_CHILDREN = new Set(["STANDARD", "DAYLIGHT"]);
const CONTENT_LINE = /^[A-Za-z][A-Za-z0-9-]*[;:]/;
/** The same names as a regular expression: testing it allocates nothing (most lines go). */
const KEPT_LINE = new RegExp(`^(?:BEGIN|END|${[...KEPT].join("|")})[;:]`, "i");
const BLANK = /^\s*$/;
const REPAIRED = /^(DTSTART|DTEND|RECURRENCE-ID|EXDATE|RDATE|RRULE)[;:]/i;

/**
 * Unfolds lines (RFC 5545 3.1) and keeps only BEGIN/END and the properties that decide busy
 * time, repairing what real exporters get wrong in those. A property's name is judged only once
 * it is complete, so a fold inside the name ("RRU" CRLF " LE:...") is joined first; the
 * continuation lines of a dropped property are never even concatenated.
 */
export function normaliseLines(text: string): string[] {
  const bare = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // CRLF, LF or (old Mac) CR alone, split without copying the text; mixed endings by regex.
  const crlf = bare.includes("\r\n");
  const raw = crlf && !/[^\r]\n|\r[^\n]/.test(bare)
    ? bare.split("\r\n")
    : bare.includes("\n") && !bare.includes("\r")
    ? bare.split("\n")
    : bare.split(/\r\n|\r|\n/);
  const lines: string[] = [];
  let pending = ""; // a logical line whose name is not complete yet
  let dropping = false; // the current logical line is one we do not keep
  let keptOpen = false; // the last kept line may still receive continuations

  const judge = (line: string) => {
    if (KEPT_LINE.test(line)) {
      lines.push(line);
      keptOpen = true;
      dropping = false;
    } else {
      dropping = true;
      keptOpen = false;
    }
  };

  for (const line of raw) {
    const continuation = line.startsWith(" ") || line.startsWith("\t");
    if (continuation) {
      if (pending) {
        pending += line.slice(1);
        if (/[;:]/.test(pending.slice(0, 80))) {
          judge(pending);
          pending = "";
        }
      } else if (keptOpen && !dropping) {
        lines[lines.length - 1] += line.slice(1);
      }
      continue;
    }
    if (line.length === 0 || BLANK.test(line)) continue;
    if (pending) {
      // The name never completed: a stray line; treat it as a forgotten fold below.
      pending = "";
    }
    if (!CONTENT_LINE.test(line)) {
      if (/^[A-Za-z][A-Za-z0-9-]*$/.test(line) && line.length < 80) {
        pending = line; // maybe a name folded before its ';' or ':'
        continue;
      }
      // A line break inside a value that the exporter forgot to fold (never into BEGIN/END).
      if (keptOpen && !dropping && !/^(BEGIN|END):/i.test(lines[lines.length - 1])) {
        lines[lines.length - 1] += ` ${line}`;
      }
      continue;
    }
    judge(line);
  }
  if (pending) judge(pending);
  return lines.map((line) =>
    line.length <= 10_000 && REPAIRED.test(line) ? repairLine(line) : line
  );
}

function repairLine(line: string): string {
  // Cheap tests first: almost every line needs none of the repairs below.
  const value = line.slice(line.lastIndexOf(":") + 1);
  const needed = line.includes('"') || line.includes(" ") || line.includes("\t") ||
    /^\d{8}(,|$)/.test(value) || /VALUE=DATE[;:]/i.test(line) && value.includes("T");
  if (!needed) return line;
  return line
    // DTSTART;TZID="W. Europe Standard Time:20200609T090000" (value inside the quotes)
    .replace(/;TZID="([^":]+):(\d{8}(T\d{6}Z?)?)"$/, ';TZID="$1":$2')
    // BYDAY=MO, TU, WE (spaces in a list)
    .replace(/^(RRULE):(.*)$/i, (_m, name, value) => `${name}:${value.replace(/,\s+/g, ",")}`)
    // EXDATE:20240101T100000 , 20240102T100000 (trailing or inner spaces)
    .replace(
      /^(EXDATE|RDATE)([;:].*)$/i,
      (_m, name, rest) => `${name}${rest.replace(/\s*,\s*/g, ",").trimEnd()}`,
    )
    // DTSTART;TZID=America/Los_Angeles:20041225 (a date without VALUE=DATE)
    .replace(
      /^(DTSTART|DTEND|RECURRENCE-ID|EXDATE)((?:;[^:]*)?):(\d{8}(?:,\d{8})*)$/i,
      (whole, name, params, value) =>
        /VALUE=/i.test(params) ? whole : `${name}${params};VALUE=DATE:${value}`,
    )
    // DTSTART;VALUE=DATE:20110804T120000 (a date-time typed as a date)
    .replace(
      /^(DTSTART|DTEND)((?:;[^:]*)?);VALUE=DATE((?:;[^:]*)?):(\d{8}T\d{6}Z?)$/i,
      "$1$2$3:$4",
    );
}

function propertyName(line: string): string {
  // Property names are short; looking at the head only keeps a 5 MB line cheap.
  const head = line.length > 64 ? line.slice(0, 64) : line;
  const end = head.search(/[;:]/);
  return (end < 0 ? head : head.slice(0, end)).toUpperCase();
}

type Open = {
  kind: BlockKind | null; // null: a component we skip over (VTODO, VJOURNAL)
  lines: string[];
  uid: string | null;
  depth: number;
  /** Depth of a dropped subcomponent (VALARM) we are inside, or 0. */
  droppedFrom: number;
  broken: string | null;
};

/**
 * Top-level VEVENT/VTIMEZONE/VFREEBUSY components. A component missing its END is closed where
 * the next top-level component begins (reported as repaired), never allowed to swallow it.
 */
export function splitBlocks(lines: string[], report: TextReport): Block[] {
  const blocks: Block[] = [];
  let open: Open | undefined;

  const close = (repairReason: string | null) => {
    if (!open) return;
    if (open.kind) {
      if (open.broken) {
        report.skip(open.uid, open.broken);
      } else {
        if (repairReason) report.repair(open.uid, repairReason);
        open.lines.push(`END:${open.kind}`);
        blocks.push({ kind: open.kind, lines: open.lines, uid: open.uid });
      }
    }
    open = undefined;
  };

  for (const line of lines) {
    const name = propertyName(line);
    const value = name === "BEGIN" || name === "END"
      ? line.slice(line.indexOf(":") + 1).trim().toUpperCase()
      : "";
    if (name === "BEGIN" && TOP_LEVEL.has(value) && value !== "VCALENDAR") {
      close(open ? "component without END, closed where the next one begins" : null);
      const kind = value === "VTODO" || value === "VJOURNAL" ? null : value as BlockKind;
      open = {
        kind,
        lines: [`BEGIN:${value}`],
        uid: null,
        depth: 1,
        droppedFrom: 0,
        broken: null,
      };
      continue;
    }
    if (!open) continue;
    if (name === "END" && (value === open.kind || value === "VCALENDAR" || TOP_LEVEL.has(value))) {
      // Its own END closes it, even when a subcomponent inside was left open.
      close(value === open.kind && open.depth === 1 ? null : "component END out of place");
      continue;
    }
    if (name === "BEGIN") {
      open.depth++;
      if (open.depth > MAX_DEPTH) open.broken ??= "components nested too deeply";
      if (open.droppedFrom === 0 && !(open.kind === "VTIMEZONE" && KEPT_CHILDREN.has(value))) {
        open.droppedFrom = open.depth;
      }
      if (open.droppedFrom === 0 && !open.broken) open.lines.push(`BEGIN:${value}`);
      continue;
    }
    if (name === "END") {
      if (open.droppedFrom === 0 && !open.broken && open.depth > 1) open.lines.push(`END:${value}`);
      if (open.droppedFrom === open.depth) open.droppedFrom = 0;
      open.depth = Math.max(1, open.depth - 1);
      continue;
    }
    if (open.droppedFrom !== 0 || open.broken || !open.kind || !KEPT.has(name)) continue;
    if (name === "UID" && open.uid === null && open.depth === 1) {
      open.uid = line.slice(line.indexOf(":") + 1).trim().slice(0, 500) || null;
    }
    if (line.length > MAX_KEPT_LINE) {
      open.broken = `${name} longer than ${MAX_KEPT_LINE} characters`;
      continue;
    }
    open.lines.push(line);
  }
  close("component without END at the end of the feed");
  return blocks;
}
