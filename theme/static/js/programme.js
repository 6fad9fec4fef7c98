/* A campaign day's programme: the street, category and audience filter.
   Without JavaScript the day's pages by street, category and audience are plain links; with it,
   the form opens the page of the first filter chosen and narrows it by the others, which stay
   in the address (?category=…&audience=…) so that it can be shared and reloaded. */
(function () {
  "use strict";
  var form = document.querySelector(".programme-filter");
  if (!form || !window.URLSearchParams) { return; }
  var names = ["street", "category", "audience"];
  var params = new URLSearchParams(location.search);
  form.hidden = false;

  function select(name) { return form.querySelector("select[name=" + name + "]"); }

  names.forEach(function (name) {
    var value = params.get(name), box = select(name);
    if (value && box.querySelector("option[value='" + CSS.escape(value) + "']")) { box.value = value; }
  });

  function matches(row) {
    return names.every(function (name) {
      var value = params.get(name);
      if (!value) { return true; }
      return (" " + (row.getAttribute("data-" + name) || "") + " ").indexOf(" " + value + " ") >= 0;
    });
  }

  function apply() {
    var shown = 0;
    document.querySelectorAll(".programme").forEach(function (list) {
      var visible = 0;
      list.querySelectorAll("li").forEach(function (row) {
        var ok = matches(row);
        row.hidden = !ok;
        visible += ok ? 1 : 0;
      });
      list.hidden = visible === 0;
      var heading = list.previousElementSibling;
      if (heading && heading.classList.contains("slot")) { heading.hidden = visible === 0; }
      shown += visible;
    });
    var filtered = names.some(function (name) { return params.get(name); });
    var count = document.querySelector(".filter-count");
    if (count) {
      count.hidden = !filtered;
      count.textContent = filtered ? "按所选条件，本页显示 " + shown + " 场。" : "";
    }
    var empty = document.querySelector(".filter-empty");
    if (empty) { empty.hidden = !filtered || shown > 0; }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = names.filter(function (name) { return select(name).value; });
    var target = form.getAttribute("data-day-url"), rest = new URLSearchParams();
    chosen.forEach(function (name, position) {
      var box = select(name);
      if (position === 0) { target = box.options[box.selectedIndex].getAttribute("data-url"); }
      else { rest.set(name, box.value); }
    });
    var query = rest.toString();
    location.href = target + (query ? "?" + query : "");
  });

  apply();
})();
