/* Filters for the events list over every upcoming event (events/filter.json, kepu.finder's
   compact rows); state kept in the URL so views can be shared. Several choices within a filter
   widen it (either street), filters together narrow it. Without JavaScript the same events are
   reachable through street, type and audience pages. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var results = document.getElementById("results");
  var empty = document.getElementById("filter-empty");
  if (!form || !results || !window.fetch || !window.URLSearchParams) { return; }
  var status = form.querySelector(".filter-status");
  var original = Array.prototype.slice.call(results.childNodes);
  var data = null, col = {}, base = 0, epoch = 0;
  var WIDTH = 5;  // a session in a row's sessions: first day, days to its last, when, kind, end (kepu.finder)
  var root = form.getAttribute("data-base");  // the site's address (the index's may be anywhere)
  var FIELDS = ["street", "category", "audience", "when", "age", "free", "access", "registration"];
  var MULTI = { street: "streets", category: "categories", audience: "audiences" };
  var SHOWN = 50;  // cards drawn at a time; a button draws more

  function day(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / 864e5) - base; }
  function today() {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: document.documentElement.getAttribute("data-timezone") || undefined,
      year: "numeric", month: "2-digit", day: "2-digit"
    }).format(new Date());
  }
  function range(when) {  // [first, last] days after the build date, or null
    var t = today(), n = day(t);
    var dow = new Date(t + "T00:00:00Z").getUTCDay(); // 0 = Sunday
    var toSunday = dow === 0 ? 0 : 7 - dow;
    if (when === "today") { return [n, n]; }
    if (when === "tomorrow") { return [n + 1, n + 1]; }
    if (when === "weekend") { return [dow === 0 ? n : n + Math.max(0, 6 - dow), n + toSunday]; }
    if (when === "week") { return [n, n + toSunday]; }
    if (when === "nextweek") { return [n + toSunday + 1, n + toSunday + 7]; }  // Monday to Sunday
    if (when === "month") {
      var d = new Date(t + "T00:00:00Z");
      return [n, day(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10))];
    }
    return [n, Infinity];
  }
  function each(callback) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (FIELDS.indexOf(field.name) >= 0) { callback(field); }
    });
  }
  function read() {  // the form as URL parameters, in a fixed order
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      each(function (field) {
        var value = field.value.trim();
        if (field.name !== name || !value || (/checkbox|radio/.test(field.type) && !field.checked)) { return; }
        params.append(name, value);
      });
    });
    return params;
  }
  function write(params) {
    each(function (field) {
      var values = params.getAll(field.name);
      if (/checkbox|radio/.test(field.type)) {
        field.checked = values.indexOf(field.value) >= 0 || (!field.value && !values.length);
      } else { field.value = values[0] || ""; }
    });
  }
  function state(params) {  // parameters → positions and numbers the rows use
    var s = { when: range(params.get("when")), free: params.has("free"), access: params.has("access"),
              registration: params.get("registration") || "", age: parseInt(params.get("age"), 10) };
    Object.keys(MULTI).forEach(function (name) {
      var ids = data[MULTI[name]].map(function (pair) { return pair[0]; });
      s[name] = params.getAll(name).map(function (id) { return ids.indexOf(id); })
        .filter(function (i) { return i >= 0; });
    });
    return s;
  }
  function any(list, chosen) {
    return !chosen.length || list.some(function (i) { return chosen.indexOf(i) >= 0; });
  }
  function matches(row, s) {  // the position of the session the filters find (the first not over), or -1
    var flags = row[col.flags], age = row[col.age], sessions = row[col.sessions];
    if (s.street.length && s.street.indexOf(row[col.street]) < 0) { return -1; }
    if (!any(row[col.categories], s.category) || !any(row[col.audiences], s.audience)) { return -1; }
    if ((s.free && !(flags & 1)) || (s.access && !(flags & 4))) { return -1; }
    if (s.registration === "required" && !(flags & 2)) { return -1; }
    if (s.registration === "none" && flags & 2) { return -1; }
    if (!isNaN(s.age) && age && ((age[0] !== null && s.age < age[0]) || (age[1] !== null && s.age > age[1]))) {
      return -1;
    }
    // Put off with no new date (已延期（新时间待定））: among those to come, as the list has it, even
    // once its planned day is past; a chosen day never finds it (it has none yet).
    if ((flags & 8) && row[col.status] === "postponed") { return s.when[1] === Infinity && sessions.length ? 0 : -1; }
    var found = -1, off = -1, now = Date.now();
    for (var i = 0; i < sessions.length; i += WIDTH) {
      if (sessions[i] > s.when[1] || sessions[i] + sessions[i + 1] < s.when[0]) { continue; }
      if (data.kinds[sessions[i + 3]][2]) {  // called off: found (已取消) only if no session held is
        if (off < 0 && epoch + sessions[i + 4] * 6e4 > now) { off = i; }
        continue;
      }
      if (epoch + sessions[i + 4] * 6e4 > now) { return i; }  // in the window and not over
      if (found < 0) { found = i; }  // over already: shown (这一场已结束) only if none later is to come
    }
    return found >= 0 ? found : off;
  }
  // A session's start time as its words give it (2026年12月19日（周六）14:00–16:00 → "14:00"; an
  // all-day one, "": first on its day).
  function clock(row, at) {
    var found = /）(\d\d:\d\d)/.exec(row[col.sessions][at + 2]);
    return found ? found[1] : "";
  }
  function search(params) {  // [row, its session found] pairs, by that session's day and time (then as listed)
    var s = state(params), found = [];
    data.events.forEach(function (row, order) {
      var at = matches(row, s);
      if (at >= 0) { found.push([row, at, order, clock(row, at)]); }
    });
    return found.sort(function (a, b) {
      return a[0][col.sessions][a[1]] - b[0][col.sessions][b[1]] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0) ||
        a[2] - b[2];
    });
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }
  function card(row, at) {  // as the list's own cards, for the session the filters found
    var event = {};
    data.fields.forEach(function (name, i) { event[name] = row[i]; });
    event.status = event.status || "scheduled";
    var article = element("article", "card status-" + event.status);
    article.setAttribute("data-ends", event.ends);  // marked 已结束 by site.js, as the list's own cards
    if (event.flags & 8) { article.setAttribute("data-unheld", ""); }  // cancelled…: never 已结束
    var title = element("h3", "card-title");  // as the page's cards, under 活动列表
    var link = element("a", "", event.title);
    link.href = root + data.event_path.replace("{slug}", event.url);
    title.appendChild(link);
    var label = event.status_text || data.status_labels[event.status];  // as the page's cards: in the link
    if (label) {
      link.appendChild(document.createTextNode(" "));
      link.appendChild(element("span", "badge status-" + event.status, label));
    }
    article.appendChild(title);
    var sessions = event.sessions, kind = data.kinds[sessions[at + 3]];
    var when = element("p", "when", sessions[at + 2]);
    if (kind[1]) {  // this session changed: 已改期, 已换地点, 已取消
      when.appendChild(document.createTextNode(" "));
      when.appendChild(element("span", "badge status-" + (kind[2] ? "cancelled" : "postponed"), kind[1]));
    }
    if (at + WIDTH < sessions.length && !kind[2]) {  // more sessions follow: once this one is over, 这一场已结束 (site.js)
      when.setAttribute("data-session-ends", new Date(epoch + sessions[at + 4] * 6e4).toISOString());
    }
    if (event.repeat !== null && event.repeat !== undefined) {  // a series: its rule, as the list's own cards
      when.appendChild(document.createTextNode(" "));
      when.appendChild(element("span", "repeat", "（" + data.repeats[event.repeat] + "）"));
    }
    article.appendChild(when);
    var street = data.streets[event.street], where = element("p", "where", data.places[kind[0]] + " · ");
    var streetLink = element("a", "", street[1]);
    streetLink.href = root + street[2];
    where.appendChild(street[2] ? streetLink : document.createTextNode(street[1]));
    article.appendChild(where);
    var tags = element("p", "tags");
    event.categories.forEach(function (c) { tags.appendChild(element("span", "tag", data.categories[c][1])); });
    event.audiences.forEach(function (a) { tags.appendChild(element("span", "tag tag-audience", data.audiences[a][1])); });
    if (event.flags & 1) { tags.appendChild(element("span", "tag tag-free", "免费")); }
    else if (event.cost !== null && event.cost !== undefined) { tags.appendChild(element("span", "tag tag-cost", data.costs[event.cost])); }
    article.appendChild(tags);
    var item = element("li");
    item.appendChild(article);
    return item;
  }
  function draw(found) {
    var list = element("ol", "cards"), shown = 0;
    var more = element("button", "button filter-more");
    more.type = "button";
    function next() {
      found.slice(shown, shown + SHOWN).forEach(function (pair) { list.appendChild(card(pair[0], pair[1])); });
      if (window.kepuMarkEnded) { window.kepuMarkEnded(list); }  // cards marked before are left as they are
      shown = Math.min(found.length, shown + SHOWN);
      more.textContent = "再显示 " + Math.min(SHOWN, found.length - shown) + " 项（已显示 " + shown + " / " + found.length + " 项）";
      more.hidden = shown >= found.length;
    }
    more.addEventListener("click", function () {
      var from = shown;
      next();
      // The first card just drawn takes the focus (the button may now be hidden), and it is said.
      var added = list.children[from], first = added && added.querySelector("a");
      if (first) { first.focus(); }
      status.textContent = "找到 " + found.length + " 项活动，已显示 " + shown + " 项";
    });
    results.appendChild(element("h2", "visually-hidden", "活动列表"));  // the cards' heading, as on the page
    results.appendChild(list);
    results.appendChild(more);
    next();
  }
  function link(params, text) {
    var a = element("a", "", text);
    a.href = "?" + params.toString();
    return a;
  }
  function suggest(params) {  // next steps when nothing matches: a wider time, neighbouring streets
    var wider = new URLSearchParams(params), item = empty.querySelector(".empty-when");
    wider.delete("when");
    var count = params.has("when") ? search(wider).length : 0;
    item.hidden = !count;
    item.replaceChild(link(wider, "不限时间（" + count + " 项）"), item.firstChild);
    var near = empty.querySelector(".empty-near"), box = near.querySelector("span"), chosen = state(params).street;
    box.textContent = "";
    chosen.forEach(function (i) {
      [i - 1, i + 1].forEach(function (j) {
        var street = data.streets[j];
        if (!street || chosen.indexOf(j) >= 0 || box.querySelector("[data-street=" + street[0] + "]")) { return; }
        var moved = new URLSearchParams(params);
        moved.delete("street");
        moved.append("street", street[0]);
        var n = search(moved).length;
        if (!n) { return; }
        var a = link(moved, street[1] + "（" + n + " 项）");
        a.setAttribute("data-street", street[0]);
        if (box.firstChild) { box.appendChild(document.createTextNode("、")); }
        box.appendChild(a);
      });
    });
    near.hidden = !box.firstChild;
    empty.hidden = false;
  }
  function summarise() {  // what is chosen, on each closed group's summary
    Array.prototype.forEach.call(form.querySelectorAll(".filter-group"), function (group) {
      var names = Array.prototype.filter.call(group.querySelectorAll("input"), function (input) { return input.checked; })
        .map(function (input) { return input.parentNode.textContent.trim(); });
      group.querySelector(".filter-chosen").textContent = names.length ? "：" + names.join("、") : "：不限";
    });
  }
  // The status is read out at each change of its words: stepping an age with the arrow keys or
  // typing it, the same count is not said again and again.
  function say(text) { if (status.textContent !== text) { status.textContent = text; } }
  var shown = null;  // the query the results show: a change that does not alter it redraws nothing
  function update() {
    var params = read(), query = params.toString();
    if (query === shown) { return; }  // e.g. leaving the age field after typing: keep the links under the finger
    shown = query;
    history.replaceState(null, "", query ? "?" + query : location.pathname);
    summarise();
    results.textContent = "";
    if (empty) { empty.hidden = true; }
    if (!query) {
      original.forEach(function (node) { results.appendChild(node); });
      // The page's own list, as built (what has ended since is marked 已结束 on its card).
      say("全部 " + data.events.length + " 项活动");
      return;
    }
    var found = search(params);
    if (found.length) { draw(found); } else if (empty) { suggest(params); }
    // Nothing found: the suggestions below appear without a word; the status says they are there.
    say(found.length ? "找到 " + found.length + " 项活动" :
      "没有符合条件的活动。" + (empty ? "下方有放宽条件的建议。" : ""));
  }
  fetch(form.getAttribute("data-index")).then(function (response) { return response.json(); }).then(function (json) {
    data = json;
    data.fields.forEach(function (name, i) { col[name] = i; });
    base = Math.round(Date.parse(data.build_date + "T00:00:00Z") / 864e5);
    epoch = Date.parse(data.epoch);
    write(new URLSearchParams(location.search));
    form.hidden = false;
    form.addEventListener("change", update);
    form.addEventListener("input", function (event) { if (event.target.name === "age") { update(); } });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      write(new URLSearchParams());
      update();
    });
    update();
  });
})();
