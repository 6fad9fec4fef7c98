/* Site search over the build's own index (kepu/searchindex.py; the term rules are those of
   kepu/searchterms.py). Loads only on /search/ and reads a few small files per query. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var empty = document.getElementById("search-empty");
  var close = document.getElementById("search-close");
  var filters = document.getElementById("search-filters");
  if (!form || !input || !window.fetch) { return; }
  var PAGE = 10;
  var MAX_WORD = 12;
  var HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var RUN = new RegExp("[" + HAN + "]+|[a-z0-9]+", "g");
  var manifestUrl = form.getAttribute("data-index");
  var site = form.getAttribute("data-site");
  var base = form.getAttribute("data-base");
  var manifest = null;
  var files = {};
  var shown = { items: [], count: 0, token: 0 };

  function getJSON(url, options) {
    if (!files[url]) {
      files[url] = fetch(url, options).then(function (response) {
        if (!response.ok) { throw new Error(url + ": " + response.status); }
        return response.json();
      });
      files[url].catch(function () { delete files[url]; });
    }
    return files[url];
  }
  // A shard (t) or page file (d) of the index: named by its number and its version, so that an
  // edit renames only the files it changed (kepu.formats.searchindex).
  function fileUrl(m, kind, number) {
    return m.folderUrl + kind + "/" + number + "." + m[kind][number] + ".json";
  }
  function loadManifest() {
    if (!manifest) {
      manifest = getJSON(manifestUrl, { cache: "no-cache" }).then(function (data) {
        data.folderUrl = new URL(".", new URL(manifestUrl, location.href)).href;
        data.syllableSet = {};
        data.syllables.forEach(function (s) { data.syllableSet[s] = true; });
        return data;
      });
      manifest.catch(function () { manifest = null; });
    }
    return manifest;
  }

  // Terms, as kepu/searchterms.py makes them.
  function runs(text) { return text.normalize("NFKC").toLowerCase().match(RUN) || []; }
  function isHan(run) { return run.charCodeAt(0) > 127; }
  function hanTerms(run) {
    if (run.length === 1) { return [run]; }
    var terms = [];
    for (var i = 0; i + 1 < run.length; i++) { terms.push(run.slice(i, i + 2)); }
    return terms;
  }
  // Enough of a word's overlapping terms to cover every character: 科普 普讲 讲座 for 科普讲座
  // (fewer files to fetch; the ones left out are implied almost always).
  function coverBy(terms, step) {
    var chosen = [];
    for (var i = 0; i < terms.length; i += step) { chosen.push(terms[i]); }
    if ((terms.length - 1) % step) { chosen.push(terms[terms.length - 1]); }
    return chosen;
  }
  // A typed word split into pinyin syllables of the index (fewest syllables), or null.
  function syllables(word, known) {
    var best = [[]];
    for (var end = 1; end <= word.length; end++) {
      best[end] = null;
      for (var start = Math.max(0, end - 6); start < end; start++) {
        var piece = word.slice(start, end);
        if (best[start] && known[piece] && (!best[end] || best[start].length + 1 < best[end].length)) {
          best[end] = best[start].concat([piece]);
        }
      }
    }
    return best[word.length];
  }
  // Each way of reading a typed word: a list of terms that must all be there.
  function readings(run, m) {
    // Up to six characters every pair is asked for (防灾减灾日 must not find 国际减灾日防灾…).
    if (isHan(run)) { return [run.length > 6 ? coverBy(hanTerms(run), 2) : hanTerms(run)]; }
    var found = [[run.slice(0, MAX_WORD)]];
    var said = /^[a-z]+$/.test(run) ? syllables(run, m.syllableSet) : null;
    if (said && said.length > 1) {
      var pairs = said.slice(1).map(function (s, i) { return "p:" + said[i] + "'" + s; });
      found.push(pairs.length > 5 ? coverBy(pairs, 2) : pairs);
    } else if (/^[a-z]{3,16}$/.test(run)) {
      var initials = [];
      for (var i = 0; i + 2 < run.length; i++) { initials.push("i:" + run.slice(i, i + 3)); }
      found.push(coverBy(initials, 3));
    }
    return found;
  }
  // A word and the words that mean the same (synonyms.yml). A reading of another word is marked
  // ``alias``: a page named by it is not named as typed (it does not go first).
  function widen(run, m) {
    var words = [run];
    m.synonyms.forEach(function (group) {
      var normal = group.map(function (w) { return runs(w).join(""); });
      if (normal.indexOf(run) >= 0) {
        normal.forEach(function (w) { if (w && words.indexOf(w) < 0) { words.push(w); } });
      }
    });
    var all = [];
    words.forEach(function (w, i) {
      var ways = runs(w).length === 1 ? readings(w, m) : [runs(w).reduce(
        function (terms, part) { return terms.concat(readings(part, m)[0]); }, [])];
      ways.forEach(function (way) { way.alias = i > 0; all.push(way); });
    });
    return all;
  }

  function fnv(term) {
    var bytes = new TextEncoder().encode(term);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0; }
    return hash;
  }
  var MORE_DIGITS = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-";
  var LAST_DIGITS = "0123456789abcdefghijklmnopqrstuv";
  function decode(text) {
    var values = [], gap = 0, previous = -1;
    for (var i = 0; i < text.length; i++) {
      var more = MORE_DIGITS.indexOf(text[i]);
      if (more >= 0) { gap = gap * 32 + more; continue; }
      previous += gap * 32 + LAST_DIGITS.indexOf(text[i]) + 1;
      values.push(previous);
      gap = 0;
    }
    return values;
  }
  // Page number → 1 when the term is in the page's names, else 0.
  function postings(term, m) {
    return getJSON(fileUrl(m, "t", fnv(term) % m.shards)).then(function (shard) {
      var found = new Map();
      if (Object.prototype.hasOwnProperty.call(shard, term)) {
        decode(shard[term]).forEach(function (v) { found.set(v >> 1, v & 1); });
      }
      return found;
    });
  }
  function intersect(maps) {
    var result = maps[0];
    maps.slice(1).forEach(function (map) {
      var next = new Map();
      result.forEach(function (flag, page) { if (map.has(page)) { next.set(page, Math.min(flag, map.get(page))); } });
      result = next;
    });
    return result;
  }
  function union(maps) {
    var result = new Map();
    maps.forEach(function (map) {
      map.forEach(function (flag, page) { result.set(page, Math.max(flag, result.get(page) || 0)); });
    });
    return result;
  }
  function allTerms(words) {
    var terms = {};
    words.forEach(function (ways) { ways.forEach(function (way) { way.forEach(function (t) { terms[t] = true; }); }); });
    return Object.keys(terms);
  }
  function fetchTerms(terms, m) {
    return Promise.all(terms.map(function (t) { return postings(t, m); })).then(function (maps) {
      var by = {};
      terms.forEach(function (t, i) { by[t] = maps[i]; });
      return by;
    });
  }
  // Pages with every word (each in one of its readings).
  function exact(words, by) {
    return intersect(words.map(function (ways) {
      return union(ways.map(function (way) {
        var found = intersect(way.map(function (t) { return by[t]; }));
        if (!way.alias) { return found; }
        var unnamed = new Map();
        found.forEach(function (_flag, page) { unnamed.set(page, 0); });
        return unnamed;
      }));
    }));
  }
  // No page has it all: pages with most of the typed Chinese (one character mistyped), by
  // every two characters side by side (fetched only now).
  function nearby(runsTyped, by, m) {
    var terms = [];
    runsTyped.filter(isHan).forEach(function (run) {
      hanTerms(run).concat(run.length > 1 ? run.split("") : []).forEach(function (t) {
        if (!by[t] && terms.indexOf(t) < 0) { terms.push(t); }
      });
    });
    return fetchTerms(terms, m).then(function (more) { return near(runsTyped, Object.assign({}, by, more)); });
  }
  function near(runsTyped, by) {
    var counts = new Map();
    runsTyped.filter(isHan).forEach(function (run) {
      var terms = hanTerms(run);
      if (terms.length < 2) { return; }
      var need = Math.max(1, terms.length - 2);
      var seen = new Map(), chars = new Map();
      terms.forEach(function (t) { by[t].forEach(function (flag, page) { seen.set(page, (seen.get(page) || 0) + 1); }); });
      run.split("").forEach(function (c) { by[c].forEach(function (flag, page) { chars.set(page, (chars.get(page) || 0) + 1); }); });
      // Two characters side by side count most; characters of a name break ties.
      seen.forEach(function (n, page) { if (n >= need) { counts.set(page, (counts.get(page) || 0) + 2 * n + (chars.get(page) || 0)); } });
    });
    return counts;
  }

  // A venue's, programme's or team's own page named as typed first (GROUPING), then events still
  // to come, then news, then events already over, then such pages found by their words; names
  // before text. A page file's span (first and last end) tells most; a page of a file that
  // straddles now is told by its own end.
  var GROUPING = 3;
  var FIRST_PAGES = 3;  // a broad word (科学) names many programmes, venues and teams: the rest follow the events to come
  function rank(item) {
    if (item.group !== GROUPING) { return item.group; }
    return item.flag ? (item.late ? 0.5 : -1) : GROUPING;
  }
  function span(page, m) { return m.spans[Math.floor(page / m.chunk)]; }
  function straddles(page, m, now) { var s = span(page, m); return page < m.events && now >= s[0] && now < s[1]; }
  function kind(page, m, now, rows) {
    if (page >= m.events + m.news) { return GROUPING; }
    if (page >= m.events) { return 1; }
    if (!straddles(page, m, now)) { return now >= span(page, m)[1] ? 2 : 0; }
    var row = rows[page];
    return row && now >= row[6] ? 2 : 0;
  }
  function chunksOf(pages, m) {
    var wanted = {};
    pages.forEach(function (page) { wanted[Math.floor(page / m.chunk)] = true; });
    return Promise.all(Object.keys(wanted).map(function (chunk) {
      return getJSON(fileUrl(m, "d", chunk)).then(function (rows) {
        var byPage = {};
        rows.forEach(function (row, i) { byPage[Number(chunk) * m.chunk + i] = row; });
        return byPage;
      });
    })).then(function (parts) { return Object.assign.apply(null, [{}].concat(parts)); });
  }
  // Pages whose group cannot be told from ``bounds`` (their chunk straddles now): their rows.
  function straddling(found, m, now) {
    var pages = [];
    found.forEach(function (_flag, page) { if (straddles(page, m, now)) { pages.push(page); } });
    return pages.length ? chunksOf(pages, m) : Promise.resolve({});
  }
  function ordered(found, m, now, rows, score) {
    var items = [];
    found.forEach(function (flag, page) {
      items.push({ page: page, flag: flag, group: kind(page, m, now, rows), score: score ? score.get(page) : 0 });
    });
    function order(a, b) {
      return b.score - a.score || rank(a) - rank(b) || b.flag - a.flag ||
        (a.group === 0 || a.group === GROUPING ? a.page - b.page : b.page - a.page);
    }
    var named = 0;
    items.sort(order).forEach(function (item) {
      if (item.group === GROUPING && item.flag && ++named > FIRST_PAGES) { item.late = true; }
    });
    return items.sort(order);
  }

  // Filters: the street and category of a page are terms too (s:…, c:…).
  function filterValue(name) { var el = document.getElementById("search-" + name); return el ? el.value : ""; }
  function filtered(found, m) {
    var terms = [];
    if (filterValue("street")) { terms.push("s:" + filterValue("street")); }
    if (filterValue("category")) { terms.push("c:" + filterValue("category")); }
    if (!terms.length) { return Promise.resolve(found); }
    return fetchTerms(terms, m).then(function (by) {
      return intersect([found].concat(terms.map(function (t) { return by[t]; })));
    });
  }
  function inTime(items) {
    var wanted = { upcoming: 0, news: 1, past: 2 }[filterValue("time")];
    return wanted === undefined ? items : items.filter(function (item) { return item.group === wanted; });
  }

  function badge(text, kindName) {
    var span = document.createElement("span");
    span.className = "badge status-" + kindName;
    span.textContent = text;
    return span;
  }
  function highlighted(text, typed) {
    var p = document.createElement("p");
    p.className = "summary";
    var han = typed.filter(isHan).sort(function (a, b) { return b.length - a.length; });
    var at = -1, word = "";
    han.some(function (w) { at = text.indexOf(w); word = w; return at >= 0; });
    if (at < 0) { p.textContent = text; return p; }
    var mark = document.createElement("mark");
    mark.textContent = word;
    p.appendChild(document.createTextNode(text.slice(0, at)));
    p.appendChild(mark);
    p.appendChild(document.createTextNode(text.slice(at + word.length)));
    return p;
  }
  function card(item, row, typed) {
    var li = document.createElement("li");
    var heading = document.createElement("h2");
    heading.className = "card-title";
    var link = document.createElement("a");
    link.href = base + row[0];
    link.textContent = row[1];
    heading.appendChild(link);
    // Statuses inside the link: Tab and a screen reader's list of links read only the link.
    var key = String(row[4] || "").replace(/[^a-z-]/g, "");
    if (key && row[5]) { link.appendChild(document.createTextNode(" ")); link.appendChild(badge(row[5], key)); }
    if (item.group === 2) {
      li.className = "is-past";
      if (row[9] !== 1) {  // row[9]: not held as shown (cancelled, postponed to a time not known): not 已结束
        link.appendChild(document.createTextNode(" "));
        link.appendChild(badge("已结束", "past"));
      }
    }
    var when = document.createElement("p");
    when.className = "when";
    when.textContent = row[2] || "";
    // A series goes on after the session shown (row[8]: when that one is over; row[6]: the
    // series): once it is over, 这一场已结束 after its time, as the lists' cards say.
    if (item.group === 0 && row[8] && row[8] < row[6] && Date.now() >= row[8] * 1000) {
      when.appendChild(document.createTextNode(" "));
      when.appendChild(badge("这一场已结束", "past"));
    }
    if (row[3]) { when.appendChild(document.createTextNode((row[2] ? " · " : "") + row[3])); }
    li.appendChild(heading);
    li.appendChild(when);
    if (row[7]) { li.appendChild(highlighted(row[7], typed)); }
    // An event's cost (row[10]), in the tag of its cards: 免费, or what it costs (材料费 10 元).
    if (row[10]) {
      var tags = document.createElement("p");
      var tag = document.createElement("span");
      tags.className = "tags";
      tag.className = "tag " + (row[10] === "免费" ? "tag-free" : "tag-cost");
      tag.textContent = row[10];
      tags.appendChild(tag);
      li.appendChild(tags);
    }
    return li;
  }
  function showMore(m, typed) {
    var token = shown.token;
    var next = shown.items.slice(shown.count, shown.count + PAGE);
    return chunksOf(next.map(function (item) { return item.page; }), m).then(function (rows) {
      if (token !== shown.token) { return; }
      // Within what is shown: soonest first among events to come, latest first among the rest.
      next.sort(function (a, b) {  // events to come by their next session (row[8]), the rest by their end
        function time(item) { var row = rows[item.page]; return row ? (item.group === 0 && row[8]) || row[6] || 0 : 0; }
        var ta = time(a), tb = time(b);
        return rank(a) - rank(b) || b.flag - a.flag || (a.group === 0 ? ta - tb : tb - ta);
      });
      next.forEach(function (item) { if (rows[item.page]) { list.appendChild(card(item, rows[item.page], typed)); } });
      shown.count += next.length;
      more.hidden = shown.count >= shown.items.length;
    });
  }

  // A day named in the query (周末, 周六, 今天, 今晚, 明天…): the events list's date filter, offered above the
  // results. Saturday or Sunday offers the weekend, and says so (the list has no filter for one day of
  // it); a day of next week (下周六, 下个周末) offers next week; one of last week (上周六) nothing.
  var whenHint = document.getElementById("search-when");
  var WHEN = [["本周末", "weekend"], ["这周末", "weekend"], ["周末", "weekend"],
              ["周六", "weekend"], ["星期六", "weekend"], ["礼拜六", "weekend"],
              ["周日", "weekend"], ["星期日", "weekend"], ["星期天", "weekend"], ["礼拜日", "weekend"], ["礼拜天", "weekend"],
              ["今天", "today"], ["今日", "today"], ["今晚", "today"], ["明天", "tomorrow"], ["明日", "tomorrow"],
              ["本周", "week"], ["这周", "week"], ["本月", "month"], ["这个月", "month"],
              ["下周", "nextweek"], ["下个周", "nextweek"], ["下星期", "nextweek"], ["下个星期", "nextweek"],
              ["下礼拜", "nextweek"], ["下个礼拜", "nextweek"]];
  var WHEN_SAID = { weekend: "本周末", today: "今天", tomorrow: "明天", week: "本周", nextweek: "下周", month: "本月" };
  var OTHER_WEEK = /[上下]个?$/;  // what comes just before 周六 in 下周六, 上个周末
  var NOT_A_DAY = /^[程期常]/;  // what comes just after 周日 in 本周日程 (日程, 日期, 日常: no Sunday)
  function namesDay(query, word) {  // the word in the query, not as a day of another week
    for (var at = query.indexOf(word); at >= 0; at = query.indexOf(word, at + 1)) {
      var after = word.slice(-1) === "日" ? query.slice(at + word.length) : "";
      if (!OTHER_WEEK.test(query.slice(0, at)) && !NOT_A_DAY.test(after)) { return true; }
    }
    return false;
  }
  // 免费 in the query (every free event says so: nearly all are found): the list's 免费 filter too.
  var FREE_WORDS = ["免费", "不收费", "不要钱"];
  function offerWhen(query) {
    var found = null;
    WHEN.forEach(function (pair) { if (!found && namesDay(query, pair[0])) { found = pair[1]; } });
    var free = FREE_WORDS.some(function (word) { return query.indexOf(word) >= 0; });
    if (!whenHint || !(found || free)) { return; }
    var link = document.createElement("a");
    link.href = form.getAttribute("data-events") + "?" + [found ? "when=" + found : "", free ? "free=1" : ""]
      .filter(Boolean).join("&");
    link.textContent = found ? "查看" + WHEN_SAID[found] + "的全部" + (free ? "免费活动" : "近期活动")
      : "查看全部免费的近期活动";
    whenHint.appendChild(document.createTextNode(found ? "按日期找活动：" : "按费用找活动："));
    whenHint.appendChild(link);
    whenHint.hidden = false;
  }

  function clear() {
    if (whenHint) { whenHint.textContent = ""; whenHint.hidden = true; }
    list.textContent = "";
    close.textContent = "";
    close.hidden = true;
    empty.hidden = true;
    more.hidden = true;
  }
  function nearList(items, m) {
    return chunksOf(items.slice(0, PAGE).map(function (item) { return item.page; }), m).then(function (rows) {
      var heading = document.createElement("p");
      heading.textContent = "您要找的是不是：";
      var ul = document.createElement("ul");
      items.slice(0, PAGE).forEach(function (item) {
        var row = rows[item.page];
        if (!row) { return; }
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = base + row[0];
        a.textContent = row[1] + (item.group === 2 && row[9] !== 1 ? "（已结束）" : "");  // said in the link
        li.appendChild(a);
        ul.appendChild(li);
      });
      close.appendChild(heading);
      close.appendChild(ul);
      close.hidden = false;
    });
  }
  // The tab's title says what was searched and what was found (a screen reader reads it first).
  function titled(text) { document.title = text + " · " + site; }
  function search(query) {
    var token = ++shown.token;
    query = query.trim();
    clear();
    titled(query ? "“" + query + "”的搜索结果" : "搜索");
    if (!query) { status.textContent = "输入关键词后按“搜索”。"; return Promise.resolve(); }
    offerWhen(query);
    status.textContent = "正在搜索……";
    var typed = runs(query);
    var now = Date.now() / 1000;
    return loadManifest().then(function (m) {
      var words = typed.map(function (run) { return widen(run, m); });
      var terms = allTerms(words);
      return fetchTerms(terms, m).then(function (by) {
        var found = words.length ? exact(words, by) : new Map();
        var scored = found.size ? Promise.resolve(null) : nearby(typed, by, m);
        return Promise.all([filtered(found, m), scored]).then(function (both) {
          var kept = both[0], score = both[1];
          return straddling(score ? score : kept, m, now).then(function (rows) {
            if (token !== shown.token) { return; }
            if (!kept.size && found.size) {  // found, but not in the chosen street or category
              status.textContent = "“" + query + "”有 " + found.size + " 条结果，但都不在所选的街镇或类型里；" +
                "请放宽上面的筛选。";
              titled("“" + query + "”的搜索结果（所选范围内 0 条）");
              return;
            }
            if (!kept.size) {
              var shownNear = score && score.size ? nearList(ordered(score, m, now, rows, score), m) : Promise.resolve();
              return shownNear.then(function () {
                if (token !== shown.token) { return; }
                status.textContent = "没有找到“" + query + "”相关的活动或新闻。";
                titled("“" + query + "”没有搜索结果");
                empty.hidden = false;
              });
            }
            shown.items = inTime(ordered(kept, m, now, rows, null));
            shown.count = 0;
            return showMore(m, typed).then(function () {
              if (token !== shown.token) { return; }
              status.textContent = shown.items.length ? "找到 " + shown.items.length + " 条结果" :
                "没有符合筛选条件的结果，可以放宽筛选。";
              titled("“" + query + "”的搜索结果（" + shown.items.length + " 条）");
            });
          });
        });
      });
    }).catch(function () { if (token === shown.token) { status.textContent = "搜索暂时不可用，请稍后再试。"; } });
  }

  function stateFromForm() {
    var params = new URLSearchParams();
    params.set("q", input.value);
    ["street", "category", "time"].forEach(function (name) {
      if (filterValue(name)) { params.set(name, filterValue(name)); }
    });
    history.replaceState(null, "", "?" + params.toString());
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    stateFromForm();
    search(input.value);
  });
  if (filters) {
    filters.hidden = false;
    filters.addEventListener("change", function () { stateFromForm(); search(input.value); });
  }
  more.addEventListener("click", function () {
    var from = shown.count;
    loadManifest().then(function (m) { return showMore(m, runs(input.value)); }).then(function () {
      // Focus the first result just shown (the button may now be hidden) and say what was added.
      var added = list.children[from];
      var link = added && added.querySelector("a");
      if (link) { link.focus(); }
      status.textContent = "找到 " + shown.items.length + " 条结果，已显示 " + Math.min(shown.count, shown.items.length) + " 条";
    });
  });
  var params = new URLSearchParams(location.search);
  ["street", "category", "time"].forEach(function (name) {
    var el = document.getElementById("search-" + name);
    if (el && params.get(name)) { el.value = params.get(name); }
  });
  var initial = params.get("q");
  // Opened with a query (the header's box, a link): the header's box keeps it, and once the
  // answer is there the focus goes to it, so that it is read (a status written while the page
  // loads often is not).
  var header = document.getElementById("site-search");
  if (header && initial) { header.value = initial; }
  // Said only where the script runs: without it, the page's <noscript> says where to look instead.
  if (initial) {
    input.value = initial;
    search(initial).then(function () { if (document.activeElement === document.body) { status.focus(); } });
  } else { status.textContent = "输入关键词后按“搜索”。"; }
})();
