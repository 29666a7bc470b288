// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.value || source.textContent.trim()).then(() => {
    const label = button.textContent;
    button.textContent = button.dataset.copied || "Kopieret";
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});

// htmx replaces parts of the page; a screen reader hears the new status or
// error through one live region that stays in the page.
document.addEventListener("htmx:afterSettle", (event) => {
  const live = document.getElementById("live-status");
  if (!live || !event.detail || !event.detail.elt) return;
  const target = event.detail.target || event.detail.elt;
  const scope = target.isConnected ? target : document;
  const message = scope.querySelector("[role=alert], [role=status]:not(#live-status)");
  if (!message) return;
  // What a screen reader would read: without decorations hidden from it (the ✓).
  const copy = message.cloneNode(true);
  copy.querySelectorAll("[aria-hidden=true]").forEach((el) => el.remove());
  live.textContent = "";
  window.setTimeout(() => { live.textContent = copy.textContent.replace(/\s+/g, " ").trim(); }, 50);
});
