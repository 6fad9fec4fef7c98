"""Run with Debian's python3 (python3-gi, gir1.2-ical-3.0): libical's own recurrence expansion
(icalcomponent_foreach_recurrence: RRULE, RDATE and EXDATE as libical reads them).

Usage: libical_occurrences.py FROM TO file.ics [...] (ISO dates, TO exclusive).
Prints JSON {file: [[uid, start], ...]}: starts as ical.js prints them (UTC with milliseconds;
dates as YYYY-MM-DD for all-day events).
"""

import json
import sys
from datetime import UTC, datetime

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def boundary(day):
    return ICalGLib.Time.new_from_string(day.replace("-", "") + "T000000Z")


def occurrences(vevent, start, end):
    uid = vevent.get_uid()
    all_day = vevent.get_dtstart().is_date()
    found = []

    def collect(_component, span, _data):
        moment = datetime.fromtimestamp(span.get_start(), UTC)
        text = moment.date().isoformat() if all_day else moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        found.append([uid, text])

    vevent.foreach_recurrence(start, end, collect, None)
    return found


first, last, *files = sys.argv[1:]
result = {}
for path in files:
    with open(path, encoding="utf-8") as handle:
        calendar = ICalGLib.Component.new_from_string(handle.read())
    out = []
    vevent = calendar.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    while vevent:
        out.extend(occurrences(vevent, boundary(first), boundary(last)))
        vevent = calendar.get_next_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    result[path] = out
print(json.dumps(result, ensure_ascii=False))
