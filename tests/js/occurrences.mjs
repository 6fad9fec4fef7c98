// Expand every event of .ics files with Mozilla's ical.js (Thunderbird's parser).
// Usage: node occurrences.mjs FROM TO file.ics [...]; FROM/TO are ISO dates (TO exclusive).
// Prints JSON: {"file": [{"uid", "start", "end", "summary", "status", "location", "description"}]}
import fs from "node:fs";
import ICAL from "ical.js";

const [from, to, ...files] = process.argv.slice(2);
const rangeStart = ICAL.Time.fromDateString(from);
const rangeEnd = ICAL.Time.fromDateString(to);

function stamp(time) {
  return time.isDate ? time.toString() : time.toJSDate().toISOString();
}

const result = {};
for (const file of files) {
  const component = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  for (const zone of component.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const out = [];
  // A series' RECURRENCE-ID overrides are relations of their master (same UID), not events of
  // their own. Given none, ical.js relates every override in the file to every event (by time).
  const vevents = component.getAllSubcomponents("vevent");
  const masters = vevents.filter((v) => !v.hasProperty("recurrence-id"));
  for (const vevent of masters) {
    const uid = vevent.getFirstPropertyValue("uid");
    const exceptions = vevents.filter((v) => v.hasProperty("recurrence-id") &&
                                             v.getFirstPropertyValue("uid") === uid);
    const event = new ICAL.Event(vevent, { strictExceptions: true, exceptions });
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (next.compare(rangeEnd) >= 0) break;
      const details = event.getOccurrenceDetails(next);
      if (details.endDate.compare(rangeStart) <= 0) continue;
      const item = details.item;  // the override when this instance has one
      out.push({
        uid: item.uid,
        summary: item.summary,
        status: item.component.getFirstPropertyValue("status"),
        location: item.location,
        description: item.description,
        start: stamp(details.startDate),
        end: stamp(details.endDate),
      });
    }
  }
  result[file] = out;
}
process.stdout.write(JSON.stringify(result));
