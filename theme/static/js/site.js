/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = "已复制";
        setTimeout(function () { button.textContent = "复制地址"; }, 2000);
      }, function () { field.select(); });
    });
  });
})();
