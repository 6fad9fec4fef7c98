/* Search with Pagefind (indexed at build time, Chinese segmentation). Loads only on /search/. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input) { return; }
  var engine = null;
  var MAX_RESULTS = 60;

  // The index is built in shards (listed in shards.json); the first loads Pagefind, the
  // others are merged into it.
  function load() {
    if (!engine) {
      var manifestUrl = form.getAttribute("data-pagefind");
      var root = manifestUrl.replace(/shards\.json$/, "");
      var baseUrl = new URL(form.getAttribute("data-base"), location.href).pathname;
      engine = fetch(manifestUrl).then(function (response) { return response.json(); })
        .then(function (manifest) {
          var shards = manifest.shards.map(function (shard) { return root + shard.path; });
          return import(shards[0] + "pagefind.js").then(function (pagefind) {
            return pagefind.options({ baseUrl: baseUrl }).then(function () {
              return Promise.all(shards.slice(1).map(function (shard) {
                return pagefind.mergeIndex(shard, { baseUrl: baseUrl });
              }));
            }).then(function () { return pagefind; });
          });
        });
    }
    return engine;
  }
  // Pagefind excerpts are HTML with <mark>; keep only text and <mark>, nothing else.
  function excerpt(html) {
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createElement("p");
    out.className = "summary";
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }
  // Upcoming events first, then news, then events already over; in each group pages with
  // every word as typed (机器人, not 机器 … 人) first, then Pagefind's order. An event's page
  // carries, as metadata, the instant it is over (an ISO instant with offset, written by the
  // build); only instants are compared.
  var INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  function isOver(item, now) {
    var ends = item.meta.ends;
    return Boolean(ends) && INSTANT.test(ends) && now >= Date.parse(ends);
  }
  function group(item, now) {
    if (!item.meta.ends) { return 1; }
    return isOver(item, now) ? 2 : 0;
  }
  function badge(text, kind) {
    var span = document.createElement("span");
    span.className = "badge status-" + kind;
    span.textContent = text;
    return span;
  }
  function whole(item, words) {
    var text = (item.meta.title || "") + " " + (item.content || "");
    return words.every(function (word) { return text.indexOf(word) >= 0; }) ? 0 : 1;
  }
  function render(items, query) {
    var now = Date.now();
    var words = query.split(/\s+/).filter(Boolean);
    list.textContent = "";
    items.map(function (item, rank) {
      return { item: item, rank: rank, group: group(item, now), whole: whole(item, words) };
    }).sort(function (a, b) { return a.group - b.group || a.whole - b.whole || a.rank - b.rank; })
      .forEach(function (entry) {
        var item = entry.item;
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.meta.title || item.url;
        var heading = document.createElement("h2");
        heading.className = "card-title";
        heading.appendChild(link);
        // The label comes from the page (as the event page shows it); the key only colours it.
        var key = (item.meta.status_key || "").replace(/[^a-z-]/g, "");
        if (item.meta.status && key && key !== "scheduled") {
          heading.appendChild(document.createTextNode(" "));
          heading.appendChild(badge(item.meta.status, key));
        }
        if (entry.group === 2) {
          li.className = "is-past";
          heading.appendChild(document.createTextNode(" "));
          heading.appendChild(badge("已结束", "past"));
        }
        var meta = document.createElement("p");
        meta.className = "when";
        meta.textContent = [item.meta.when, item.meta.street].filter(Boolean).join(" · ");
        li.appendChild(heading);
        li.appendChild(meta);
        li.appendChild(excerpt(item.excerpt));
        list.appendChild(li);
      });
  }
  function search(query) {
    query = query.trim();
    if (!query) { status.textContent = "输入关键词后按“搜索”。"; list.textContent = ""; return; }
    status.textContent = "正在搜索……";
    load().then(function (pagefind) { return pagefind.search(query); }).then(function (found) {
      // Ordered by time after loading, so load more than are usually read.
      return Promise.all(found.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); })).then(function (items) {
        status.textContent = found.results.length ? "找到 " + found.results.length + " 条结果" : "没有找到“" + query + "”相关的活动或新闻。";
        render(items, query);
      });
    }).catch(function () { status.textContent = "搜索暂时不可用，请稍后再试。"; });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();
