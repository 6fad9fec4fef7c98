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
  for (const vevent of component.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    const base = {
      uid: event.uid,
      summary: event.summary,
      status: vevent.getFirstPropertyValue("status"),
      location: event.location,
      description: event.description,
    };
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (next.compare(rangeEnd) >= 0) break;
      const details = event.getOccurrenceDetails(next);
      if (details.endDate.compare(rangeStart) <= 0) continue;
      out.push({ ...base, start: stamp(details.startDate), end: stamp(details.endDate) });
    }
  }
  result[file] = out;
}
process.stdout.write(JSON.stringify(result));
