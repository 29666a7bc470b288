// The review page: select a sentence to add it as a follow-up, move between proposals
// with j/k, and keep the marked sentence and its proposal together on screen.
// Progressive enhancement: without this file every form and link still works.
(function () {
  "use strict";

  const source = document.querySelector("[data-review-text]");
  if (!source) return;
  const addForm = document.querySelector("[data-add-form]");
  const addPanel = document.getElementById("tilfoej");
  const selectionAction = document.querySelector("[data-selection-action]");
  const proposals = () => Array.from(document.querySelectorAll("[data-proposal]"));
  let selected = null; // {start, end} in characters of the minutes text

  // -- marks and proposals together -------------------------------------------------------

  function markFor(pk) {
    return document.getElementById("citat-" + pk);
  }

  function scrollTextTo(mark) {
    // Scroll only the text pane, so the proposal the user is on stays where it is.
    const pane = source.getBoundingClientRect();
    const target = mark.getBoundingClientRect();
    source.scrollTop += target.top - pane.top - source.clientHeight / 3;
  }

  function activate(pk, { focus = true, scrollText = true } = {}) {
    document.querySelectorAll(".is-active").forEach((el) => el.classList.remove("is-active"));
    const card = document.getElementById("forslag-" + pk);
    const mark = markFor(pk);
    if (mark) {
      mark.classList.add("is-active");
      if (scrollText) scrollTextTo(mark);
    }
    if (card) {
      card.classList.add("is-active");
      if (focus) {
        card.focus({ preventScroll: true });
        card.scrollIntoView({ block: "nearest" });
      }
    }
  }

  // A click on a marked sentence brings its proposal up.
  source.addEventListener("click", (event) => {
    const mark = event.target.closest("mark[data-item]");
    if (!mark || !window.getSelection().isCollapsed) return;
    if (document.getElementById("forslag-" + mark.dataset.item)) {
      activate(mark.dataset.item, { scrollText: false });
    }
  });

  // "Vis i teksten" scrolls the text pane instead of jumping the whole page.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-show-quote]");
    if (!link) return;
    const mark = markFor(link.dataset.showQuote);
    if (!mark) return;
    event.preventDefault();
    activate(link.dataset.showQuote, { focus: false });
  });

  // Focus moving into a proposal (Tab, or the page opening at #forslag-N) shows its sentence.
  document.addEventListener("focusin", (event) => {
    const card = event.target.closest && event.target.closest("[data-proposal]");
    if (card && !card.classList.contains("is-active")) activate(card.dataset.proposal, { focus: false });
  });

  // -- j / k ------------------------------------------------------------------------------

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (event.key !== "j" && event.key !== "k") return;
    const cards = proposals();
    if (!cards.length) return;
    const focused = cards.findIndex((card) => card.contains(document.activeElement));
    let next;
    if (focused === -1) {
      // The first key press lands on the highlighted proposal (the one the page opened at).
      next = Math.max(0, cards.findIndex((card) => card.classList.contains("is-active")));
    } else {
      next = Math.max(0, Math.min(cards.length - 1, event.key === "j" ? focused + 1 : focused - 1));
    }
    event.preventDefault();
    activate(cards[next].dataset.proposal);
  });

  // -- selecting a sentence -----------------------------------------------------------------

  function offsetOf(node, offset) {
    const range = document.createRange();
    range.setStart(source, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function hideSelectionAction() {
    if (selectionAction) selectionAction.hidden = true;
    selected = null;
  }

  function readSelection() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return hideSelectionAction();
    const range = selection.getRangeAt(0);
    if (!source.contains(range.startContainer) || !source.contains(range.endContainer)) return hideSelectionAction();
    const text = source.textContent;
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    if (end - start < 3) return hideSelectionAction();
    selected = { start, end };
    if (!selectionAction || !addForm) return;
    const box = range.getBoundingClientRect();
    const card = selectionAction.offsetParent || document.body;
    const frame = card.getBoundingClientRect();
    selectionAction.style.top = Math.round(box.bottom - frame.top + 6) + "px";
    selectionAction.style.left = Math.round(Math.max(0, Math.min(box.left - frame.left, frame.width - 200))) + "px";
    selectionAction.hidden = false;
  }

  source.addEventListener("mouseup", () => setTimeout(readSelection, 0));
  source.addEventListener("keyup", readSelection);
  document.addEventListener("selectionchange", () => {
    if (selected && window.getSelection().isCollapsed) setTimeout(() => {
      if (window.getSelection().isCollapsed) hideSelectionAction();
    }, 200);
  });

  function fillAddForm() {
    if (!selected || !addForm) return;
    const text = source.textContent.slice(selected.start, selected.end);
    addForm.querySelector("[name=ny-quote]").value = text;
    addForm.querySelector("[name=ny-quote_start]").value = selected.start;
    addForm.querySelector("[name=ny-quote_end]").value = selected.end;
    if (addPanel) addPanel.open = true;
    hideSelectionAction();
    window.getSelection().removeAllRanges();
    const title = addForm.querySelector("[name=ny-title]");
    title.scrollIntoView({ block: "center" });
    title.focus();
  }

  if (selectionAction) {
    // mousedown would clear the selection before click fires.
    selectionAction.addEventListener("mousedown", (event) => event.preventDefault());
    selectionAction.querySelector("[data-add-selection]").addEventListener("click", fillAddForm);
  }

  // A quote typed or pasted by hand has no offsets: the server finds it in the text.
  if (addForm) {
    addForm.querySelector("[name=ny-quote]").addEventListener("input", () => {
      addForm.querySelector("[name=ny-quote_start]").value = "";
      addForm.querySelector("[name=ny-quote_end]").value = "";
    });
  }

  // -- arriving at a proposal -------------------------------------------------------------

  const hash = decodeURIComponent(window.location.hash.slice(1));
  if (hash.startsWith("forslag-")) {
    const card = document.getElementById(hash);
    if (card) activate(card.dataset.proposal);
  } else if (hash === "forslag" || !hash) {
    const first = proposals()[0];
    if (first) activate(first.dataset.proposal, { focus: hash === "forslag" });
  }
})();
