/* The markup toolbar of a text area (core/_markup_editor.html): heading, bold, italic, link,
   link to a page and list, by button or keyboard shortcut. It wraps the selection, or inserts
   at the caret with a placeholder selected for typing over. The text area works without it:
   the toolbar stays hidden until this script runs. No inline code: everything is read from
   data-* attributes (the Content-Security-Policy forbids inline script). */
(function () {
  "use strict";
  if (window.peerworkEditor) { return; }  // the component may be included more than once
  window.peerworkEditor = true;

  var SYNTAX = {
    markdown: {
      bold: ["**", "**"], italic: ["*", "*"], page: ["[[", "]]"],
      heading: function (text) { return ["## ", "", text]; },
      link: function (text, url) { return ["[" + text + "](", ")", url]; },
      list: "- "
    },
    wikitext: {
      bold: ["'''", "'''"], italic: ["''", "''"], page: ["[[", "]]"],
      heading: function (text) { return ["== ", " ==", text]; },
      link: function (text, url) { return ["[", " " + text + "]", url]; },
      list: "* "
    }
  };
  // Ctrl (or Cmd on a Mac) with these keys; the buttons name them in aria-keyshortcuts.
  var KEYS = { b: "bold", i: "italic", k: "link" };
  var SHIFT_KEYS = { k: "page", "8": "list", "*": "list" };
  var ALT_KEYS = { "2": "heading" };

  function replace(area, start, end, text, selectFrom, selectTo) {
    area.focus();
    area.setSelectionRange(start, end);
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (e) { done = false; }
    if (!done || area.value.substring(start, start + text.length) !== text) {
      area.setRangeText(text, start, end, "end");
    }
    area.setSelectionRange(start + selectFrom, start + selectTo);
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  function lineStart(value, index) { return value.lastIndexOf("\n", index - 1) + 1; }

  function apply(toolbar, area, command) {
    var syntax = SYNTAX[toolbar.dataset.markupModel] || SYNTAX.markdown;
    var start = area.selectionStart, end = area.selectionEnd;
    var value = area.value, selected = value.substring(start, end);
    var placeholder = toolbar.dataset["placeholder" + command.charAt(0).toUpperCase() + command.slice(1)] || "";
    if (command === "bold" || command === "italic" || command === "page") {
      var pair = syntax[command], inner = selected || placeholder;
      replace(area, start, end, pair[0] + inner + pair[1], pair[0].length, pair[0].length + inner.length);
    } else if (command === "link") {
      var url = toolbar.dataset.placeholderUrl || "https://";
      var parts = syntax.link(selected || placeholder, url);
      // The address is selected, ready to be typed over.
      replace(area, start, end, parts[0] + parts[2] + parts[1], parts[0].length, parts[0].length + parts[2].length);
    } else if (command === "heading") {
      var from = lineStart(value, start), to = value.indexOf("\n", end);
      if (to < 0) { to = value.length; }
      var line = value.substring(from, to).replace(/^#+\s*|^=+\s*|\s*=+$/g, "") || placeholder;
      var heading = syntax.heading(line);
      replace(area, from, to, heading[0] + heading[2] + heading[1], heading[0].length, heading[0].length + heading[2].length);
    } else if (command === "list") {
      var first = lineStart(value, start);
      var lines = (value.substring(first, end) || placeholder).split("\n");
      var listed = lines.map(function (text) { return syntax.list + text; }).join("\n");
      replace(area, first, end, listed, syntax.list.length, listed.length);
    }
  }

  function setUp(toolbar) {
    var area = document.getElementById(toolbar.dataset.markupToolbar);
    if (!area || toolbar.dataset.ready) { return; }
    toolbar.dataset.ready = "1";
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-markup]");
      if (button) { event.preventDefault(); apply(toolbar, area, button.dataset.markup); }
    });
    area.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey)) { return; }
      var key = event.key.toLowerCase();
      var command = event.altKey ? ALT_KEYS[key] : event.shiftKey ? SHIFT_KEYS[key] : KEYS[key];
      if (command) { event.preventDefault(); apply(toolbar, area, command); }
    });
  }

  function setUpAll(root) {
    (root || document).querySelectorAll("[data-markup-toolbar]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", function () { setUpAll(document); });
  // Forms swapped in by htmx (a reply, an edited comment) get their toolbar too.
  document.addEventListener("htmx:load", function (event) { setUpAll(event.target); });
}());
