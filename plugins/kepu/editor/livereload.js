/* The preview's script (kepu.livereload adds it to pages it serves; never part of a build).
   Reloads the page after a good build; after a failed one, shows its problems over the page.
   Every text shown comes from content files and is set as text, never as markup. */
(function () {
  "use strict";
  var built = (document.currentScript && document.currentScript.getAttribute("data-built")) || "";
  var host = null;
  var STYLE = [
    ":host{all:initial}",
    ".back{position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(0,0,0,.55);",
    "padding:.75rem;box-sizing:border-box;-webkit-text-size-adjust:100%}",
    ".box{box-sizing:border-box;max-width:48rem;margin:0 auto;background:#fff;color:#111;",
    "border-top:.5rem solid #a51d15;border-radius:.5rem;padding:1rem 1.1rem 1.25rem;",
    "font:1rem/1.65 system-ui,-apple-system,'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;",
    "overflow-wrap:anywhere;word-break:normal}",
    "h2{font-size:1.3rem;line-height:1.4;margin:0 0 .5rem;color:#7d130d}",
    "h3{font-size:1.05rem;line-height:1.5;margin:0;padding:.6rem 0 .1rem;border-top:2px solid #111}",
    "p{margin:.25rem 0 .5rem}",
    "ol{margin:0;padding:0;list-style:none}",
    "li{border-top:1px solid #bbb;padding:.6rem 0 .25rem}",
    "li:first-child{border-top:0}",
    ".where{font-weight:700;margin-bottom:.25rem}",
    ".kind{display:inline-block;margin-right:.4rem;padding:0 .35rem;border-radius:.25rem;background:#a51d15;color:#fff}",
    ".warn .kind{background:#6f3c00}",
    ".fix{margin:.25rem 0 0}",
    ".fix b{color:#17572a}",
    "button{font:inherit;min-height:48px;min-width:48px;margin-top:.75rem;padding:.5rem 1rem;",
    "border:2px solid #111;border-radius:.4rem;background:#fff;color:#111;cursor:pointer}",
    "button:focus-visible{outline:3px solid #1a56c4;outline-offset:2px}"
  ].join("");
  var LIMIT = 200;

  function make(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function item(problem) {
    var warn = problem.severity !== "error";
    var li = make("li", "", warn ? "warn" : "");
    var where = make("p", "", "where");
    where.appendChild(make("span", warn ? "提醒" : "错误", "kind"));
    var place = problem.line > 0 ? "第 " + problem.line + " 行" : "整个文件";
    if (problem.field) place += "　" + problem.field;
    where.appendChild(document.createTextNode(place));
    li.appendChild(where);
    li.appendChild(make("p", String(problem.message || "")));
    if (problem.hint) {
      var fix = make("p", "", "fix");
      fix.appendChild(make("b", "怎么改："));
      fix.appendChild(document.createTextNode(String(problem.hint)));
      li.appendChild(fix);
    }
    return li;
  }

  function byFile(problems) {
    var files = [];
    problems.forEach(function (p) {
      var last = files[files.length - 1];
      if (!last || last.path !== p.path) files.push(last = {path: String(p.path || ""), problems: []});
      last.problems.push(p);
    });
    return files;
  }

  function panel(report) {
    var problems = report.problems || [];
    var errors = problems.filter(function (p) { return p.severity === "error"; }).length;
    var box = make("div", "", "box");
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "kepu-preview-title");
    box.setAttribute("aria-describedby", "kepu-preview-note");
    var title = report.error && !errors ? "预览没有更新：构建出错了" :
      "预览没有更新：内容有 " + errors + " 个错误" +
      (problems.length > errors ? "、" + (problems.length - errors) + " 个提醒" : "");
    var heading = make("h2", title);
    heading.id = "kepu-preview-title";
    box.appendChild(heading);
    var note = make("p", "页面仍是上一次成功构建的内容。按下面的提示改好文件并保存，预览会自动刷新。");
    note.id = "kepu-preview-note";
    box.appendChild(note);
    if (report.error) {
      box.appendChild(make("p", String(report.error)));
      box.appendChild(make("p", "这不是内容错误：请把终端里的信息发给网站维护人员。"));
    }
    byFile(problems.slice(0, LIMIT)).forEach(function (file) {
      var section = make("section", "", "file");
      section.appendChild(make("h3", file.path));
      var list = make("ol");
      file.problems.forEach(function (p) { list.appendChild(item(p)); });
      section.appendChild(list);
      box.appendChild(section);
    });
    if (problems.length > LIMIT) {
      box.appendChild(make("p", "另有 " + (problems.length - LIMIT) + " 个问题，见终端。"));
    }
    var close = make("button", "先看页面（保存后会再检查）");
    close.type = "button";
    close.addEventListener("click", hide);
    box.appendChild(close);
    return box;
  }

  function hide() {
    if (host) host.remove();
    host = null;
  }

  function show(report) {
    hide();
    host = document.createElement("kepu-preview-problems");
    var root = host.attachShadow({mode: "open"});
    root.appendChild(make("style", STYLE));
    var back = make("div", "", "back");
    back.appendChild(panel(report));
    root.appendChild(back);
    (document.body || document.documentElement).appendChild(host);
  }

  var source = new EventSource("/__kepu/livereload?since=" + encodeURIComponent(built));
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problems", function (event) { show(JSON.parse(event.data)); });
})();
