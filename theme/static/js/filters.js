/* Filters for the events list: a static JSON index, state kept in the URL so views can be shared.
   Without JavaScript the same events are reachable through street, type and audience pages. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch || !window.URLSearchParams) { return; }
  var status = form.querySelector(".filter-status");
  var original = Array.prototype.slice.call(results.childNodes);
  var data = null;
  var FIELDS = ["street", "category", "audience", "when", "free", "registration"];

  function today() {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit"
    }).format(new Date());
  }
  function shift(iso, days) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }
  function range(when) {
    var t = today();
    var dow = new Date(t + "T00:00:00Z").getUTCDay(); // 0 = Sunday
    var toSunday = dow === 0 ? 0 : 7 - dow;
    if (when === "today") { return [t, t]; }
    if (when === "weekend") { return dow === 0 ? [t, t] : [dow === 6 ? t : shift(t, 6 - dow), shift(t, toSunday)]; }
    if (when === "week") { return [t, shift(t, toSunday)]; }
    if (when === "month") {
      var d = new Date(t + "T00:00:00Z");
      var last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
      return [t, last.toISOString().slice(0, 10)];
    }
    return null;
  }
  function read() {
    var state = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      var value = field && (field.type === "checkbox" ? (field.checked ? field.value : "") : field.value);
      if (value) { state[name] = value; }
    });
    return state;
  }
  function write(state) {
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) { return; }
      var value = state.get(name) || "";
      if (field.type === "checkbox") { field.checked = value === field.value; } else { field.value = value; }
    });
  }
  function matches(event, state, span) {
    if (state.street && event.street !== state.street) { return false; }
    if (state.category && event.categories.indexOf(state.category) < 0) { return false; }
    if (state.audience && event.audiences.indexOf(state.audience) < 0) { return false; }
    if (state.free && !event.free) { return false; }
    if (state.registration === "required" && !event.registration) { return false; }
    if (state.registration === "none" && event.registration) { return false; }
    if (span) {
      return event.dates.some(function (d) { return d[0] <= span[1] && d[1] >= span[0]; });
    }
    return event.dates.some(function (d) { return d[1] >= today(); });
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }
  function card(event) {
    var article = element("article", "card status-" + event.status);
    var title = element("h2", "card-title");
    var link = element("a", "", event.title);
    link.href = form.getAttribute("data-index").replace(/events\/filter\.json$/, "") + event.url;
    title.appendChild(link);
    if (data.status_labels[event.status]) {
      title.appendChild(document.createTextNode(" "));
      title.appendChild(element("span", "badge status-" + event.status, data.status_labels[event.status]));
    }
    article.appendChild(title);
    article.appendChild(element("p", "when", event.when));
    article.appendChild(element("p", "where", event.place + " · " + data.streets[event.street]));
    var tags = element("p", "tags");
    event.categories.forEach(function (c) { tags.appendChild(element("span", "tag", data.categories[c])); });
    event.audiences.forEach(function (a) { tags.appendChild(element("span", "tag tag-audience", data.audiences[a])); });
    if (event.free) { tags.appendChild(element("span", "tag tag-free", "免费")); }
    article.appendChild(tags);
    var item = element("li");
    item.appendChild(article);
    return item;
  }
  function update() {
    var state = read();
    var query = new URLSearchParams(state).toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
    results.textContent = "";
    if (!query) {
      original.forEach(function (node) { results.appendChild(node); });
      status.textContent = "";
      return;
    }
    var span = range(state.when);
    var found = data.events.filter(function (event) { return matches(event, state, span); });
    status.textContent = found.length ? "找到 " + found.length + " 项活动" : "没有符合条件的活动，请放宽条件。";
    var list = element("ol", "cards");
    found.forEach(function (event) { list.appendChild(card(event)); });
    results.appendChild(list);
  }
  fetch(form.getAttribute("data-index")).then(function (response) { return response.json(); }).then(function (json) {
    data = json;
    write(new URLSearchParams(location.search));
    form.hidden = false;
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    if (location.search) { update(); }
  });
})();
