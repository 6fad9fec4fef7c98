"""Run with Debian's python3 (python3-gi, gir1.2-ical-3.0): libical's verdict on .ics files.

Prints JSON {file: [X-LIC-ERROR lines]}; an empty list means libical accepted the file.
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def errors(component):
    found = []
    prop = component.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop:
        found.append(prop.as_ical_string().strip())
        prop = component.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = component.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child:
        found.extend(errors(child))
        child = component.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    return found


result = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        component = ICalGLib.Component.new_from_string(handle.read())
    if component is None:
        result[path] = ["libical could not parse the file"]
        continue
    ICalGLib.restriction_check(component)
    result[path] = errors(component)
print(json.dumps(result, ensure_ascii=False))
