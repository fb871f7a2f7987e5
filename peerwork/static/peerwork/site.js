// Small behaviours declared with data-* attributes; the pages work without them.
(function () {
  "use strict";
  // The header's menu button: on a narrow screen the menus fold behind it (site.css), and it
  // opens and closes them. The class tells the stylesheet the button works.
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".menu-toggle");
    if (!toggle) return;
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  });
  // Escape closes an open menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var toggle = document.querySelector('.menu-toggle[aria-expanded="true"]');
    if (!toggle) return;
    toggle.setAttribute("aria-expanded", "false");
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (menu) menu.classList.remove("open");
    toggle.focus();
  });
  // <form data-confirm="Question?" data-confirm-detail="What cannot be undone."
  // data-confirm-button="Label">: ask in the page's <dialog id="confirm-dialog"> before
  // sending, then send with confirmed=yes. Without script the server asks on a page of its own
  // (peerwork/core/confirm.py), so the form works either way.
  function confirmedInput(form) {
    return form.querySelector('input[name="confirmed"][value="yes"]');
  }
  // A button may carry the attributes itself, when only it of its form destroys (Reject).
  function asking(form, submitter) {
    if (submitter && submitter.hasAttribute("data-confirm")) return submitter;
    return form.hasAttribute && form.hasAttribute("data-confirm") ? form : null;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var source = asking(form, submitter);
    if (!source || confirmedInput(form)) return;
    var question = source.getAttribute("data-confirm");
    var dialog = document.getElementById("confirm-dialog");
    event.preventDefault();
    var send = function () {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirmed";
      input.value = "yes";
      form.appendChild(input);
      if (form.requestSubmit) {
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      } else {
        form.submit();
      }
      // The form's data is taken as it is sent: a page shown again from the back button
      // asks again.
      form.removeChild(input);
    };
    if (!dialog || typeof dialog.showModal !== "function") {
      if (window.confirm(question)) send();
      return;
    }
    dialog.querySelector("#confirm-dialog-question").textContent = question;
    var detail = dialog.querySelector("#confirm-dialog-detail");
    detail.textContent = source.getAttribute("data-confirm-detail") || "";
    detail.hidden = !detail.textContent;
    var yes = dialog.querySelector("#confirm-dialog-yes");
    if (!yes.hasAttribute("data-default-label")) {
      yes.setAttribute("data-default-label", yes.textContent);
    }
    yes.textContent = source.getAttribute("data-confirm-button") ||
      (submitter && submitter.textContent.trim()) || yes.getAttribute("data-default-label");
    dialog.returnValue = "";
    dialog.addEventListener("close", function onClose() {
      dialog.removeEventListener("close", onClose);
      if (dialog.returnValue === "yes") send();
      else if (submitter) submitter.focus();
    });
    dialog.showModal();
  });
  // <button data-copy="#selector">: copy that input's value.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    source.select();
    var done = function () {
      var text = button.getAttribute("data-copied-text");
      if (text) button.textContent = text;
    };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(source.value).then(done, function () {});
    } else {
      done();
    }
  });
  // <form hx-post data-swap-refused>: htmx shows a refused answer (422 or 409: the form
  // again, with its message and the typed text) instead of dropping it as an error.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    // detail.elt is the swap's target; the element that sent the request is the form.
    var source = detail.requestConfig && detail.requestConfig.elt;
    var status = detail.xhr ? detail.xhr.status : 0;
    if ((status === 422 || status === 409) && source && source.closest &&
        source.closest("[data-swap-refused]")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
  // <input data-select-on-focus>: select all on focus, to copy by hand.
  document.addEventListener("focusin", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-select-on-focus")) {
      event.target.select();
    }
  });
})();
