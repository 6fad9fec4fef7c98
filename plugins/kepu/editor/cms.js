/* The web editor (/admin/): the fields Decap CMS lacks, then Decap is started.
 *   kepu-when    a date with an optional time, shown with its weekday (start, end, deadlines);
 *   kepu-repeat  the repeat section: 每周几 / 每月第几个周几 / 每天, until, except, and the dates it gives.
 *   kepu-contact one line of contact text, or its name, phone and e-mail when the file has them so;
 *   kepu-venue   a registered venue from the list (its id saved), or another place's name and address;
 *   kepu-choice  one of a few options, in the browser's own list: a file's other spelling the check
 *                reads (status: 延期) shown as the option it means, one it does not read shown as written.
 * Loaded before decap-cms.js: it asks Decap to wait until the fields are registered. */
(function () {
  "use strict";
  window.CMS_MANUAL_INIT = true;

  var WEEKDAY_NAMES = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
  var DAY_CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
  var WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];
  var ORDINALS = [[1, "第一个"], [2, "第二个"], [3, "第三个"], [4, "第四个"], [-1, "最后一个"]];
  var SHOWN_DATES = 60;
  var DATE = /^(\d{4})-(\d{2})-(\d{2})/;
  var CLOCK = /(?:^|[ T])(\d{1,2}):(\d{2})/;

  function plain(value) {
    return value && typeof value.toJS === "function" ? value.toJS() : value;
  }

  function dayOf(text) {
    var match = DATE.exec(String(text || ""));
    if (!match) return null;
    var day = new Date(Date.UTC(2000, +match[2] - 1, +match[3]));
    day.setUTCFullYear(+match[1]);  // Date.UTC reads years 0–99 as 1900–1999: 0027 showed as 1927
    return day;
  }

  /* A year the box accepted that no event has (a date typed as 1月9号2027 became 0027-12-20). */
  function yearProblem(date) {
    var match = DATE.exec(String(date || ""));
    return match && (+match[1] < 2000 || +match[1] > 2099) ?
      "年份“" + match[1] + "”不对：请重新选日期，年份是 4 位数，例如 2027" : "";
  }

  function iso(day) {
    return day.toISOString().slice(0, 10);
  }

  function shown(day) {
    return day.getUTCFullYear() + "年" + (day.getUTCMonth() + 1) + "月" + day.getUTCDate() + "日（" +
      WEEKDAY_NAMES[day.getUTCDay()] + "）";
  }

  /* Decap re-renders a field only when its own value changes, and its ``entry`` is then as it was:
     the date fields tell the repeat section (and the end) their values as they change. */
  var CURRENT = {}, LISTENERS = [];

  function remember(name, value) {
    if (CURRENT[name] === value) return;
    CURRENT[name] = value;
    LISTENERS.slice().forEach(function (listener) { listener(); });
  }

  function entryField(props, name) {
    if (!name) return "";
    if (Object.prototype.hasOwnProperty.call(CURRENT, name)) return CURRENT[name];
    return props.entry ? plain(props.entry.getIn(["data", name])) : "";
  }

  function subscribe(component) {
    component.listener = function () { component.forceUpdate(); };
    LISTENERS.push(component.listener);
  }

  function unsubscribe(component) {
    LISTENERS.splice(LISTENERS.indexOf(component.listener), 1);
  }

  function parts(value) {
    var text = String(value || "");
    var clock = CLOCK.exec(text);
    return {date: (DATE.exec(text) || [""])[0], time: clock ? ("0" + clock[1]).slice(-2) + ":" + clock[2] : ""};
  }

  /* Whether the repeat section holds a rule (one the form shows, or one written by hand). */
  function isSeries(rule) {
    return typeof rule === "string" ? rule.trim() !== "" : !!(rule && rule.rrule);
  }

  /* A one-off event's last day: the end's date when it has one after the start's, else the start's. */
  function lastDay(start, end) {
    var first = parts(start).date, ends = parts(end).date;
    return ends > first ? ends : first;
  }

  var h, createClass;

  /* What ``invoke check`` would refuse about this date's place beside the start, said in the
     form's words: an end before its start; a deadline after a one-off event's day (a series'
     last day is the check's to find). */
  function orderProblem(value, field, props) {
    var from = field.get("date_from"), before = field.get("not_after");
    if (from) {
      var start = parts(entryField(props, from)), day = value.date || start.date;
      if (!start.date || !day) return "";
      if (!start.time && value.time) {
        return "开始没有选时间（全天活动），结束就只选日期、不选时间；有具体时间的活动，开始也要选上时间";
      }
      var startAt = start.date + " " + (start.time || "00:00"), endAt = day + " " + (value.time || "99:99");
      if (endAt <= startAt || (!value.time && start.time && value.date && value.date < start.date)) {
        return "结束早于（或等于）开始：检查是不是把时间写反了；跨天的活动，结束要选最后一天的日期";
      }
    }
    if (before) {
      var first = parts(entryField(props, before)).date;
      var last = lastDay(entryField(props, before), entryField(props, "end"));
      if (first && value.date > last && !isSeries(plain(entryField(props, "recurrence")))) {
        return "报名截止日期晚于活动的最后一天：要选活动结束之前（或当天）的日期";
      }
    }
    return "";
  }

  /* The start moved to another day: an end with a date moves as many days (a one-day event stays
     one day, a two-day fair two days). It used to stay where it was: moving an event a day earlier
     published it as lasting two days. */
  function followStart(control) {
    var from = control.props.field.get("date_from");
    if (!from) return false;
    var start = dayOf(entryField(control.props, from)), before = control.startDay;
    control.startDay = start;
    var value = parts(control.props.value), end = dayOf(value.date);
    if (!start || !before || !end || start.getTime() === before.getTime()) return false;
    end.setUTCDate(end.getUTCDate() + Math.round((start - before) / 86400000));
    control.props.onChange(iso(end) + (value.time ? " " + value.time : ""));
    return true;
  }

  var NIGHT = null;  // a start before NIGHT.before is asked about unless NIGHT.field says it is a night event

  var TRUE_WORDS = [];  // the check's words for a switch that is on (是, yes…), from the start field
  // The site's time zone (TIMEZONE), from the admin page: the clock the form compares with and
  // names uploads by, in every collection (a page's form has no date field).
  var ZONE = document.documentElement.getAttribute("data-timezone") || "";
  var LINK_WORDS = null;  // words that read as a web address (the check's _ADDRESS_WORDS), from the start field

  /* A switch as the check reads it: true, or a word for it (Decap's YAML hands 是 and yes as text). */
  function yes(value) {
    return value === true || (typeof value === "string" && TRUE_WORDS.indexOf(value.trim().toLowerCase()) >= 0);
  }

  /* The events opened or saved in this page, by path: a copy (复制, 发布，然后复制内容) is compared
     with them. COPY: what a copy leaves out (copyevent.DROPPED), the fields shown by their labels.
     COPY_OF: the original a new entry was made from (it began with the original's data), at the
     address of that new entry: her later changes (a new name for the next stop) keep it a copy. */
  var ORIGINALS = {}, COPY = null, COPY_OF = null;

  function rememberOriginal(entry, saved) {
    if (entry && entry.get("collection") === "events" && (saved || !entry.get("newRecord"))) {
      ORIGINALS[entry.get("path") || ""] = plain(entry.get("data"));
    }
    if (saved) COPY_OF = null;
  }

  /* A saved event as it was opened (or last saved) in this page; null for a new one. */
  function originalOf(entry) {
    return entry && !entry.get("newRecord") ? ORIGINALS[entry.get("path") || ""] || null : null;
  }

  function noteCopy(entry) {
    if (!entry || !entry.get("newRecord") || entry.get("collection") !== "events") return;
    var data = JSON.stringify(plain(entry.get("data")));
    Object.keys(ORIGINALS).forEach(function (path) {
      if (JSON.stringify(ORIGINALS[path]) === data) COPY_OF = {at: location.hash, original: ORIGINALS[path]};
    });
  }

  /* A name as two volunteers typing the same one would both write it (the check's title_key). */
  function titleKey(title) {
    return String(title || "").normalize("NFKC").split(/\s+/).filter(Boolean).join(" ").toLowerCase();
  }

  /* The originals a new entry is a copy of: the one it was made from, and those with its name and
     street (an event typed in again), each once. */
  function copiedFrom(entry, get) {
    if (!entry.get("newRecord")) return [];
    var key = titleKey(get("title")), street = String(get("street") || ""), seen = {};
    var made = COPY_OF && COPY_OF.at === location.hash ? [COPY_OF.original] : [];
    return made.concat(Object.keys(ORIGINALS).map(function (path) { return ORIGINALS[path]; }).filter(function (old) {
      return titleKey(old.title) === key && String(old.street || "") === street;
    })).filter(function (old) {
      var text = JSON.stringify(old), first = !seen[text];
      seen[text] = true;
      return first;
    });
  }

  function whenControl() {
    return createClass({
      componentDidMount: function () {
        subscribe(this);
        if (this.props.field.get("night_before")) {
          NIGHT = {before: this.props.field.get("night_before"), field: this.props.field.get("night_field")};
          TRUE_WORDS = plain(this.props.field.get("true_words")) || TRUE_WORDS;
          LINK_WORDS = new RegExp("^(?:" + this.props.field.get("link_words") + ")$", "i");
        }
        if (this.props.field.get("copy_fields")) {
          COPY = plain(this.props.field.get("copy_fields"));
          rememberOriginal(this.props.entry);
          noteCopy(this.props.entry);
        }
        remember(this.props.field.get("name"), this.props.value || "");
        this.startDay = dayOf(entryField(this.props, this.props.field.get("date_from")));
      },
      componentDidUpdate: function () {
        if (this.props.field.get("copy_fields")) noteCopy(this.props.entry);
        if (!followStart(this)) remember(this.props.field.get("name"), this.props.value || "");
      },
      componentWillUnmount: function () { unsubscribe(this); },
      change: function (date, time) {
        var options = this.props.field;
        if (options.get("time") === "none") time = "";
        if (!date && time && options.get("date_from")) {
          this.props.onChange(time);  // the same day as the start: the file says end: "16:00"
          return;
        }
        this.keptTime = date ? "" : time;  // a day cleared to choose another keeps its time
        this.props.onChange(date ? (time ? date + " " + time : date) : "");
      },
      isValid: function () {
        var value = parts(this.props.value), field = this.props.field;
        if (this.props.value && !value.date && !(value.time && field.get("date_from"))) {
          return {error: {message: "请选日期"}};
        }
        if (yearProblem(value.date)) return {error: {message: yearProblem(value.date)}};
        var order = this.props.value ? orderProblem(value, field, this.props) : "";
        return order ? {error: {message: order}} : true;
      },
      render: function () {
        var self = this, value = parts(this.props.value), field = this.props.field;
        if (!this.props.value && this.keptTime) value.time = this.keptTime;
        var day = dayOf(value.date) || (value.time && dayOf(entryField(this.props, field.get("date_from"))));
        var label = field.get("label") || "";
        var inputs = [h("input", {
          type: "date", id: this.props.forID, value: value.date, "aria-label": /日期$/.test(label) ? label : label + "日期",
          onChange: function (event) { self.change(event.target.value, value.time); }
        })];
        if (field.get("time") !== "none") {
          inputs.push(h("input", {
            type: "time", value: value.time, step: 300, "aria-label": label + "时间",
            onChange: function (event) { self.change(value.date, event.target.value); }
          }));
        }
        var said = day ? shown(day) + (value.time ? " " + value.time : (field.get("time") === "none" ? "" : " 全天")) : "还没有选日期";
        inputs.push(h("output", {className: "kepu-weekday", "aria-live": "polite"}, said));
        return h("div", {className: this.props.classNameWrapper + " kepu-when"}, inputs);
      }
    });
  }

  /* The repeat rule as the form shows it, and back. Rules the form cannot show are kept as written. */
  function readRule(rule) {
    var found = {kind: "none", days: [], ordinal: 1, weekday: 6, until: "", other: ""};
    if (!rule) return found;
    var fields = {};
    String(rule).toUpperCase().replace(/^RRULE:/, "").split(";").forEach(function (part) {
      var pair = part.split("=");
      if (pair.length === 2) fields[pair[0].trim()] = pair[1].trim();
    });
    var until = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(fields.UNTIL || "");
    found.until = until ? until[1] + "-" + until[2] + "-" + until[3] : "";
    var known = Object.keys(fields).every(function (key) { return ["FREQ", "BYDAY", "UNTIL"].indexOf(key) >= 0; });
    var days = (fields.BYDAY || "").split(",").filter(Boolean);
    if (known && fields.FREQ === "DAILY" && !days.length) {
      found.kind = "daily";
    } else if (known && fields.FREQ === "WEEKLY" && days.every(function (d) { return DAY_CODES.indexOf(d) >= 0; })) {
      found.kind = "weekly";
      found.days = days.map(function (d) { return DAY_CODES.indexOf(d); });
    } else if (known && fields.FREQ === "MONTHLY" && days.length === 1 && /^(-1|[1-4])(SU|MO|TU|WE|TH|FR|SA)$/.test(days[0])) {
      found.kind = "monthly";
      found.ordinal = parseInt(days[0], 10);
      found.weekday = DAY_CODES.indexOf(days[0].slice(-2));
    } else {
      found.kind = "other";
      found.other = String(rule);
    }
    return found;
  }

  /* A rule the form shows with no last day: it repeats for ever. */
  function openEnded(state) {
    return ["daily", "weekly", "monthly"].indexOf(state.kind) >= 0 && !state.until;
  }

  function writeRule(state) {
    var rule;
    if (state.kind === "daily") rule = "FREQ=DAILY";
    else if (state.kind === "weekly") {
      rule = "FREQ=WEEKLY;BYDAY=" + WEEK_ORDER.filter(function (d) { return state.days.indexOf(d) >= 0; })
        .map(function (d) { return DAY_CODES[d]; }).join(",");
    } else if (state.kind === "monthly") rule = "FREQ=MONTHLY;BYDAY=" + state.ordinal + DAY_CODES[state.weekday];
    else return state.kind === "other" ? state.other : "";
    return state.until ? rule + ";UNTIL=" + state.until : rule;
  }

  function onRule(state, day) {
    if (state.kind === "daily") return true;
    if (state.kind === "weekly") return state.days.indexOf(day.getUTCDay()) >= 0;
    if (state.kind !== "monthly" || day.getUTCDay() !== state.weekday) return false;
    if (state.ordinal > 0) return Math.ceil(day.getUTCDate() / 7) === state.ordinal;
    var next = new Date(day.getTime() + 7 * 86400000);
    return next.getUTCMonth() !== day.getUTCMonth();
  }

  /* The dates the rule gives from the start (at most SHOWN_DATES, within two years), except the exceptions. */
  function expand(state, start, exdates) {
    var dates = [], last = dayOf(state.until), day = new Date(start.getTime());
    var limit = new Date(start.getTime() + 731 * 86400000);
    while (day <= limit && (!last || day <= last) && dates.length < SHOWN_DATES) {
      if (onRule(state, day)) dates.push({day: new Date(day.getTime()), skipped: exdates.indexOf(iso(day)) >= 0});
      day = new Date(day.getTime() + 86400000);
    }
    return dates;
  }

  /* The rule's dates with the file's extra sessions (rdates) among them, in order; an extra one on a
     day the rule gives at the same time is listed once, as the rule's (saving drops it: extrasOff). */
  function withExtras(dates, state, startText) {
    var start = parts(startText);
    var extras = (state.rdates || []).filter(function (text) {
      return dayOf(text) && !extraOnRule(state, start, text);
    }).map(function (text) {
      var time = parts(text).time;
      return {day: dayOf(text), extra: text, note: (time && time !== start.time ? " " + time : "") + " 加开一场"};
    });
    return dates.concat(extras).sort(function (a, b) { return a.day - b.day; });
  }

  /* An extra session (rdates) at the start's time: a date alone, or with the start's clock. */
  function atStartTime(start, text) {
    var time = parts(text).time;
    return !time || time === start.time;
  }

  /* The start is the series' first session: a day of the rule, or one of the extra sessions at its
     time (a course that opens on a Tuesday and then meets on Saturdays: the check's start_on_rule). */
  function startHeld(state, startText) {
    var start = parts(textOf(startText)), day = dayOf(start.date);
    return !!day && (onRule(state, day) || (state.rdates || []).some(function (text) {
      return parts(text).date === start.date && atStartTime(start, text);
    }));
  }

  /* A day the rule gives from the first day (an ISO date) to its until. */
  function ruleHolds(state, first, day) {
    var text = iso(day);
    return text >= first && (!state.until || text <= state.until) && onRule(state, day);
  }

  /* An extra session the rule gives itself at the start's time (到哪天为止 moved past it, a
     weekday added): the check refuses it, as some calendars would list the day twice. */
  function extraOnRule(state, start, text) {
    var day = dayOf(text);
    return !!day && !!start.date && atStartTime(start, text) && ruleHolds(state, start.date, day);
  }

  /* The file's extra sessions that the rule now gives itself (saving drops them). */
  function extrasOff(rule, start) {
    var state = readRule(rule.rrule), first = parts(textOf(start));
    if (state.kind === "none" || state.kind === "other") return [];
    return (rule.rdates || []).filter(function (value) { return extraOnRule(state, first, textOf(value)); });
  }

  /* A session's date as the file names it: its own (date), or the first one of a series called off
     from then on (from). */
  function sessionDay(session) {
    var day = session && (isStop(session) ? session.from : session.date);
    return day instanceof Date ? day.toISOString().slice(0, 10) : String(day || "").slice(0, 10);
  }

  /* The item calling the series off from one session on (recurrence.sessions' ``from``). */
  function isStop(session) {
    return !!session && session.from !== undefined && session.from !== null && !session.date;
  }

  /* The file's stop item (undefined while the series goes on), and its first day no longer held (""). */
  function stopOf(sessions) {
    return sessions.filter(isStop)[0];
  }

  function stopDay(sessions) {
    var stop = stopOf(sessions);
    return stop ? sessionDay(stop) : "";
  }

  var CANCEL_WORDS = ["cancelled"];  // how a file may cancel one session (the check's, from the repeat field)

  function cancelled(session) {
    return !!session && CANCEL_WORDS.indexOf(String(session.status || "").trim().toLowerCase()) >= 0;
  }

  function textOf(value) {  // a date or time as the file has it (Decap may hand a Date)
    return value instanceof Date ? value.toISOString().slice(0, 16).replace("T", " ") : String(value || "");
  }

  /* Changed sessions as a reader of the file looks for them: by their date, not in the order added. */
  function inDateOrder(sessions) {
    return sessions.slice().sort(function (a, b) {
      var x = sessionDay(a), y = sessionDay(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }

  var VENUE_NAMES = {};  // a registered venue's name by its id (a moved session may name one by its id)

  function knowVenues(venues) {
    venues.forEach(function (v) { VENUE_NAMES[v.id] = v.name; });
  }

  /* The registered venues as the form's drop-downs list them: by street. */
  function venueGroups(venues) {
    var groups = {}, order = [];
    knowVenues(venues);
    venues.forEach(function (v) {
      if (!groups[v.street]) { groups[v.street] = []; order.push(v.street); }
      var former = (v.former_names || []).length ? "（原名" + v.former_names.join("、") + "）" : "";
      groups[v.street].push(h("option", {key: v.id, value: v.id}, v.name + former));
    });
    return order.map(function (street) { return h("optgroup", {key: "g-" + street, label: street || "其他街镇"}, groups[street]); });
  }

  /* A moved session as a volunteer wrote it: 改到 2026年12月20日（周日） 09:30–11:30 · 地点：… · 说明. */
  function movedText(session) {
    var found = [], start = parts(textOf(session.start)), end = parts(textOf(session.end)), day = dayOf(start.date);
    if (day || start.time) {
      found.push("改到 " + (day ? shown(day) : "") + (start.time ? " " + start.time : "") + (end.time ? "–" + end.time : ""));
    }
    var place = typeof session.venue === "string" ? (VENUE_NAMES[session.venue] || session.venue)
      : (session.venue && session.venue.name);
    if (place) found.push("地点：" + place);
    if (session.note) found.push(session.note);
    return found.join(" · ");
  }

  /* How a session written in the file shows beside its date. */
  function sessionNote(session) {
    return cancelled(session) ? " 已取消" + (session.note ? "（" + session.note + "）" : "") : " " + (movedText(session) || "改期或换地点");
  }

  function repeatControl() {
    return createClass({
      getInitialState: function () {
        // A series saved without a last day was meant so (a monthly open day); a new one is asked.
        return {adding: "", refusedOff: "", cancelling: "", reason: "", refused: "", move: {}, moveRefused: "",
                stopping: "", stopReason: "", stopRefused: "", stopSaid: "", folded: [],
                forever: openEnded(readRule((plain(this.props.value) || {}).rrule))};
      },
      componentDidMount: function () { subscribe(this); this.tell(); },
      componentDidUpdate: function () { this.tell(); },
      componentWillUnmount: function () { unsubscribe(this); },
      /* Saving drops what is typed but not added (a day off picked, its button not pressed): said
         before saving, as is a start the rule does not hold, or a last day before the first. */
      isValid: function () {
        var move = this.state.move;
        var pending = this.state.adding ? "不开展的日期选了 " + this.state.adding + "，还没有点“添加这一天”" :
          (this.state.cancelling || this.state.reason.trim()) ? "取消其中一场：填了日期或原因，还没有点“取消这一场”" :
          (this.state.stopping || this.state.stopReason.trim()) ? "从某一场起停办：填了日期或原因，还没有点“从这一场起停办”" :
          Object.keys(move).some(function (key) { return String(move[key] || "").trim(); }) ?
            "改期或换地点：填了内容，还没有点“改这一场”" : "";
        if (pending) return {error: {message: pending}};
        var state = this.current(), startText = entryField(this.props, this.props.field.get("start_field"));
        var start = dayOf(startText);
        if (state.kind === "none" || state.kind === "other" || !start) return true;
        if (!startHeld(state, startText)) return {error: {message: "开始日期 " + shown(start) + " 不符合这个规律：请改开始日期或规律"}};
        if (state.until && state.until < iso(start)) return {error: {message: "“到哪天为止”早于开始日期"}};
        if (openEnded(state) && !this.state.forever) {
          return {error: {message: "“到哪天为止”没有填：这样活动会一直重复下去，网站和订阅的日历上永远有它。" +
                                   "请填最后一次的日期；长期开放、没有最后一次的，勾选“没有最后一次，一直重复下去”"}};
        }
        return true;
      },
      tell: function () {  // the rule, for a deadline's check (a one-off event's day is its last)
        remember(this.props.field.get("name"), (plain(this.props.value) || {}).rrule || "");
      },
      current: function () {
        var value = plain(this.props.value) || {};
        var state = readRule(value.rrule);
        state.exdates = (value.exdates || []).map(String);
        state.sessions = (value.sessions || []).map(plain);
        state.rdates = (value.rdates || []).map(textOf);
        return state;
      },
      save: function (state) {
        var rule = writeRule(state), value = plain(this.props.value) || {};
        if (!rule) {
          this.props.onChange(undefined);
          return;
        }
        var next = Object.assign({}, value, {rrule: rule});
        if (state.exdates.length) next.exdates = state.exdates.slice().sort();
        else delete next.exdates;
        if (state.sessions.length) next.sessions = state.sessions;
        else delete next.sessions;
        if (state.rdates.length < (value.rdates || []).length) {  // one taken out (删去): the rest as they were
          next.rdates = (value.rdates || []).filter(function (x) { return state.rdates.indexOf(textOf(x)) >= 0; });
          if (!next.rdates.length) delete next.rdates;
        }
        this.props.onChange(next);
      },
      change: function (key, value) {
        var state = this.current();
        state[key] = value;
        var start = dayOf(entryField(this.props, this.props.field.get("start_field")));
        if (key === "kind" && value === "weekly" && !state.days.length) state.days = start ? [start.getUTCDay()] : [6];
        if (key === "kind" && value === "monthly" && start) {
          state.weekday = start.getUTCDay();
          state.ordinal = Math.ceil(start.getUTCDate() / 7) > 4 ? -1 : Math.ceil(start.getUTCDate() / 7);
        }
        this.save(state);
      },
      render: function () {
        var state = this.current();
        knowVenues(plain(this.props.field.get("venues")) || []);  // before any session is described
        CANCEL_WORDS = plain(this.props.field.get("cancel_words")) || CANCEL_WORDS;
        var parts = [this.kindSelect(state)];
        if (state.kind === "other") {
          parts.push(h("p", {}, "这个活动的重复规律是 " + state.other + "，只能在文件里修改。"));
        } else if (state.kind !== "none") {
          parts.push(this.details(state), this.exceptions(state), this.cancellations(state), this.moves(state),
                     this.stopping(state), this.preview(state));
        }
        return h("div", {className: this.props.classNameWrapper + " kepu-repeat", id: this.props.forID}, parts);
      },
      kindSelect: function (state) {
        var self = this;
        var kinds = [["none", "不重复"], ["weekly", "每周几"], ["monthly", "每月第几个周几"], ["daily", "每天"]];
        if (state.kind === "other") kinds.push(["other", "其他规律"]);
        return h("label", {key: "kind"}, "重复规律 ", h("select", {
          name: "kepu-repeat-kind", value: state.kind,
          onChange: function (event) { self.change("kind", event.target.value); }
        }, kinds.map(function (k) { return h("option", {key: k[0], value: k[0]}, k[1]); })));
      },
      details: function (state) {
        var self = this, found = [];
        if (state.kind === "weekly") {
          found.push(h("fieldset", {key: "days"}, [h("legend", {key: "l"}, "每周的哪几天")].concat(WEEK_ORDER.map(function (d) {
            return h("label", {key: d, className: "kepu-day"}, h("input", {
              type: "checkbox", checked: state.days.indexOf(d) >= 0, name: "kepu-repeat-day-" + DAY_CODES[d],
              onChange: function (event) {
                var days = state.days.filter(function (x) { return x !== d; });
                if (event.target.checked) days.push(d);
                self.change("days", days);
              }
            }), WEEKDAY_NAMES[d]);
          }))));
        }
        if (state.kind === "monthly") {
          found.push(h("label", {key: "ordinal"}, "每月 ", h("select", {
            name: "kepu-repeat-ordinal", value: String(state.ordinal),
            onChange: function (event) { self.change("ordinal", parseInt(event.target.value, 10)); }
          }, ORDINALS.map(function (o) { return h("option", {key: o[0], value: String(o[0])}, o[1]); }))),
          h("select", {
            key: "weekday", name: "kepu-repeat-weekday", value: String(state.weekday), "aria-label": "周几",
            onChange: function (event) { self.change("weekday", parseInt(event.target.value, 10)); }
          }, WEEK_ORDER.map(function (d) { return h("option", {key: d, value: String(d)}, WEEKDAY_NAMES[d]); })));
        }
        found.push(h("label", {key: "until"}, "到哪天为止（最后一次的日期） ", h("input", {
          type: "date", name: "kepu-repeat-until", value: state.until,
          onChange: function (event) { self.change("until", event.target.value); }
        })));
        if (!state.until) {
          found.push(h("label", {key: "forever"}, h("input", {
            type: "checkbox", name: "kepu-repeat-forever", checked: !!this.state.forever,
            onChange: function (event) { self.setState({forever: event.target.checked}); }
          }), " 没有最后一次，一直重复下去（长期开放的活动）"));
        }
        return h("div", {key: "details"}, found);
      },
      exceptions: function (state) {
        var self = this;
        var items = state.exdates.map(function (text) {
          var day = dayOf(text);
          return h("li", {key: text}, day ? shown(day) : text, " ", h("button", {
            type: "button", "aria-label": "删去 " + text,
            onClick: function () { self.change("exdates", state.exdates.filter(function (x) { return x !== text; })); }
          }, "删去"));
        });
        return h("fieldset", {key: "except"}, [
          h("legend", {key: "l"}, "不开展的日期（节假日等）"),
          h("ul", {key: "list"}, items),
          h("input", {key: "input", type: "date", name: "kepu-repeat-except", value: this.state.adding, "aria-label": "不开展的日期",
                      onChange: function (event) { self.setState({adding: event.target.value}); }}),
          h("button", {key: "add", type: "button", onClick: function () {
            var text = self.state.adding;
            if (text && state.exdates.indexOf(text) >= 0) { self.setState({adding: "", refusedOff: ""}); return; }
            var refused = self.dayRefusal(state, text, "不开展");  // a Friday in a Saturday series: refused by the check
            if (refused) { self.setState({refusedOff: refused}); return; }
            self.change("exdates", state.exdates.concat([text]));
            self.setState({adding: "", refusedOff: ""});
          }}, "添加这一天"),
          this.state.refusedOff ? h("p", {key: "refused", role: "alert"}, this.state.refusedOff) : null
        ]);
      },
      /* One session called off with its reason (recurrence.sessions): unlike a date left out, it
         stays listed, as 已取消（原因）, on the page and in subscribers' calendars. */
      /* The sessions of one kind written in the file, each with a button that takes it out again. */
      written: function (state, which, undo) {
        var self = this;
        return state.sessions.filter(function (x) { return !isStop(x) && which(x); }).map(function (session) {
          var text = sessionDay(session), day = dayOf(text);
          return h("li", {key: text}, (day ? shown(day) : text) + sessionNote(session),
            " ", h("button", {
              type: "button", "aria-label": undo + " " + text,
              onClick: function () { self.change("sessions", state.sessions.filter(function (x) { return x !== session; })); }
            }, undo));
        });
      },
      /* Why this day cannot be written as a changed session ("" if it can). */
      dayRefusal: function (state, text, what) {
        var start = dayOf(entryField(this.props, this.props.field.get("start_field")));
        var days = start ? expand(state, start, state.exdates) : [];
        var held = days.filter(function (d) { return !d.skipped; }).map(function (d) { return iso(d.day); });
        var off = days.some(function (d) { return d.skipped && iso(d.day) === text; });
        return !text ? "先选要" + what + "的那一场的日期" :
          off ? "这一天已经是不开展的日子（见上面“不开展的日期”）：要写明原因或改期，先在那里删去这一天" :
          held.indexOf(text) < 0 ? "这一天不是这个系列的一场（看下面的日期预览）" :
          stopDay(state.sessions) && text >= stopDay(state.sessions)
            ? "这个系列 " + shown(dayOf(stopDay(state.sessions))) + " 起已经停办，以后的各场都显示已取消（见下面“从某一场起停办”）" :
          state.sessions.some(function (x) { return sessionDay(x) === text; })
            ? "这一场已经改过了：要重新改，先点它旁边的“恢复这一场”或“恢复原安排”" : "";
      },
      /* The check's longest text for a session's ``note``, or its new place's ``name`` or ``address``. */
      limit: function (part) {
        return (plain(this.props.field.get("limits")) || {})[part];
      },
      /* Why a session of ``text`` cannot be cancelled or moved any more: it is over ("" while it is
         to come, today's included). The check's review reminds of the same; here the volunteer is told
         before anything is published: a held session called off rewrites what residents were told. */
      pastRefusal: function (text, what) {
        return text < clockText(new Date()).slice(0, 10)
          ? shown(dayOf(text)) + "这一场已经过去了，这里只能" + what + "还没举办的场次；那天如果确实没有按原安排举办，请告诉管理员" : "";
      },
      /* Why a session of ``text`` cannot move to ``day``: a day already over, or half a year and more
         away (the check's MAX_MOVE_DAYS: a year or month typed wrong). */
      newDayRefusal: function (text, day) {
        if (day < clockText(new Date()).slice(0, 10)) return "新的日期 " + shown(dayOf(day)) + " 已经过去了：检查年份和月份";
        var apart = Math.round(Math.abs(dayOf(day) - dayOf(text)) / 86400000), most = this.props.field.get("max_move_days");
        return most && apart > most ? "新的日期和原定日期相差 " + apart + " 天：检查年份和月份；真要改到半年以后，就取消这一场，另外新建一项活动" : "";
      },
      /* Whether ``name`` is a registered venue's (typed instead of chosen from the list). */
      registeredName: function (name) {
        return Object.keys(VENUE_NAMES).some(function (id) { return VENUE_NAMES[id] === name; });
      },
      /* Whether the place chosen (a registered venue's id) or typed is the event's own. */
      ownPlace: function (place, name, address) {
        var own = entryField(this.props, "venue");
        if (typeof own === "string" && own.trim()) {
          return place ? place === own.trim() : !!name && name === VENUE_NAMES[own.trim()];
        }
        return !place && !!name && !!own && typeof own === "object" && String(own.name || "").trim() === name &&
          String(own.address || "").trim() === address;
      },
      /* Whether a session moved to ``day`` (at ``clock``–``end``; an all-day series: false) would
         run into that day's own session, still held (the check's moved_onto_another). */
      clashes: function (state, day, clock, end) {
        var start = dayOf(entryField(this.props, this.props.field.get("start_field")));
        var own = parts(entryField(this.props, "end")).time, from = parts(textOf(entryField(this.props, this.props.field.get("start_field")))).time;
        var held = start && expand(state, start, state.exdates).some(function (d) { return !d.skipped && iso(d.day) === day; }) &&
          !state.sessions.some(function (x) { return sessionDay(x) === day; });
        if (!held) return false;
        if (!clock || !from || !own) return true;
        var minutes = function (text) { return +text.slice(0, 2) * 60 + +text.slice(3, 5); };
        var until = end || null, length = minutes(own) - minutes(from);
        var stop = until ? minutes(until) : minutes(clock) + length;
        return minutes(clock) < minutes(own) && minutes(from) < stop;
      },
      cancellations: function (state) {
        var self = this, items = this.written(state, cancelled, "恢复这一场");
        function add() {
          var text = self.state.cancelling, reason = self.state.reason.trim();
          var refused = self.dayRefusal(state, text, "取消") || self.pastRefusal(text, "取消") ||
            (!reason ? "写上取消的原因，居民会在页面和日历里看到" : "");
          if (refused) { self.setState({refused: refused}); return; }
          self.change("sessions", inDateOrder(state.sessions.concat([{date: text, status: "cancelled", note: reason}])));
          self.setState({cancelling: "", reason: "", refused: ""});
        }
        return h("fieldset", {key: "cancel"}, [
          h("legend", {key: "l"}, "取消其中一场（页面和日历里显示“已取消”和原因）"),
          h("ul", {key: "list"}, items),
          h("input", {key: "day", type: "date", name: "kepu-repeat-cancel", value: this.state.cancelling, "aria-label": "取消的那一场",
                      onChange: function (event) { self.setState({cancelling: event.target.value}); }}),
          h("input", {key: "reason", type: "text", name: "kepu-repeat-cancel-reason", value: this.state.reason,
                      "aria-label": "取消的原因", placeholder: "原因，例如 活动室维修", maxLength: this.limit("note"),
                      onChange: function (event) { self.setState({reason: event.target.value}); }}),
          h("button", {key: "add", type: "button", onClick: add}, "取消这一场"),
          this.state.refused ? h("p", {key: "refused", role: "alert"}, this.state.refused) : null
        ]);
      },
      /* One session moved (recurrence.sessions): a new day or time, another place, or both. The new
         start and end are written whole (2026-12-20 09:30): YAML would read 11:30 alone as a number. */
      moves: function (state) {
        var self = this, move = this.state.move, series = parts(entryField(this.props, this.props.field.get("start_field")));
        var items = this.written(state, function (x) { return !cancelled(x); }, "恢复原安排");
        function set(key) {
          return function (event) { self.setState({move: Object.assign({}, self.state.move, {[key]: event.target.value})}); };
        }
        function input(key, type, label, extra) {
          return h("label", {key: key, className: "kepu-move"}, label + " ", h("input", Object.assign({
            type: type, name: "kepu-repeat-move" + (key === "date" ? "" : "-" + key), value: move[key] || "", onChange: set(key)
          }, extra || {})));
        }
        function add() {
          var text = move.date || "", day = move.day || text, clock = move.start || series.time;
          var name = (move.venue || "").trim(), address = (move.address || "").trim(), note = (move.note || "").trim();
          var place = move.place || "";
          var timed = !!series.time, retimed = day !== text || (timed && (clock !== series.time || !!move.end));
          var stopped = stopDay(state.sessions);
          var refused = self.dayRefusal(state, text, "改") || self.pastRefusal(text, "改") ||
            (day !== text ? self.newDayRefusal(text, day) : "") ||
            (stopped && day >= stopped ? "这个系列 " + shown(dayOf(stopped)) + " 起停办，以后的场次都不举办：改到停办之前的日子" : "") ||
            (!retimed && !name && !address && !place ? "没有改什么：选新的日期或时间，或新的地点" : "") ||
            ((place || name) && self.ownPlace(place, name, address)
              ? "这就是活动本来的地点：只改时间就不用选地点，也不用写新地点" : "") ||
            (place && (name || address) ? "选了登记的场地，就不用再写新地点的名称和地址" : "") ||
            (address && !name ? "写上新地点的名称" : "") ||
            (timed && move.end && move.end <= clock ? "结束时间早于（或等于）开始时间 " + clock +
              (move.start ? "" : "（没有选新的开始时间，按原来的开始时间算）") : "") ||
            (!place && name && self.registeredName(name) ? "“" + name + "”是登记过的场地：请在“换到登记的场地”里选它，" +
              "名称和地址以登记的为准，场地页也会列出这一场" : "") ||
            (retimed && day !== text && self.clashes(state, day, timed && clock, timed && (move.end || ""))
              ? "新的时间和这个系列 " + shown(dayOf(day)) + " 原有的那一场重叠（页面上这一天会列出两次）：改到别的时间；" +
                "两场合并成一场，就在上面把那一场取消" : "");
          if (refused) { self.setState({moveRefused: refused}); return; }
          var session = {date: text};
          if (retimed) {
            session.start = timed ? day + " " + clock : day;
            if (timed && move.end) session.end = day + " " + move.end;
          }
          if (place) session.venue = place;  // a registered venue: its id, as venues.yml asks
          else if (name) session.venue = address ? {name: name, address: address} : {name: name};
          if (note) session.note = note;
          self.change("sessions", inDateOrder(state.sessions.concat([session])));
          self.setState({move: {}, moveRefused: ""});
        }
        var fields = [input("date", "date", "要改的那一场（原定日期）"), input("day", "date", "新的日期（不改日期可不选）")];
        if (series.time) {
          fields.push(input("start", "time", "新的开始时间", {step: 300}), input("end", "time", "新的结束时间", {step: 300}));
        }
        var venues = plain(this.props.field.get("venues")) || [];
        if (venues.length) {
          fields.push(h("label", {key: "place", className: "kepu-move"}, "换到登记的场地 ", h("select", {
            name: "kepu-repeat-move-place", value: move.place || "", onChange: set("place")
          }, [h("option", {key: "none", value: ""}, "（不换，或在下面写列表里没有的新地点）")].concat(venueGroups(venues)))));
        }
        fields.push(input("venue", "text", "新地点名称（不换地点不填）", {maxLength: this.limit("name")}),
                    input("address", "text", "新地点地址", {maxLength: this.limit("address")}),
                    input("note", "text", "说明", {placeholder: "例如 改到周日上午", maxLength: this.limit("note")}));
        return h("fieldset", {key: "move"}, [
          h("legend", {key: "l"}, "改期或换地点（其中一场；页面和日历里显示新的时间和地点）"),
          h("ul", {key: "list"}, items)
        ].concat(fields, [
          h("button", {key: "add", type: "button", onClick: add}, "改这一场"),
          this.state.moveRefused ? h("p", {key: "refused", role: "alert"}, this.state.moveRefused) : null
        ]));
      },
      /* The series called off from one session on (recurrence.sessions' ``from``): the sessions held
         stay held; every later one reads 已取消 with the reason, on the page and in calendars. */
      stopping: function (state) {
        var self = this, stop = stopOf(state.sessions);
        if (stop) {
          var day = dayOf(sessionDay(stop));
          return h("fieldset", {key: "stop"}, [
            h("legend", {key: "l"}, "从某一场起停办"),
            h("p", {key: "said"}, (day ? shown(day) : sessionDay(stop)) + " 起停办" + (stop.note ? "（" + stop.note + "）" : "") +
              "：这一场和以后的各场都显示已取消。 ", h("button", {
                type: "button", "aria-label": "恢复举办 " + sessionDay(stop),
                onClick: function () {  // what the stop folded in comes back with the sessions
                  var folded = self.state.folded;
                  self.change("sessions", inDateOrder(state.sessions.filter(function (x) { return x !== stop; }).concat(folded)));
                  self.setState({folded: [], stopSaid: folded.length ? "恢复了停办时一并去掉的 " + folded.length + " 场单独取消或改期。" : ""});
                }
              }, "恢复举办")),
            this.state.stopSaid ? h("p", {key: "told", role: "status"}, this.state.stopSaid) : null
          ]);
        }
        function add() {
          var text = self.state.stopping, reason = self.state.stopReason.trim();
          var others = Object.assign({}, state, {sessions: []});  // a day changed on its own may be the first one off
          var extra = state.rdates.some(function (x) { return x.slice(0, 10) === text; });  // an extra session is one too
          var refused = (extra ? "" : self.dayRefusal(others, text, "停办")) || self.pastRefusal(text, "停办") ||
            (!reason ? "写上停办的原因，居民会在页面和日历里看到" : "");
          if (refused) { self.setState({stopRefused: refused}); return; }
          var kept = state.sessions.filter(function (x) { return sessionDay(x) < text; });
          var folded = state.sessions.filter(function (x) { return kept.indexOf(x) < 0; });
          self.change("sessions", inDateOrder(kept.concat([{from: text, status: "cancelled", note: reason}])));
          self.setState({stopping: "", stopReason: "", stopRefused: "", folded: folded, stopSaid: folded.length ?
            "这一天以后单独取消或改期的 " + folded.length + " 场已一并去掉：停办后的各场都显示已取消和停办的原因" +
            "（点“恢复举办”会把它们恢复）。" : ""});
        }
        return h("fieldset", {key: "stop"}, [
          h("legend", {key: "l"}, "从某一场起停办（已经举办的照常算数，这一场和以后的各场显示“已取消”和原因）"),
          h("input", {key: "day", type: "date", name: "kepu-repeat-stop", value: this.state.stopping, "aria-label": "停办后的第一场",
                      onChange: function (event) { self.setState({stopping: event.target.value}); }}),
          h("input", {key: "reason", type: "text", name: "kepu-repeat-stop-reason", value: this.state.stopReason,
                      "aria-label": "停办的原因", placeholder: "原因，例如 场地装修", maxLength: this.limit("note"),
                      onChange: function (event) { self.setState({stopReason: event.target.value}); }}),
          h("button", {key: "add", type: "button", onClick: add}, "从这一场起停办"),
          this.state.stopRefused ? h("p", {key: "refused", role: "alert"}, this.state.stopRefused) : null,
          this.state.stopSaid ? h("p", {key: "told", role: "status"}, this.state.stopSaid) : null
        ]);
      },
      preview: function (state) {
        var self = this;
        var startText = textOf(entryField(this.props, this.props.field.get("start_field"))), start = dayOf(startText);
        if (!start) return h("p", {key: "preview", className: "kepu-preview"}, "先在上面选开始日期，这里会列出每一次的日期。");
        var dates = withExtras(expand(state, start, state.exdates), state, startText), sessions = {};
        var stopped = stopDay(state.sessions), stop = stopOf(state.sessions);
        state.sessions.forEach(function (session) { if (!isStop(session)) sessions[sessionDay(session)] = session; });
        dates.forEach(function (d) {  // from the stop on, every session reads as the stop cancels it
          if (stopped && iso(d.day) >= stopped && !d.skipped) sessions[iso(d.day)] = {date: iso(d.day), status: "cancelled", note: stop.note};
        });
        var notes = [];
        if (!startHeld(state, startText)) notes.push(h("p", {key: "off", role: "alert"}, "注意：开始日期 " + shown(start) + " 不符合这个规律，请改开始日期或规律。"));
        var held = dates.filter(function (d) { return !d.skipped && !cancelled(sessions[iso(d.day)]); }).length;
        var summary = state.until ? "共 " + held + " 次" : "没有写结束日期：网站显示未来一年内的日期";
        if (dates.length === SHOWN_DATES) summary = "前 " + SHOWN_DATES + " 个日期";
        return h("div", {key: "preview", className: "kepu-preview"}, notes.concat([
          h("p", {key: "s"}, "活动日期预览（" + summary + "）："),
          h("ol", {key: "dates"}, dates.map(function (d) {
            if (d.extra && !(stopped && iso(d.day) >= stopped)) {  // an extra session (rdates): the only place the form lets her take one out
              return h("li", {key: "extra-" + d.extra, className: "kepu-moved"}, shown(d.day) + d.note, " ", h("button", {
                type: "button", "aria-label": "删去加开的 " + d.extra,
                onClick: function () { self.change("rdates", state.rdates.filter(function (x) { return x !== d.extra; })); }
              }, "删去"));
            }
            var session = sessions[iso(d.day)], note = d.skipped ? " 不开展" : (session ? sessionNote(session) : "");
            var gone = d.skipped || cancelled(session);
            return h("li", {key: iso(d.day), className: gone ? "kepu-skipped" : (note ? "kepu-moved" : "")}, shown(d.day) + note);
          }))
        ]));
      }
    });
  }

  var CONTACT_PARTS = [["name", "姓名或单位"], ["phone", "电话"], ["email", "邮箱"]];

  function contactControl() {
    return createClass({
      render: function () {
        var self = this, value = plain(this.props.value);
        var wrapper = {className: this.props.classNameWrapper, id: this.props.forID};
        var limits = plain(this.props.field.get("limits")) || {};
        if (!value || typeof value !== "object") {
          return h("input", Object.assign(wrapper, {
            type: "text", value: value || "", maxLength: limits.text,
            onChange: function (event) { self.props.onChange(event.target.value); }
          }));
        }
        return h("div", wrapper, CONTACT_PARTS.map(function (part) {
          return h("label", {key: part[0], className: "kepu-contact"}, part[1] + " ", h("input", {
            type: "text", value: value[part[0]] || "", name: "kepu-contact-" + part[0], maxLength: limits[part[0]],
            onChange: function (event) {
              var next = Object.assign({}, value);
              next[part[0]] = event.target.value;
              self.props.onChange(next);
            }
          }));
        }));
      }
    });
  }

  /* The place: a registered venue (the file keeps its id, as venues.yml asks), another place
     written out (name, address, optional coordinates), or none (an online event). A file that
     names a venue the registry does not know keeps it, said beside the list. */
  var OTHER = "__other__";
  var PLACE_PARTS = [["name", "场地名称", "text"], ["address", "详细地址", "text"],
                     ["lat", "纬度（可不填）", "number"], ["lon", "经度（可不填）", "number"]];

  /* The registered venue a former name (venues.yml former_names) is of, as the check finds it. */
  function renamedVenue(venues, name) {
    var wanted = String(name || "").trim();
    return venues.filter(function (v) { return (v.former_names || []).indexOf(wanted) >= 0; })[0];
  }

  function venueProblem(value, find, china, renamed) {
    if (typeof value === "string") {
      return value.trim() && !find(value) ? "“" + value + "”不是登记过的场地：请从列表里选，或选“其他地点”写名称和地址" : "";
    }
    if (!value || typeof value !== "object") return "";
    var has = function (key) { return value[key] !== undefined && value[key] !== null && String(value[key]).trim() !== ""; };
    if (!has("name") && (has("address") || has("lat") || has("lon"))) return "请写场地名称";
    if (has("name") && find(value.name)) {
      return "“" + String(value.name).trim() + "”是登记过的场地：请在上面的列表里选它（场地页才会列出这个活动）";
    }
    var now = has("name") && renamed(value.name);
    if (now) {
      return "“" + String(value.name).trim() + "”是登记过的场地“" + now.name + "”以前的名称：请在上面的列表里选它" +
        "（列表里写着“" + now.name + "（原名…）”；场地页才会列出这个活动）";
    }
    if (has("lat") !== has("lon")) return "经纬度要同时填写纬度和经度，或都不填";
    if (has("lat") && !(Math.abs(+value.lat) <= 90 && Math.abs(+value.lon) <= 180)) {
      return "纬度在 -90 到 90 之间，经度在 -180 到 180 之间";
    }
    if (china && has("lat") && !(+value.lat > china.lat[0] && +value.lat < china.lat[1] &&
                                 +value.lon > china.lon[0] && +value.lon < china.lon[1])) {
      return "坐标不在中国境内：请核对纬度和经度（在中国，纬度在 " + china.lat.join(" 到 ") + " 之间，经度在 " +
        china.lon.join(" 到 ") + " 之间）";
    }
    return "";
  }

  function venueControl() {
    return createClass({
      getInitialState: function () { return {other: false}; },
      registered: function () { return plain(this.props.field.get("venues")) || []; },
      find: function (text) {
        var wanted = String(text || "").trim();
        return this.registered().filter(function (v) { return v.id === wanted || v.name === wanted; })[0];
      },
      isValid: function () {
        var problem = venueProblem(plain(this.props.value), this.find.bind(this), plain(this.props.field.get("china")),
                                   renamedVenue.bind(null, this.registered()));
        return problem ? {error: {message: problem}} : true;
      },
      choose: function (choice) {
        this.setState({other: choice === OTHER});
        this.props.onChange(choice === OTHER ? "" : choice);
      },
      change: function (value, key, text) {
        var next = Object.assign({}, value);
        if (text.trim() === "") delete next[key];
        else next[key] = key === "lat" || key === "lon" ? (isNaN(parseFloat(text)) ? text : parseFloat(text)) : text;
        this.props.onChange(Object.keys(next).length ? next : "");
      },
      options: function (value) {
        var found = [h("option", {key: "none", value: ""}, "不填（纯线上活动）")].concat(venueGroups(this.registered()));
        if (typeof value === "string" && value.trim() && !this.find(value)) {
          found.push(h("option", {key: "unknown", value: value}, "未登记的场地：" + value));
        }
        found.push(h("option", {key: OTHER, value: OTHER}, "其他地点（写名称和地址）"));
        return found;
      },
      render: function () {
        var self = this, value = plain(this.props.value);
        var object = value && typeof value === "object", place = typeof value === "string" && this.find(value);
        var chosen = object || (!value && this.state.other) ? OTHER : (place ? place.id : (value || ""));
        var parts = [h("select", {
          key: "choice", id: this.props.forID, name: "kepu-venue", value: chosen,
          onChange: function (event) { self.choose(event.target.value); }
        }, this.options(value))];
        if (place) {
          parts.push(h("p", {key: "card", className: "kepu-venue-card"}, place.name,
                       place.address ? h("br", {}) : null, place.address || null));
          parts.push(h("p", {key: "note", className: "kepu-venue-note"},
                         "场地的名称、地址和坐标写在场地登记表里，这里不用再填；要改请告诉网站管理员。"));
        } else if (chosen === OTHER) {
          var written = object ? value : {}, hints = plain(this.props.field.get("hints")) || {};
          var limits = plain(this.props.field.get("limits")) || {};
          PLACE_PARTS.forEach(function (part) {
            parts.push(h("label", {key: part[0], className: "kepu-venue-part"}, part[1] + " ", h("input", {
              type: part[2], step: part[2] === "number" ? "any" : undefined, name: "kepu-venue-" + part[0],
              maxLength: limits[part[0]],
              value: written[part[0]] === undefined || written[part[0]] === null ? "" : written[part[0]],
              onChange: function (event) { self.change(written, part[0], event.target.value); }
            }), h("small", {}, hints[part[0]] || "")));
          });
        }
        return h("div", {className: this.props.classNameWrapper + " kepu-venue"}, parts);
      }
    });
  }

  var CHOICES = {};  // a kepu-choice field's options and other spellings, by field name (for the checks on saving)

  function learnChoices(field) {
    var options = plain(field.get("options")) || [];
    CHOICES[field.get("name")] = {
      values: options.map(function (o) { return o.value; }),
      labels: options.reduce(function (found, o) { found[o.value] = o.label; return found; }, {}),
      aliases: plain(field.get("aliases")) || {}, empty: field.get("shown_empty") || ""
    };
  }

  /* The option a file's value means, as the check reads it (延期 → postponed); the value itself
     when it is none of them, "" when the field is empty and shows no option for that. */
  function chosen(name, value) {
    var known = CHOICES[name] || {values: [], aliases: {}, empty: ""};
    var text = String(value === undefined || value === null ? "" : value).trim();
    if (!text) return known.empty;
    var meant = known.aliases[text] || text.toLowerCase();
    return known.values.indexOf(meant) >= 0 ? meant : text;
  }

  function choiceLabel(name, value) {
    return ((CHOICES[name] || {}).labels || {})[value] || value;
  }

  function choiceControl() {
    return createClass({
      render: function () {
        var self = this, field = this.props.field;
        learnChoices(field);
        var value = chosen(field.get("name"), this.props.value);
        var items = (plain(field.get("options")) || []).map(function (o) {
          return h("option", {key: o.value, value: o.value}, o.label);
        });
        if (CHOICES[field.get("name")].values.indexOf(value) < 0) {
          items.unshift(h("option", {key: "written", value: value}, "“" + value + "”（文件里这样写，不是可选的一项，请重新选择）"));
        }
        return h("select", {
          id: this.props.forID, className: this.props.classNameWrapper + " kepu-choice", value: value,
          onChange: function (event) { self.props.onChange(event.target.value); }
        }, items);
      }
    });
  }

  function preview(props) {
    var value = plain(props.value);
    return h("span", {}, value && value.rrule ? value.rrule : String(value || ""));
  }

  /* An end written as a time alone (the same day as the start) is saved with the start's date:
     YAML would read 16:00 without quotes as a number of minutes. */
  function completeEnd(data) {
    var end = data.get("end"), start = DATE.exec(String(data.get("start") || ""));
    if (typeof end === "string" && /^\d{1,2}:\d{2}$/.test(end) && start) return data.set("end", start[0] + " " + end);
    return data;
  }

  /* Tags typed with Chinese commas (标签 “静电，科学实验，亲子”) are several tags: Decap's list
     splits at "," only, and saved them as one. */
  function splitTags(data) {
    var tags = data.get("tags");
    if (!tags || typeof tags.toJS !== "function") return data;
    var found = [];
    tags.toJS().forEach(function (tag) {
      String(tag).split(/[，、,；;]/).forEach(function (part) {
        part = part.trim();
        if (part && found.indexOf(part) < 0) found.push(part);
      });
    });
    return data.set("tags", tags.clear().concat(found));
  }

  /* What the check refuses about several fields together, said when 发布 is pressed, in the form's
     words: a file the check refuses stops the whole site's publishing until someone mends it, and
     one field's own check cannot see the others reliably (Decap hands a field the entry as it was).
     Each sentence is the check's rule (kepu.content.validation) for the fields the form has. */
  function filled(value) {
    value = plain(value);
    if (value && typeof value === "object") {
      return Object.keys(value).some(function (key) { return filled(value[key]); });
    }
    return value !== undefined && value !== null && String(value).trim() !== "";
  }

  /* A reason not to save, with the fields (their names in the config) where it is mended. */
  function at(fields, text) {
    return {fields: [].concat(fields), text: text};
  }

  function placeProblems(get) {
    var venue = get("venue");
    var place = typeof venue === "string" ? venue.trim() !== "" : !!(venue && filled(venue.name));
    return place || filled(get("online")) ? [] :
      [at("venue", "还没有填地点：在“地点”里选登记的场地，或选“其他地点”写名称和地址；纯线上活动填写“线上链接”")];
  }

  /* The status the file means (延期 → postponed), or what it says when that is no status. */
  function statusOf(get) {
    return chosen("status", get("status")) || "scheduled";
  }

  /* ``saved``: the event's start as saved ("2026-12-05 09:00"; "" for a new one): a start moved
     under 改期或延期 with no 原定开始时间 was published as 延期（新时间待定） at the new date, and
     the old date vanished. */
  function statusProblems(get, saved) {
    var found = [], status = statusOf(get), note = filled(get("status_note"));
    var start = parts(get("start")), previous = parts(get("previous_start")), was = parts(saved);
    if (CHOICES.status && CHOICES.status.values.indexOf(status) < 0) {
      return [at("status", "“状态”里的“" + status + "”不是可选的一项：请在“状态”里重新选择")];
    }
    var now = (start.date + " " + start.time).trim(), before = (was.date + " " + was.time).trim();
    if (status === "postponed" && !previous.date && was.date && now !== before) {
      found.push(at("previous_start", "“开始”从 " + before + " 改成了 " + now + "：改期要在“原定开始时间”里填原来的 " +
                    before + "（页面和日历会写“已改期”，并在原来那天提醒）；新时间还没定的，把“开始”改回 " + before));
    } else if (status === "postponed" && !previous.date && !note) {
      found.push(at("status", "状态选了“改期或延期”：如果新时间已定，把“开始”改成新的时间，“原定开始时间”填原来的时间；" +
                    "如果新时间还没定，“开始”不动，在“状态说明”里写延期的原因"));
    } else if (status === "postponed" && previous.date === start.date && previous.time === start.time) {
      found.push(at("previous_start", "“原定开始时间”和“开始”相同：改期后“开始”要写新的时间"));
    } else if (status !== "postponed" && previous.date) {
      found.push(at("previous_start", "填了“原定开始时间”，状态却不是“改期或延期”：活动改了时间就把状态选为“改期或延期”，" +
                    "没有改期就清空原定开始时间"));
    }
    var stop = stopOf(((get("recurrence") || {}).sessions || []).map(plain));
    if (status === "cancelled" && stop) {  // the check's: status: cancelled beside a stop (二选一)
      var from = dayOf(sessionDay(stop));
      found.push(at("status", "“状态”选了“已取消”，“重复”里又写了 " + (from ? shown(from) : sessionDay(stop)) + " 起停办：二选一。" +
                    "已经举办过、从那一场起不办了，就把“状态”改回“正常举办”，清空“状态说明”；" +
                    "整个活动都没有办，就在“重复”的“从某一场起停办”里点“恢复举办”"));
    }
    if (status === "scheduled" && note) {
      found.push(at("status_note", "状态是“正常举办”时“状态说明”不会显示：请清空“状态说明”（要告诉大家的写进“活动介绍”）；" +
                    "取消、改期或名额已满时先改状态再写说明"));
    }
    return found;
  }

  function signUpProblems(get) {
    var registration = get("registration") || {};
    if (!yes(registration.required)) {
      /* Places or a deadline with the switch off: the page would say 无需报名，直接到场，限 30 人
         (the check's _sign_up_left_off). */
      var given = [["capacity", "名额"], ["deadline", "报名截止日期"]].filter(function (field) {
        return filled(registration[field[0]]);
      });
      var words = given.map(function (field) { return "“" + field[1] + "”"; }).join("和");
      return given.length ? [at(given[0][0], "填了" + words + "，却没有打开“需要报名”，页面会写“无需报名，直接到场”：" +
        "需要报名就打开“需要报名”；不用报名就清空" + words)] : [];
    }
    return !filled(registration.url) && !filled(registration.phone) &&
      !filled(registration.email) && !filled(get("contact")) ?
      [at("url", "打开了“需要报名”，却没有写怎么报名：填写报名链接、报名电话或报名邮箱，或填写“联系方式”")] : [];
  }

  /* 参加人数 once the first session is over, as the check says (its ends_at): a timed session at
     its end, the same evening; an all-day one from the morning after its last day. ``now``:
     the clock, "2026-12-08 17:05". */
  function attendanceProblems(get, now) {
    /* The number box keeps what was typed but saves its number: "30-40" and "50+" as nothing (an
       earlier number erased). What the box shows must be a whole number. */
    var box = controlOf("attendance");
    var typed = box ? box.value.trim() : "";
    if (box && (box.validity && box.validity.badInput || (typed && !/^\d+$/.test(typed)))) {
      return [at("attendance", "“参加人数”只写一个整数，例如 45：不写范围、小数点、“约”或“人”；人数不确定就按登记的人数填")];
    }
    if (!filled(get("attendance"))) return [];
    if (statusOf(get) === "cancelled") {
      return [at("attendance", "已取消的活动填了“参加人数”，统计不会计入：清空参加人数；活动其实办了，就改正状态")];
    }
    return lastDay(get("start"), get("end")) && !firstOver(get, now) ?
      [at("attendance", "活动还没有结束，“参加人数”要在活动办完以后填：先清空，活动结束后再填实际人数")] : [];
  }

  /* Whether the first session is over at ``now`` (the check's ends_at). */
  function firstOver(get, now) {
    var start = parts(get("start")), end = parts(get("end")), last = lastDay(get("start"), get("end"));
    return start.time && end.time ? now >= (end.date || start.date) + " " + end.time : last < now.slice(0, 10);
  }

  /* The check's reminder (kepu.content.revisions): a saved series whose first session is over,
     edited in its days, time, place or status, rewrites the sessions already held on its page and
     in subscribers' calendars. What changed, in the form's words ("" : nothing held is touched). */
  function heldSeriesChange(entry, get, now) {
    var old = originalOf(entry);
    if (!old || !isSeries(old.recurrence)) return "";
    var before = function (name) { return plain(old[name]); };
    if (!lastDay(before("start"), before("end")) || !firstOver(before, now)) return "";
    var rule = function (value) {
      var read = readRule(value && value.rrule !== undefined ? value.rrule : value);
      delete read.until;
      return JSON.stringify(read);
    };
    var changed = [];
    if (parts(get("start")).date !== parts(before("start")).date || rule(get("recurrence")) !== rule(before("recurrence"))) {
      changed.push("日期");
    }
    var clock = function (read) {  // the end as days after the start and a time: "16:00" and "2026-11-07 16:00" alike
      var start = parts(read("start")), end = parts(read("end"));
      var days = end.date ? (dayOf(end.date) - dayOf(start.date)) / 86400000 : 0;
      return [start.time, days, end.time, read("duration") || ""].join(" ");
    };
    if (clock(get) !== clock(before)) {
      changed.push("时间");
    }
    if (JSON.stringify(get("venue") || "") !== JSON.stringify(before("venue") || "")) changed.push("地点");
    var held = function (value) { return ["cancelled", "postponed"].indexOf(value) < 0; };
    if (held(statusOf(before)) && !held(statusOf(get))) changed.push("状态");
    return changed.join("、");
  }

  /* Asked before saving, in the browser's own box (取消 keeps the form, unsaved): 从某天起 is done
     with a copy and the old series closed; a mistake corrected is saved as it is. */
  function askHeldSeries(entry) {
    var data = entry.get("data"), get = function (name) { return plain(data.get(name)); };
    var what = heldSeriesChange(entry, get, clockText(new Date()));
    if (!what) return;
    var first = parts(plain(originalOf(entry).start)).date;
    var way = what === "状态" ?
      "只取消其中一场（比如这一次）：点“取消”，把“状态”改回“正常举办”，在“重复”里的“取消其中一场”选那一场、写上原因，" +
      "点“取消这一场”。\n从某一场起不再举办：点“取消”，把“状态”改回“正常举办”，在“重复”里的“从某一场起停办”选停办后的第一场、写上原因，" +
      "点“从这一场起停办”（已经举办的场次照常算数）。" :
      "从某天起换" + what + "：点“取消”，把" + what + "改回原来的，先点“复制”做一个从新安排第一天开始的新系列，" +
      "再回到这里，把“重复”里的“到哪天为止”改成新安排前的最后一次。只改其中一两场，用“重复”里的“改期或换地点”。";
    var asked = "这个重复活动已经举办过（第一场 " + first + "）：改了" + what + "，已经举办的场次在活动页、" +
      "开放数据和订阅的日历里也会跟着改。\n\n" + way + "\n\n原来就写错了、要改正：点“确定”保存。";
    ask(asked, "已经举办的场次没有改动。" + way);
  }

  /* A written-out place given a new address while its coordinates stay: the map links and the
     calendars' GEO put the new place's name on the old place's pin. Asked, as above: the address
     may only be written better (确定), or the place moved (取消, then the coordinates). */
  function askMovedPlace(entry) {
    var old = originalOf(entry);
    var before = old && plain(old.venue), now = plain(entry.get("data").get("venue"));
    if (!before || !now || typeof before !== "object" || typeof now !== "object" || !filled(before.lat)) return;
    var address = function (venue) { return String(venue.address || "").trim(); };
    if (address(before) === address(now) || String(before.lat) !== String(now.lat) || String(before.lon) !== String(now.lon)) return;
    var way = "新地点在别处：点“取消”，清空“纬度”和“经度”，或改成新地点的。";
    ask("“详细地址”从“" + address(before) + "”改成了“" + address(now) + "”，纬度和经度还是原来的：地图和日历会把新地点" +
        "标在原来的位置。\n\n" + way + "\n\n只是改了地址的写法、位置没变：点“确定”保存。", "地图上的位置没有改动。" + way);
  }

  /* 到哪天为止 brought earlier (提前结束) with an extra session (加开一场) left after the new end: it
     stayed on the page and in the calendars as to come. Asked: it may be held still (确定), or
     have gone with the rest (取消, then its 删去 in the dates listed). */
  function askExtraAfterEnd(entry) {
    var old = originalOf(entry);
    var rule = plain(entry.get("data").get("recurrence")), before = old && plain(old.recurrence);
    if (!rule || !rule.rrule || !before || !before.rrule) return;
    var until = readRule(rule.rrule).until, was = readRule(before.rrule).until;
    if (!until || (was && was <= until)) return;
    var after = (rule.rdates || []).map(textOf).filter(function (text) { return parts(text).date > until; });
    if (!after.length) return;
    var named = after.map(function (text) { return shown(dayOf(text)) + (parts(text).time ? " " + parts(text).time : ""); }).join("、");
    var way = "这一场也不办了：点“取消”，在“重复”的活动日期预览里点它旁边的“删去”。";
    ask("“到哪天为止”改成了 " + until + "，加开的 " + named + " 在它之后，网站和日历会照常显示。\n\n" + way +
        "\n\n照常加开：点“确定”。", "加开的场次没有改动。" + way);
  }

  /* The browser's own question box: 确定 goes on saving; 取消 keeps the form, unsaved, and Decap
     says “没有保存：” and ``refused``. */
  function ask(question, refused) {
    if (window.confirm(question)) return;
    var refusal = new Error(refused);
    refusal.name = "";  // shown as the sentences alone, not “Error: …”
    throw refusal;
  }


  function timeProblems(get) {
    var start = parts(get("start")), written = String(get("end") || "").trim(), end = parts(written);
    if (!start.time) return [];
    if (NIGHT && start.time < NIGHT.before && !yes(get(NIGHT.field))) {
      return [at("start time", "“开始”是凌晨 " + start.time + "？下午的活动请用 24 小时制（例如 14:30）；" +
                 "确实在凌晨开始的活动，打开“凌晨开始”")];
    }
    if (!written && !filled(get("duration"))) {
      return [at("end time", "“开始”选了时间，还要选“结束”的时间：同一天结束只选时间，跨天的活动选最后一天的日期和时间")];
    }
    if (end.date && !end.time) return [at("end time", "“开始”选了时间，“结束”也要选时间（只选日期的结束只用于全天活动）")];
    var rule = get("recurrence");
    if (rule && readRule(rule.rrule).kind === "daily" && end.date && end.date > start.date) {
      return [at("end", "每天重复的活动，“结束”写第一天活动结束的时间（只选时间）；最后一天的日期写在“重复”的“到哪天为止”里")];
    }
    return [];
  }

  function ageProblems(get) {
    var range = /^\s*(\d{1,3})\s*(?:-|~|～|—|至|到)\s*(\d{1,3})/.exec(String(get("age") || ""));
    return range && +range[1] > +range[2] ? [at("age", "“适合年龄”前面的数字比后面的大：写成小的在前，例如 6-12")] : [];
  }

  /* The check's (kepu.content.datechecks.new_event_over) for a one-off event: a file the change
     adds for an event already over is a year left from a copied file, unless it records one. */
  function pastProblems(get, today, added) {
    if (!added || isSeries(get("recurrence")) || filled(get("attendance")) || filled(get("report"))) return [];
    var last = lastDay(get("start"), get("end"));
    return last && last < today ?
      [at("start", "这是新加的活动，日期（" + last + "）已经过去了：如果是补录已经办完的活动，请填写“参加人数”；" +
          "如果是新活动，检查年份和日期（是不是从旧活动复制后忘了改）")] : [];
  }

  /* An event's file is in its street's folder (…/<street>/<year>/<name>.md), and its reviewers are
     that street's: the form cannot move it, so a street changed on a saved event is refused. */
  function folderProblems(entry, get) {
    if (entry.get("newRecord")) return [];
    var path = String(entry.get("path") || "").split("/"), folder = path.length >= 3 ? path[path.length - 3] : "";
    var street = String(get("street") || "");
    return folder && street && folder !== street ?
      [at("street", "“街镇”改了，活动文件却还在原来街镇（" + folder + "）的文件夹里，自动检查会拒绝：请把“街镇”改回去；" +
          "确实要换街镇，请网站管理员移动这个文件")] : [];
  }

  /* A series' days off and changed sessions, and its sign-up deadline, against its rule as it is
     now: a day off or a cancellation left from before the rule changed (Saturdays moved to Sundays,
     到哪天为止 brought forward) is refused by the check. Rules the form cannot show are the check's. */
  function seriesProblems(get) {
    var rule = get("recurrence"), start = dayOf(get("start"));
    if (!rule || !rule.rrule || !start) return [];
    var state = readRule(rule.rrule);
    if (state.kind === "none" || state.kind === "other") return [];
    var first = iso(start), off = (rule.exdates || []).map(function (d) { return textOf(d).slice(0, 10); });
    var held = function (text) {
      var day = dayOf(text);
      return !!day && ruleHolds(state, first, day);
    };
    var found = [];
    off.forEach(function (text) {
      if (!held(text)) found.push(at("recurrence", "“不开展的日期”里的 " + shown(dayOf(text)) + " 不是这个活动的日期：在“重复”里删去它"));
    });
    (rule.sessions || []).forEach(function (session) {
      var text = sessionDay(session);
      if (!held(text)) {
        var undo = isStop(session) ? "恢复举办" : cancelled(session) ? "恢复这一场" : "恢复原安排", day = dayOf(text);
        found.push(at("recurrence", (isStop(session) ? "停办" : cancelled(session) ? "取消" : "改期或换地点") + "的 " + (day ? shown(day) : text) +
                      " 已经不在这个系列的日期里（“到哪天为止”或规律改了）：在“重复”里点它旁边的“" + undo + "”"));
      }
      else if (off.indexOf(text) >= 0) {
        found.push(at("recurrence", shown(dayOf(text)) + " 既写在“不开展的日期”里，又写了取消或改期：只留一个"));
      }
    });
    var deadline = parts(textOf((get("registration") || {}).deadline)).date;
    if (deadline && state.until && deadline > state.until) {
      found.push(at("deadline", "报名截止日期晚于最后一次活动（“到哪天为止”）：要选最后一次活动之前（或当天）的日期"));
    }
    return found;
  }

  /* A copy with the old start is the same event twice (the check refuses it: SAME_EVENT); the old
     event's outcome (名额已满, its note, 参加人数…) copied with it is asked about, by label and value. */
  function copyProblems(entry, get) {
    var found = [], now = parts(textOf(get("start"))), labels = (COPY && COPY.shown) || {};
    copiedFrom(entry, get).forEach(function (old) {
      var was = parts(textOf(old.start));
      if (was.date === now.date && was.time === now.time) {
        found.push(at("start", "与刚才打开的“" + old.title + "”（" + textOf(old.start).trim() + "）是同一个活动" +
                      "（名称、开始时间和街镇都相同），网站上会出现两次：复制来的活动请改成新的日期和时间；如果是重复添加，就不用保存"));
      }
      var copied = Object.keys(labels).filter(function (name) {
        var value = plain(get(name));
        return filled(old[name]) && JSON.stringify(value) === JSON.stringify(old[name]) &&
          !(name === "status" && statusOf(get) === "scheduled");
      });
      if (copied.length) {
        found.push(at(copied, "这是复制来的活动，原活动的" + copied.map(function (name) {
          return "“" + labels[name] + "”（" + (name === "status" ? choiceLabel("status", statusOf(get)) : textOf(old[name])) + "）";
        }).join("、") + "也复制过来了：这些属于原来那次活动，新活动请改掉或清空"));
      }
    });
    return found;
  }

  /* The check's (validation.body_link_problems): a link in 活动介绍 whose words are a web address
     on another site than the one it opens (the words www.gov.cn, the link a questionnaire
     elsewhere): a resident trusts the words. Markdown links and <a href>, not pictures. */
  var LINKS = /(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^\s)>]*)>?(?:\s+"[^"]*")?\s*\)|<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi;

  function site(host) {
    return host.toLowerCase().replace(/\.$/, "").replace(/^www\./, "");
  }

  function sameSite(said, opened) {  // the same site, or a part of the one named; not one containing its name
    return said === opened || opened.slice(-said.length - 1) === "." + said || said.slice(-opened.length - 1) === "." + opened;
  }

  function linkProblems(get) {
    var found = [], body = String(get("body") || ""), link, unescape = document.createElement("textarea");
    LINKS.lastIndex = 0;
    while (LINK_WORDS && (link = LINKS.exec(body))) {
      if (link[1]) continue;  // a picture
      unescape.innerHTML = String(link[2] !== undefined ? link[2] : link[5]).replace(/<[^>]+>/g, "");
      var words = unescape.value.trim().replace(/^[*_~`]+|[*_~`]+$/g, ""), said = LINK_WORDS.exec(words), target;
      try { target = new URL(link[3] !== undefined ? link[3] : link[4]); } catch (e) { continue; }
      if (!said || ["http:", "https:"].indexOf(target.protocol) < 0 || !target.hostname) continue;
      var named = (said[1] || said[2] || said[3]).toLowerCase();
      if (!sameSite(site(named), site(target.hostname))) {
        found.push(at("body", "活动介绍里的链接，文字写的是 " + named + "，点开却是另一个网站 " + target.hostname +
                      "：链接文字写成它真正打开的网址，或者写成说明文字，例如“报名页”"));
      }
    }
    return found;
  }

  function formProblems(entry, now) {
    var data = entry.get("data"), get = function (name) { return plain(data.get(name)); }, today = now.slice(0, 10);
    var original = originalOf(entry);
    return [].concat(placeProblems(get), timeProblems(get), statusProblems(get, original ? original.start : ""), signUpProblems(get),
                     attendanceProblems(get, now), ageProblems(get), pastProblems(get, today, entry.get("newRecord")),
                     folderProblems(entry, get), seriesProblems(get), copyProblems(entry, get), linkProblems(get));
  }

  /* What the form writes that the check reads otherwise: 不填 (an online event) saved as an empty
     place, which the check takes for a place written wrong; a length (duration:) written by hand
     beside the end she has just chosen; an extra session the rule now holds itself (extrasOff); on a
     copy, the old event's fields the form does not show (updated, report: copyevent.DROPPED) and the
     old series' extra sessions (new-event --from writes a new recurrence). */
  function tidy(data, entry) {
    var venue = plain(data.get("venue"));
    if (COPY && entry && copiedFrom(entry, function (name) { return plain(data.get(name)); }).length) {
      COPY.left_out.forEach(function (name) { data = data.delete(name); });  // updated, report…: the old event's
      data = data.deleteIn(["recurrence", "rdates"]);  // the old series' extra sessions (the form cannot add any)
    }
    if (venue === "" || venue === null) data = data.delete("venue");
    if (filled(data.get("end")) && data.has("duration")) data = data.delete("duration");
    var rule = plain(data.get("recurrence")), off = rule && rule.rrule ? extrasOff(rule, plain(data.get("start"))) : [];
    if (off.length) {
      var kept = rule.rdates.filter(function (value) { return off.indexOf(value) < 0; });
      data = kept.length ? data.setIn(["recurrence", "rdates"], kept) : data.deleteIn(["recurrence", "rdates"]);
    }
    return stampUpdated(data, entry);
  }

  /* The guide's rule (改了时间、地点、状态时请更新 updated), kept by the form, which does not show
     the field: a saved event whose time, place, status or sign-up changed is 信息更新于 now (the
     page said the old day after a new place). Other edits (a word in the description) leave it. */
  var UPDATED_BY = ["start", "end", "duration", "venue", "online", "status", "status_note", "previous_start",
                    "registration", "recurrence", "cost"];
  function stampUpdated(data, entry) {
    var old = originalOf(entry);
    if (!old) return data;
    var changed = UPDATED_BY.some(function (name) {
      return JSON.stringify(plain(data.get(name)) || "") !== JSON.stringify(plain(old[name]) || "");
    });
    return changed ? data.set("updated", clockText(new Date())) : data;
  }

  /* The fields a refusal names are marked (aria-invalid, which screen readers say, and outlined)
     until the next 发布; she is taken to the first. Decap's label of a field is for="<name>-field-<n>",
     the id of its control (or of a group with the controls inside). */
  var CONTROLS = "input:not([type=hidden]), select, textarea, [contenteditable=true]";

  /* A field's label: by the field's name, or by the id Decap gave its control ("end-field-6"). */
  function labelOf(name) {
    return document.querySelector('label[for="' + name + '"]') || document.querySelector('label[for^="' + name + '-field-"]');
  }

  /* A field's control: its label's target, or in a group (报名, 重复) the first box or list, not the
     group's 收起 button. */
  function controlOf(field) {
    var name = field.split(" ")[0], part = field.split(" ")[1];  // "start time": the start's time box
    var label = labelOf(name);
    var control = label && document.getElementById(label.htmlFor);
    if (control && part) return control.parentElement.querySelector("input[type=" + part + "]") || control;
    if (control && !control.matches(CONTROLS + ", button")) control = control.querySelector(CONTROLS);
    // A field with no control of that id (活动介绍's editor): the first in the label's field.
    return control || (label && (label.parentElement.querySelector(CONTROLS) ||
                                 label.parentElement.parentElement.querySelector(CONTROLS))) || null;
  }

  function markFields(found) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-kepu-refused]"), function (element) {
      element.removeAttribute("aria-invalid");
      element.removeAttribute("data-kepu-refused");
    });
    found.forEach(function (problem) {
      problem.fields.forEach(function (field) {
        var control = controlOf(field);
        if (!control) return;
        control.setAttribute("aria-invalid", "true");
        control.setAttribute("data-kepu-refused", "");
      });
    });
  }

  function focusFirst() {
    var first = document.querySelector("[data-kepu-refused]");
    if (!first) return;
    first.scrollIntoView({block: "center"});
    first.focus();
  }

  /* Thrown from preSave: Decap says “没有保存：” and the sentences, and keeps the form as it was.
     Its notice goes after eight seconds, too soon to read two sentences: they are also shown in
     the browser's own message box, which stays until she presses OK (and screen readers read). */
  function refuseSaving(entry) {
    var found = formProblems(entry, clockText(new Date()));
    if (!tell(found)) return;
    var refusal = new Error(found.map(function (problem) { return problem.text; }).join("；另外，"));
    refusal.name = "";  // shown as the sentences alone, not “Error: …”
    throw refusal;
  }

  /* The reasons not to save, said: the fields marked, the message box, her place at the first. */
  function tell(found) {
    markFields(found);
    if (!found.length) return false;
    window.alert("没有保存，请先改好：\n\n" + found.map(function (problem, n) { return (n + 1) + ". " + problem.text; }).join("\n\n"));
    focusFirst();
    return true;
  }

  /* Decap's own checks of one field (必填, a pattern, a widget's isValid) refuse a save before
     preSave, silently: its red messages sat off screen (on a phone, always), and for an empty
     required field its notice named none. Pressing a save button, she is told as for the checks
     across fields, each problem by its field's label; the others the form finds are said with them. */
  function watchSaving(CMS) {
    var words = (CMS.getLocale && CMS.getLocale("zh_Hans") || {}).editor || {}, toolbar = words.editorToolbar || {};
    var saving = [toolbar.publishNow, toolbar.publishAndCreateNew, toolbar.publishAndDuplicate, toolbar.save];
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[role=menuitem], button");
      // Decap checks the fields in the same task (after a promise): their errors are in its store then.
      if (button && saving.indexOf(button.textContent.trim()) >= 0) setTimeout(sayFieldErrors, 0);
    }, true);
  }

  /* Decap's store (react-redux's, on the root of its page): the fields' errors, the entry edited. */
  function decapStore() {
    var root = document.getElementById("nc-root"), fibers = [];
    Object.keys(root || {}).forEach(function (key) { if (key.indexOf("__reactContainer$") === 0) fibers.push(root[key]); });
    for (var n = 0; n < fibers.length && n < 100; n++) {
      var props = fibers[n].memoizedProps;
      if (props && props.store && typeof props.store.getState === "function") return props.store;
      if (fibers[n].child) fibers.push(fibers[n].child);
      if (fibers[n].sibling) fibers.push(fibers[n].sibling);
    }
    return null;
  }

  /* A field's label as the form shows it, without Decap's “(可选)”. */
  function labelText(label) {
    return Array.prototype.filter.call(label.childNodes, function (node) { return node.nodeType === 3; })
      .map(function (node) { return node.textContent; }).join("").trim();
  }

  function sayFieldErrors() {
    var store = decapStore(), draft = store && store.getState().entryDraft;
    var errors = draft ? plain(draft.get("fieldsErrors")) || {} : {};
    var found = Object.keys(errors).filter(function (id) { return errors[id] && errors[id].length; }).map(function (id) {
      var label = labelOf(id), name = label ? labelText(label) : "";
      return at(id, errors[id].map(function (error) {
        var text = String(error.message || "").trim();
        return name && text.indexOf("“" + name + "”") !== 0 ? "“" + name + "”：" + text : text;
      }).join("；"));
    }).sort(function (a, b) {  // as the page shows them, top to bottom
      var x = labelOf(a.fields[0]), y = labelOf(b.fields[0]);
      return !x || !y || x === y ? 0 : x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    if (!found.length) return;  // saved, or refused in preSave (refuseSaving)
    var entry = draft.get("entry");
    tell(found.concat(entry && entry.get("collection") === "events" ? formProblems(entry, clockText(new Date())) : []));
  }

  /* A picture is saved under its own name with the time of its upload added (IMG_1234.jpg →
     img_1234-20261204-153012.jpg; Decap's ASCII names keep only a name's letters and digits, so
     活动照片1.jpg → 1-20261204-153012.jpg): two volunteers' 活动照片1.jpg in one street's folder never
     replace each other. Decap replaces a file of the same name without asking when it has not
     listed that folder, as for a new event whose street was chosen after the form opened.
     The file chooser's files are renamed before Decap's own handler reads them. */
  function two(n) { return (n < 10 ? "0" : "") + n; }
  /* The site's clock (TIMEZONE, wherever the volunteer's computer is set): year, month, day, hour,
     minute and second, two digits each but the year; the computer's own clock for an unknown zone. */
  function siteClock(now) {
    var found = {};
    try {
      new Intl.DateTimeFormat("en-GB", {timeZone: ZONE || undefined, hourCycle: "h23", year: "numeric",
                                        month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
                                        second: "2-digit"})
        .formatToParts(now).forEach(function (part) { found[part.type] = part.value; });
      return found;
    } catch (e) {
      return {year: "" + now.getFullYear(), month: two(now.getMonth() + 1), day: two(now.getDate()),
              hour: two(now.getHours()), minute: two(now.getMinutes()), second: two(now.getSeconds())};
    }
  }
  /* An upload's time as the volunteer's street reads it (a computer set to UTC named an evening's
     photos with the next morning's date). */
  function stamp(now) {
    var c = siteClock(now);
    return c.year + c.month + c.day + "-" + c.hour + c.minute + c.second;
  }
  /* The clock as the form compares it with the dates and times written in it, which are the site's
     (TIMEZONE, wherever the volunteer's computer is set): "2026-12-08 17:05". */
  function clockText(now) {
    var c = siteClock(now);
    return c.year + "-" + c.month + "-" + c.day + " " + c.hour + ":" + c.minute;
  }

  function stampUploads(event) {
    var input = event.target;
    if (!input || input.type !== "file" || !input.files || !input.files.length) { return; }
    var when = stamp(new Date()), renamed = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (file) {
      var dot = file.name.lastIndexOf("."), stem = dot > 0 ? file.name.slice(0, dot) : file.name;
      renamed.items.add(new File([file], stem + "-" + when + (dot > 0 ? file.name.slice(dot) : ""),
                                 {type: file.type, lastModified: file.lastModified}));
    });
    input.files = renamed.files;
  }

  window.addEventListener("change", stampUploads, true);  // capturing: before the page's handlers

  /* Digits and dashes typed in full width (a Chinese input method's ０２２－２５６０　００００, ６－１２)
     are the half-width ones the check reads them as: rewritten so as she leaves the box, so the
     form's pattern takes them (it refused them, asking for 半角, which many volunteers cannot switch
     to) and the file keeps plain digits. The box is React's: its value is set as typing sets it. */
  var HALF_WIDTH = /^(?:phone|age)-field-/;  // 报名电话, 适合年龄 (Decap's ids: <name>-field-<n>)
  var setTyped = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  function halfWidth(event) {
    var input = event.target;
    if (!input || input.tagName !== "INPUT" || !HALF_WIDTH.test(input.id || "")) { return; }
    var typed = input.value.normalize("NFKC");
    if (typed === input.value) { return; }
    setTyped.call(input, typed);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }

  window.addEventListener("change", halfWidth, true);

  /* Decap's Chinese says a field "不满足模式" and then our own sentence; a volunteer reads the
     field's name and the sentence that says how to write it. */
  function plainerWords(CMS) {
    var phrases = CMS.getLocale && CMS.getLocale("zh_Hans");
    var widget = phrases && phrases.editor && phrases.editor.editorControlPane && phrases.editor.editorControlPane.widget;
    if (!widget) { return; }
    var own = JSON.parse(JSON.stringify(phrases));
    own.editor.editorControlPane.widget.regexPattern = "“%{fieldLabel}”：%{pattern}";
    // Decap's Chinese lacks these: its English (Collapse, Add …) showed through.
    var widgets = own.editor.editorWidgets = own.editor.editorWidgets || {};
    widgets.object = Object.assign({expand: "展开", collapse: "收起"}, widgets.object);
    widgets.list = Object.assign({add: "添加%{item}", addType: "添加%{item}"}, widgets.list);
    widgets.datetime = Object.assign({now: "现在", clear: "清除", setToNow: "把%{fieldLabel}设为现在"}, widgets.datetime);
    own.ui = own.ui || {};
    own.ui.toast = Object.assign({}, own.ui.toast, {onFailToPersist: "没有保存：%{details}"});
    own.ui.settingsDropdown = Object.assign({account: "账户选项"}, own.ui.settingsDropdown);
    // Each field's box was named "string field", "kepu-when field" (the widget's English id): its
    // label already names it, so the box takes no name of its own.
    var control = own.editor.editorControl = own.editor.editorControl || {};
    control.field = Object.assign({}, control.field, {widgetLabel: ""});
    CMS.registerLocale("zh_Hans", own);
  }

  /* Words Decap's parts write in English whatever the locale (react-select's "Remove 亲子家庭",
     the notices' "close" and "notification timer"): a screen reader says them in Chinese. */
  var SPOKEN = [[/^Remove (.+)$/, "删去 $1"], [/^close$/, "关闭"], [/^notification timer$/, "提示的倒计时"]];

  function speakChinese(root) {
    var found = root.querySelectorAll ? root.querySelectorAll("[aria-label]") : [];
    [root].concat(Array.prototype.slice.call(found)).forEach(function (node) {
      var label = node.getAttribute && node.getAttribute("aria-label");
      if (!label) { return; }
      SPOKEN.forEach(function (rule) {
        if (rule[0].test(label)) { node.setAttribute("aria-label", label.replace(rule[0], rule[1])); }
      });
    });
  }

  function keepSpokenWordsChinese() {
    speakChinese(document.body);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        if (change.type === "attributes") { speakChinese(change.target); }
        Array.prototype.forEach.call(change.addedNodes, function (node) {
          if (node.nodeType === 1) { speakChinese(node); }
        });
      });
    }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"]});
  }

  document.addEventListener("DOMContentLoaded", function () {
    var CMS = window.CMS;
    h = window.h;
    createClass = window.createClass;
    plainerWords(CMS);
    keepSpokenWordsChinese();
    watchSaving(CMS);
    CMS.registerWidget("kepu-when", whenControl(), preview);
    CMS.registerWidget("kepu-repeat", repeatControl(), preview);
    CMS.registerWidget("kepu-contact", contactControl(), preview);
    CMS.registerWidget("kepu-venue", venueControl(), preview);
    CMS.registerWidget("kepu-choice", choiceControl(), preview);
    CMS.registerEventListener({name: "preSave", handler: function (args) {
      var data = args.entry.get("data");
      if (args.entry.get("collection") !== "events") return splitTags(data);
      refuseSaving(args.entry);
      askHeldSeries(args.entry);
      askMovedPlace(args.entry);
      askExtraAfterEnd(args.entry);
      return splitTags(completeEnd(tidy(data, args.entry)));
    }});
    CMS.registerEventListener({name: "postSave", handler: function (args) { rememberOriginal(args.entry, true); }});
    CMS.init();
  });
})();
