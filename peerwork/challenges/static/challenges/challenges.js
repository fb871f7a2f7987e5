// Countdowns to a challenge's deadline: any element with data-countdown and a datetime (or
// data-until) shows the time left, updated every second; the page reloads at zero.
(function () {
  "use strict";
  function left(ms) {
    if (ms <= 0) return null;
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), sec = s % 60;
    var parts = [];
    if (d) parts.push(d + "d");
    if (d || h) parts.push(h + "h");
    parts.push(m + "m", sec + "s");
    return parts.join(" ");
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var until = Date.parse(el.getAttribute("data-until") || el.getAttribute("datetime"));
      if (isNaN(until)) return;
      var text = left(until - Date.now());
      // The words come translated from the page: data-left and data-closed.
      el.textContent = text
        ? text + " " + (el.getAttribute("data-left") || "")
        : el.getAttribute("data-closed") || "";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
})();
