// The workspace pages (Mine opgaver, Alle opfølgninger, the item and meeting pages).
// Progressive enhancement only: every form and link works without this file.
(function () {
  "use strict";

  if (window.htmx) {
    // A refused change (400 invalid input, 409 changed by somebody else) comes back as a
    // fragment with a Danish message: show it in place instead of dropping it.
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(400|409)", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
  }

  // After an in-place update, move focus to the message it brought, so keyboard and
  // screen-reader users hear what happened and are not left on a removed button.
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.elt;
    const focusable = target && (target.matches("[data-autofocus]") ? target : target.querySelector("[data-autofocus]"));
    if (focusable) focusable.focus({ preventScroll: false });
  });

  // A failed request (server error, no connection): say so rather than doing nothing.
  // The texts come from the page (translated on the server): <meta name="ws-error-…">.
  function showError(name) {
    const meta = document.querySelector('meta[name="' + name + '"]');
    const main = document.getElementById("main");
    if (!meta || !main) return;
    const message = document.createElement("p");
    message.className = "msg msg-error";
    message.setAttribute("role", "alert");
    message.textContent = meta.content;
    main.prepend(message);
  }
  document.addEventListener("htmx:responseError", () => showError("ws-error-response"));
  document.addEventListener("htmx:sendError", () => showError("ws-error-offline"));

  // A link to a sentence inside a folded text (#citat-12) unfolds it and scrolls to it.
  function revealHash() {
    if (!location.hash) return;
    let target;
    try { target = document.querySelector(location.hash); } catch (e) { return; }
    if (!target) return;
    for (let el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
    target.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", revealHash);
  document.addEventListener("DOMContentLoaded", revealHash);
})();
