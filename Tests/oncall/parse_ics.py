"""Parses an iCalendar file with the `icalendar` package and prints its events as JSON.

Usage: parse_ics.py FILE. Exits non-zero if the file does not parse as one VCALENDAR of version 2.0.
"""
import json
import sys

import icalendar

with open(sys.argv[1], "rb") as handle:
    calendar = icalendar.Calendar.from_ical(handle.read())
assert calendar.name == "VCALENDAR", calendar.name
assert str(calendar["VERSION"]) == "2.0"
assert calendar.get("PRODID")
events = []
for event in calendar.walk("VEVENT"):
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert required in event, required
    events.append({
        "uid": str(event["UID"]),
        "start": event.decoded("DTSTART").isoformat(),
        "end": event.decoded("DTEND").isoformat(),
        "summary": str(event["SUMMARY"]),
    })
print(json.dumps({"name": str(calendar.get("X-WR-CALNAME", "")), "events": events}))
