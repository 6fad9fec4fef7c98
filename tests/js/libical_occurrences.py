"""Run with Debian's python3 (python3-gi, gir1.2-ical-3.0): libical's own recurrence expansion
(icalcomponent_foreach_recurrence: RRULE, RDATE and EXDATE as libical reads them).

As libical's clients do (Evolution's e_cal_recur_generate_instances), an instance that has its own
RECURRENCE-ID component in the file is taken from that component, not from the master's rule.

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


def recurrence_instant(calendar, vevent):
    """A RECURRENCE-ID as seconds since the epoch: its TZID resolved with the file's VTIMEZONE."""
    prop = vevent.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY)
    param = prop.get_first_parameter(ICalGLib.ParameterKind.TZID_PARAMETER)
    zone = calendar.get_timezone(param.get_tzid()) if param else None
    return vevent.get_recurrenceid().as_timet_with_zone(zone or ICalGLib.Timezone.get_utc_timezone())


def occurrences(vevent, start, end, detached=frozenset()):
    uid = vevent.get_uid()
    all_day = vevent.get_dtstart().is_date()
    found = []

    def collect(_component, span, _data):
        if span.get_start() in detached:
            return
        moment = datetime.fromtimestamp(span.get_start(), UTC)
        text = moment.date().isoformat() if all_day else moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        found.append([uid, text])

    vevent.foreach_recurrence(start, end, collect, None)
    return found


def vevents(calendar):
    vevent = calendar.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    while vevent:
        yield vevent
        vevent = calendar.get_next_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)


first, last, *files = sys.argv[1:]
result = {}
for path in files:
    with open(path, encoding="utf-8") as handle:
        calendar = ICalGLib.Component.new_from_string(handle.read())
    components = list(vevents(calendar))
    detached = {}
    for vevent in components:
        if vevent.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY):
            detached.setdefault(vevent.get_uid(), set()).add(recurrence_instant(calendar, vevent))
    out = []
    for vevent in components:
        overrides = frozenset() if vevent.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY) \
            else frozenset(detached.get(vevent.get_uid(), ()))
        out.extend(occurrences(vevent, boundary(first), boundary(last), overrides))
    result[path] = out
print(json.dumps(result, ensure_ascii=False))
