// Repeatable rows of the policy form (spaces/_policy_entries.html): the page always offers
// blank rows to fill; with script, "Add a row" appends one more, a copy of the last row with
// its inputs emptied and its index (the number between "__" in names and ids) raised by one.
(function () {
  "use strict";
  function renumber(text, index) {
    return text.replace(/__(\d+)__(?!.*__\d+__)/, "__" + index + "__");
  }
  function addRow(rows) {
    var body = rows.querySelector("tbody");
    var last = body && body.querySelector("tr[data-policy-row]:last-child");
    if (!last) return;
    var index = body.querySelectorAll("tr[data-policy-row]").length;
    var row = last.cloneNode(true);
    row.querySelectorAll("[name], [id], [for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attribute) {
        var value = el.getAttribute(attribute);
        if (value) el.setAttribute(attribute, renumber(value, index));
      });
      if (el.type === "checkbox") el.checked = false;
      else if ("value" in el && el.tagName !== "LABEL") el.value = "";
    });
    // The hidden labels say which row this is ("row 5"): the copied row is one further on.
    row.querySelectorAll("label.visually-hidden").forEach(function (label) {
      label.textContent = label.textContent.replace(
        new RegExp("\\b" + index + "\\b(?!.*\\b" + index + "\\b)"),
        String(index + 1)
      );
    });
    row.querySelectorAll(".errorlist").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    body.appendChild(row);
    var first = row.querySelector("input:not([type=checkbox]), select");
    if (first) first.focus();
  }
  document.querySelectorAll("[data-policy-rows]").forEach(function (rows) {
    var button = rows.querySelector("[data-policy-add-row]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () { addRow(rows); });
  });
})();
