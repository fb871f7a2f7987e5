// Countdowns to a challenge's deadline: any element with data-countdown and a datetime (or
// data-until) shows the time left, updated every second, and the closed word at zero.
// Every word comes translated from the page (challenges/_countdown.html): data-day, data-hour,
// data-minute and data-second are patterns such as "{n}d", data-left one such as
// "{time} left", so each language puts the number and the words in its own order.
(function () {
  "use strict";
  var FALLBACK = { day: "{n}d", hour: "{n}h", minute: "{n}m", second: "{n}s", left: "{time} left" };
  function word(el, name) {
    return el.getAttribute("data-" + name) || FALLBACK[name];
  }
  function unit(el, name, n) {
    return word(el, name).replace("{n}", String(n));
  }
  function left(el, ms) {
    if (ms <= 0) return null;
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), sec = s % 60;
    var parts = [];
    if (d) parts.push(unit(el, "day", d));
    if (d || h) parts.push(unit(el, "hour", h));
    parts.push(unit(el, "minute", m), unit(el, "second", sec));
    return word(el, "left").replace("{time}", parts.join(" "));
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var until = Date.parse(el.getAttribute("data-until") || el.getAttribute("datetime"));
      if (isNaN(until)) return;
      var text = left(el, until - Date.now());
      el.textContent = text || el.getAttribute("data-closed") || "";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
})();
