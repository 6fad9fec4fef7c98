/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // Large text ("大字"), remembered in this browser. The <head> applies it before painting.
  var root = document.documentElement;
  var sizeButton = document.querySelector("button.text-size");
  if (sizeButton) {
    sizeButton.hidden = false;
    sizeButton.setAttribute("aria-pressed", String(root.classList.contains("large-text")));
    sizeButton.addEventListener("click", function () {
      var on = root.classList.toggle("large-text");
      sizeButton.setAttribute("aria-pressed", String(on));
      try { localStorage.setItem("kepu-large-text", on ? "1" : "0"); } catch (e) { /* private mode */ }
    });
  }

  // 手机地图应用 is a geo: link: an iPhone has nothing that opens one, and WeChat's browser does not
  // pass it to another app. There, the button that would do nothing is not offered.
  if (/MicroMessenger|iPhone|iPad|iPod/.test(navigator.userAgent)) {
    document.querySelectorAll('a[href^="geo:"]').forEach(function (link) { link.hidden = true; });
  }

  // The folded menu of a phone (CSS folds it only while this script runs: html.js).
  var menuButton = document.querySelector("button.menu-toggle");
  if (menuButton) {
    var setMenu = function (open) {
      menuButton.setAttribute("aria-expanded", String(open));
      menuButton.closest(".site-header").classList.toggle("menu-open", open);
    };
    menuButton.addEventListener("click", function () { setMenu(menuButton.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (event) {  // Escape closes it, back on its button
      if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true") {
        setMenu(false);
        menuButton.focus();
      }
    });
  }

  // The main navigation says where the reader is: this page (aria-current="page") or within
  // its section (the calendar link on another month, 街镇 on a street's page). The header is made
  // once for every page, so the page cannot say it itself.
  var home = document.querySelector(".site-header .brand");
  var rootPath = home ? new URL(home.href).pathname : "/";
  function section(path) { return path.slice(rootPath.length).split("/")[0]; }
  document.querySelectorAll(".site-header nav a").forEach(function (link) {
    var path = new URL(link.href).pathname;
    if (path === location.pathname) { link.setAttribute("aria-current", "page"); }
    else if (section(path) && section(path) === section(location.pathname)) { link.setAttribute("aria-current", "true"); }
  });

  // The print button of a notice sheet (the browser's own print dialog works without it).
  document.querySelectorAll("button.print-sheet").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Copy buttons next to subscription addresses.
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    var label = button.textContent;  // 复制地址, 复制代码
    var said = document.createElement("span");  // a screen reader is told; a changed button name often is not read
    said.className = "visually-hidden";
    said.setAttribute("role", "status");
    button.insertAdjacentElement("afterend", said);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = "已复制";
        said.textContent = "已复制到剪贴板";
        setTimeout(function () { button.textContent = label; said.textContent = ""; }, 2000);
      }, function () { field.select(); });
    });
  });

  // Pages are built on a date; mark today and what is over as of the reader's today in the site's
  // time zone (the settings' TIMEZONE, on <html data-timezone>).
  var today = new Intl.DateTimeFormat("en-CA", {
    timeZone: root.getAttribute("data-timezone") || undefined, year: "numeric", month: "2-digit", day: "2-digit"
  }).format(new Date());
  document.querySelectorAll("[data-date]").forEach(function (element) {
    var day = element.getAttribute("data-date");
    element.classList.toggle("today", day === today);
    element.classList.toggle("is-past", day < today);
    element.querySelectorAll(".today-label").forEach(function (label) { label.hidden = day !== today; });
  });
  // A word the script adds (今天, 已结束…): a span after a space, in ``place`` before ``before``.
  function addWord(place, className, text, before) {
    var word = document.createElement("span");
    word.className = className;
    word.textContent = text;
    place.insertBefore(word, before || null);
    place.insertBefore(document.createTextNode(" "), word);
  }
  // A month's today, on any day the page was built: marked 今天, and said to be empty when it is
  // (on phones the month lists only the days with events, and today's row stays: site.css).
  document.querySelectorAll(".month-grid td.today").forEach(function (cell) {
    var head = cell.querySelector(".day-head");
    if (head && !head.querySelector(".today-label")) { addWord(head, "today-label", "今天"); }
    if (cell.classList.contains("empty") && !cell.querySelector(".today-empty")) {
      var none = document.createElement("p");
      none.className = "today-empty";
      none.textContent = "今天没有活动";
      cell.appendChild(none);
    }
  });
  // What has ended since the build: data-ends is the instant an event (or date) is over, an
  // ISO instant with offset written by the build (kepu.site.ends_at); only instants compared.
  // The filters (filters.js) call it again for the cards they draw.
  function passed(instant) {  // only an instant with its offset is compared
    return /T.*([+-]\d\d:\d\d|Z)$/.test(instant) && Date.now() >= Date.parse(instant);
  }
  function markEnded(scope) {
    scope.querySelectorAll("[data-ends]").forEach(function (element) {
      if (!passed(element.getAttribute("data-ends"))) { return; }
      element.classList.add("is-past");
      // A cancelled event or session, or one postponed to a time not yet known, did not take
      // place: its time has passed, but it is not 已结束 (its 已取消 / 已延期 says what it is).
      if (element.hasAttribute("data-unheld")) { return; }
      element.querySelectorAll(".notice-past").forEach(function (notice) { notice.hidden = false; });
      // An event's own page: its title and tab say it too, as they say 已取消 or 名额已满 (a page
      // with 本活动已结束 to show is one of an event held).
      if (element.matches("article.event") && element.querySelector(".notice-past")) {
        var heading = element.querySelector("h1");
        if (heading && !heading.querySelector(".status-past")) {
          addWord(heading, "badge status-past", "已结束");
          document.title = "【已结束】" + document.title;
        }
        return;
      }
      // Cards, the home page's agenda, the calendars' lines and an event page's dates say it in
      // words, not only in grey: inside the line's link where it has one (Tab and a screen
      // reader's list of links read only the link), at the end of an event page's date.
      var place = element.querySelector(".card-title, .agenda > li > .what") ||
        (element.classList.contains("ev") || element.matches(".dates > li") ? element : null);
      if (!place || place.querySelector(".status-past")) { return; }
      if (!element.matches(".dates > li")) { place = place.querySelector(":scope > a") || place; }
      addWord(place, "badge status-past", "已结束", place.querySelector(":scope > .meta"));
    });
  }
  // A series' card (and its page's 时间) shows its next session as of the build; once that one
  // is over, it says so, on the session's line: before the rule (or the line break before it).
  function markSessions(scope) {
    scope.querySelectorAll("[data-session-ends]").forEach(function (element) {
      if (!passed(element.getAttribute("data-session-ends")) || element.querySelector(".session-past")) { return; }
      addWord(element, "badge status-past session-past", "这一场已结束",
        element.querySelector(":scope > br, :scope > .repeat"));
    });
  }
  markEnded(document);
  markSessions(document);
  // A calendar's line links one session of a series (#d2026-12-12 on the event page): the page
  // would open scrolled to that bare date in 活动日期, past the title, notices, sign-up, 时间 and
  // 地点. It opens at its top instead, saying under the title which session was chosen and what
  // its line says of it (已取消, 已改期…), the focus there so that it is read and Tab goes on to
  // the sign-up; the date stays highlighted (:target). Without this script, the date is shown.
  function choose(loading) {
    var chosen = /^#d\d{4}-\d\d-\d\d/.test(location.hash) && document.getElementById(location.hash.slice(1));
    var title = chosen && chosen.matches(".dates > li") && document.querySelector("article.event > h1");
    if (!title) { return; }
    document.querySelectorAll(".chosen-session").forEach(function (old) { old.remove(); });
    document.querySelectorAll(".dates > li.chosen").forEach(function (old) { old.classList.remove("chosen"); });
    var when = chosen.querySelector("time");
    var said = chosen.textContent.replace(when ? when.textContent : "", "").replace(/\s+/g, " ").trim();
    // A session held already (in the list of those held, or over since the build) is said so, as
    // the calendar's line that led here said it; one cancelled is not (it was not held).
    var over = !/已取消/.test(said) && (chosen.closest(".past") ||
      (chosen.hasAttribute("data-ends") && passed(chosen.getAttribute("data-ends"))));
    var note = document.createElement("p");
    note.className = "chosen-session";
    note.tabIndex = -1;
    note.textContent = "您选的是 " + (when ? when.textContent : "") + "这一场" + (over ? "（已结束）" : "") +
      (said ? "：" + said : "") + "。";
    title.insertAdjacentElement("afterend", note);
    chosen.classList.add("chosen");
    var list = chosen.closest("details");
    if (list) { list.open = true; }  // the sessions held are listed folded
    var top = function () { window.scrollTo(0, 0); note.focus({ preventScroll: true }); };
    if (!loading) { top(); return; }
    // The browser looks for the fragment's element once the page is parsed, after this script:
    // without its id till the page has loaded, there is none to scroll to. A browser that
    // scrolled to it before is taken back to the top.
    var id = chosen.id;
    chosen.removeAttribute("id");
    top();
    var loaded = function () { chosen.id = id; top(); };
    if (document.readyState === "complete") { loaded(); } else { window.addEventListener("load", loaded, { once: true }); }
  }
  choose(true);
  window.addEventListener("hashchange", function () { choose(false); });  // Back, Forward, a typed fragment
  window.kepuMarkEnded = function (scope) { markEnded(scope); markSessions(scope); };
  // Sign-up closed since the build (data-closes: the end of the deadline day): the buttons go,
  // the notice that says so comes.
  document.querySelectorAll("[data-closes]").forEach(function (element) {
    if (!passed(element.getAttribute("data-closes"))) { return; }
    element.hidden = !element.classList.contains("notice-closed");
  });
})();
