// A meeting's page opened from the search (?q=…#punkt-N): mark the words the search
// matched in the open agenda items and show the item the user came from. The words
// come from the server, which knows the forms the stemmed search matched
// ("kommissorierne" for a search for "kommissorier").
(function () {
  "use strict";
  const source = document.getElementById("search-words");
  if (!source) return;
  let data;
  try {
    data = JSON.parse(source.textContent);
  } catch (error) {
    return;
  }
  const words = (data.words || []).filter((w) => w && w.trim());
  if (!words.length) return;

  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const alternatives = words.sort((a, b) => b.length - a.length).map(escape).join("|");
  const pattern = data.whole_words
    ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, "giu")
    : new RegExp(`(?:${alternatives})`, "giu");

  function markIn(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        const parent = node.parentElement;
        if (!parent || parent.closest("script, style, textarea, .search-hit-mark")) return NodeFilter.FILTER_REJECT;
        pattern.lastIndex = 0;
        return pattern.test(node.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const text = node.nodeValue;
      const fragment = document.createDocumentFragment();
      let last = 0;
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) {
        fragment.append(text.slice(last, match.index));
        const mark = document.createElement("mark");
        mark.className = "search-hit-mark";
        mark.textContent = match[0];
        fragment.append(mark);
        last = match.index + match[0].length;
      }
      fragment.append(text.slice(last));
      node.replaceWith(fragment);
    }
  }

  document.querySelectorAll(".agenda-item:not(.is-closed)").forEach(markIn);

  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (!target || !target.classList.contains("agenda-item")) return;
  target.classList.add("is-search-target");
  // The words may only occur in the item's full text, which is folded away: unfold it.
  const visible = Array.from(target.querySelectorAll(".search-hit-mark")).some((m) => !m.closest("details:not([open])"));
  if (!visible) {
    const folded = target.querySelector("details .search-hit-mark");
    if (folded) folded.closest("details").open = true;
  }
  target.scrollIntoView({ block: "start" });
})();
