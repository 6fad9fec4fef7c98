/* Search with Pagefind (indexed at build time, Chinese segmentation). Loads only on /search/. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input) { return; }
  var engine = null;

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
  function render(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.meta.title || item.url;
      var heading = document.createElement("h2");
      heading.className = "card-title";
      heading.appendChild(link);
      if (item.meta.status && item.meta.status !== "正常举办") {
        var badge = document.createElement("span");
        badge.className = "badge status-flag";
        badge.textContent = item.meta.status;
        heading.appendChild(document.createTextNode(" "));
        heading.appendChild(badge);
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
      return Promise.all(found.results.slice(0, 30).map(function (r) { return r.data(); })).then(function (items) {
        status.textContent = found.results.length ? "找到 " + found.results.length + " 条结果" : "没有找到“" + query + "”相关的活动或新闻。";
        render(items);
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
