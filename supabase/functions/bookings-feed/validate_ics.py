#!/usr/bin/python3
"""Reads an iCalendar feed on stdin with Python's `icalendar` (Debian: python3-icalendar), an
implementation independent of the ical.js that wrote it, and prints what it understood as JSON.
Exits non-zero with the reason when the text breaks RFC 5545 rules calendar apps rely on."""
import json
import sys

import icalendar

raw = sys.stdin.buffer.read()
problems = []
if not raw.endswith(b"\r\n"):
    problems.append("the feed does not end with CRLF")
lines = raw.split(b"\r\n")
# Property values as written (unfolded, still escaped): python3-icalendar 4.0.3 mis-reads runs of
# backslashes when it unescapes, so tests unescape these themselves (RFC 5545, 3.3.11).
unfolded = raw.decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
for number, line in enumerate(lines[:-1], start=1):
    if b"\n" in line or b"\r" in line:
        problems.append(f"line {number} has a bare CR or LF")
    if len(line) > 75:
        problems.append(f"line {number} is {len(line)} octets long (at most 75)")
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"line {number} splits a UTF-8 character")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)

calendar = icalendar.Calendar.from_ical(raw.decode("utf-8"))
zones = [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")]
summaries = [line[len("SUMMARY:"):] for line in unfolded if line.startswith("SUMMARY:")]
names = [line.split(":", 1)[1] for line in unfolded if line.startswith("X-WR-CALNAME")]
events = []
for index, event in enumerate(calendar.walk("VEVENT")):
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND")
    events.append({
        "uid": str(event["UID"]),
        "sequence": int(event["SEQUENCE"]),
        "summary": str(event["SUMMARY"]),
        "summaryEscaped": summaries[index],
        "start": start.isoformat(),
        "end": end.isoformat(),
        "startTzid": event["DTSTART"].params.get("TZID"),
        "properties": sorted(event.keys()),
        "text": event.to_ical().decode("utf-8"),
    })
print(json.dumps({
    "version": str(calendar["VERSION"]),
    "name": str(calendar.get("X-WR-CALNAME", "")),
    "nameEscaped": names[0] if names else None,
    "zones": zones,
    "events": events,
}))
