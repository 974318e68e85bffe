// Test helper: parses a feed with Python's icalendar (validate_ics.py), an implementation
// independent of the ical.js that wrote it.
export interface ParsedEvent {
  uid: string;
  sequence: number;
  summary: string;
  /** SUMMARY as written: unfolded, still escaped (read it with unescapeText). */
  summaryEscaped: string;
  start: string;
  end: string;
  startTzid: string | null;
  properties: string[];
  text: string;
}
export interface ParsedFeed {
  version: string;
  name: string;
  nameEscaped: string | null;
  zones: string[];
  events: ParsedEvent[];
}

const script = new URL("./validate_ics.py", import.meta.url).pathname;

/** Debian's python3 (the one python3-icalendar installs into), not whatever is first on PATH. */
export async function parseWithPython(ics: string): Promise<ParsedFeed> {
  const child = new Deno.Command("/usr/bin/python3", {
    args: [script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(ics));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) {
    throw new Error(`icalendar rejected the feed: ${new TextDecoder().decode(stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(stdout));
}

/**
 * RFC 5545 TEXT unescaping in one pass (\\ \; \, \n \N). python3-icalendar 4.0.3 replaces the
 * escapes one kind after another, which mis-reads "\\\\," and runs of backslashes.
 */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}
