"""Checks `tierdesk sla preview` end to end: JSON in on stdin, JSON out on stdout, exit code 2 on bad input."""
import json
import subprocess
import sys

binary = sys.argv[1]
office = {"timeZone": "Europe/Berlin",
          "weekly": {day: [{"start": "08:00", "end": "17:00"}] for day in ["mon", "tue", "wed", "thu", "fri"]},
          "holidays": ["2026-12-25"]}
cases = [
    ("24x7", {"calendar": None, "targets": {"firstResponse": 120, "resolution": 480},
              "timeline": [{"at": "2026-03-06T21:30:00Z", "event": "created"}]},
     {"firstResponse": {"due": "2026-03-06T23:30:00Z", "met": None},
      "resolution": {"due": "2026-03-07T05:30:00Z", "met": None, "paused": False}}),
    ("office hours, paused at the end", {"calendar": office, "targets": {"firstResponse": 120, "resolution": 480},
              "timeline": [{"at": "2026-03-09T10:00:00Z", "event": "pause"},
                           {"at": "2026-03-06T21:30:00Z", "event": "created"},
                           {"at": "2026-03-09T07:45:00Z", "event": "firstResponse"}]},
     {"firstResponse": {"due": "2026-03-09T09:00:00Z", "met": True},
      "resolution": {"due": None, "met": None, "paused": True}}),
]
failed = False
for name, scenario, expected in cases:
    run = subprocess.run([binary, "sla", "preview"], input=json.dumps(scenario), capture_output=True, text=True)
    if run.returncode != 0 or json.loads(run.stdout) != expected:
        print(f"sla preview: {name}: exit {run.returncode}, got {run.stdout!r} {run.stderr!r}, expected {expected}")
        failed = True
    else:
        print(f"sla preview: {name}: ok")

bad = {"calendar": {"timeZone": "Mars/Olympus", "weekly": {"mon": [{"start": "09:00", "end": "08:00"}]}},
       "targets": {"resolution": -1}, "timeline": [{"at": "soon", "event": "created"}]}
run = subprocess.run([binary, "sla", "preview"], input=json.dumps(bad), capture_output=True, text=True)
named = all(field in run.stderr for field in ["calendar.timeZone", "calendar.weekly.mon[0]", "targets.resolution", "timeline[0].at"])
if run.returncode != 2 or run.stdout or not named:
    print(f"sla preview: invalid scenario: exit {run.returncode}, stdout {run.stdout!r}, stderr {run.stderr!r}")
    failed = True
else:
    print("sla preview: invalid scenario refused with exit code 2, naming every field")
sys.exit(1 if failed else 0)
