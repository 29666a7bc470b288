// The upload page: drag and drop, and one request per file so each file's status shows
// as soon as it is known. Without this file the form posts all files at once and the
// page lists the results.
(function () {
  "use strict";

  const form = document.querySelector("form[data-upload]");
  const texts = document.getElementById("upload-texts");
  if (!form || !texts || !window.fetch || !window.FormData) return;

  const t = texts.dataset;
  const input = form.querySelector("input[type=file]");
  const dropzone = form.querySelector("[data-dropzone]");
  const list = form.querySelector("[data-queue]");
  const submit = form.querySelector("[data-upload-submit]");
  const progress = form.querySelector("[data-progress]");
  const progressText = form.querySelector("[data-progress-text]");
  const results = document.querySelector("[data-results]");
  const maxBytes = parseInt(form.dataset.maxBytes, 10) || 0;
  const extensions = (form.dataset.extensions || "").split(",").map((e) => e.trim().toLowerCase()).filter(Boolean);
  let queue = []; // [{file, row, status}]
  let busy = false;

  function format(template, ...values) {
    return values.reduce((text, value, i) => text.replace("%" + (i + 1), value), template);
  }

  function problemWith(file) {
    const name = file.name.toLowerCase();
    if (extensions.length && !extensions.some((ext) => name.endsWith(ext))) return t.wrongType;
    if (maxBytes && file.size > maxBytes) return t.tooLarge;
    return "";
  }

  function setRow(entry, status, message, reviewUrl) {
    entry.status = status;
    entry.row.className = "upload-result is-" + status;
    entry.message.textContent = message;
    entry.link.hidden = !reviewUrl;
    if (reviewUrl) entry.link.href = reviewUrl;
    if (entry.remove) entry.remove.hidden = status !== "ready";
  }

  function add(files) {
    for (const file of files) {
      if (queue.some((e) => e.file.name === file.name && e.file.size === file.size && e.status === "ready")) continue;
      const row = document.createElement("li");
      const name = document.createElement("span");
      name.className = "upload-name";
      name.textContent = file.name;
      const message = document.createElement("span");
      message.className = "upload-message";
      const link = document.createElement("a");
      link.textContent = t.review;
      link.hidden = true;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = t.remove;
      remove.setAttribute("aria-label", t.remove + " " + file.name);
      row.append(name, message, link, remove);
      list.append(row);
      const entry = { file, row, message, link, remove, status: "ready" };
      remove.addEventListener("click", () => {
        queue = queue.filter((e) => e !== entry);
        row.remove();
        list.hidden = queue.length === 0;
      });
      const problem = problemWith(file);
      if (problem) setRow(entry, "failed", problem);
      else setRow(entry, "ready", t.ready);
      queue.push(entry);
    }
    list.hidden = queue.length === 0;
    // The files now live in the queue; the input is free for the next choice.
    input.value = "";
  }

  input.addEventListener("change", () => add(input.files));

  ["dragenter", "dragover"].forEach((type) => dropzone.addEventListener(type, (event) => {
    event.preventDefault();
    dropzone.classList.add("is-dragover");
  }));
  ["dragleave", "dragend", "drop"].forEach((type) => dropzone.addEventListener(type, () => {
    dropzone.classList.remove("is-dragover");
  }));
  dropzone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) add(event.dataTransfer.files);
  });
  // A file dropped next to the zone would make the browser leave the page.
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());

  async function send(entry) {
    setRow(entry, "working", t.working);
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    const body = form.querySelector("[name=body]");
    if (body && body.value) data.append("body", body.value);
    data.append("files", entry.file, entry.file.name);
    try {
      const response = await fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
      });
      const payload = (response.headers.get("Content-Type") || "").includes("json") ? await response.json() : null;
      const result = payload && payload.results && payload.results[0];
      if (!response.ok || !result) {
        const message = (payload && payload.errors && payload.errors[0]) || t.failed.replace("%s", response.status);
        setRow(entry, "failed", message);
        return;
      }
      setRow(entry, result.status, result.message, result.review_url);
    } catch (error) {
      setRow(entry, "failed", t.offline);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const waiting = queue.filter((e) => e.status === "ready");
    // Files refused before sending (type, size) belong to this round's summary too.
    const refused = queue.filter((e) => e.status === "failed" && !e.counted);
    if (!waiting.length && !refused.length) {
      progressText.textContent = t.choose;
      input.focus();
      return;
    }
    busy = true;
    submit.disabled = true;
    if (results) results.textContent = "";
    progress.hidden = false;
    progress.max = Math.max(1, waiting.length);
    for (let i = 0; i < waiting.length; i += 1) {
      progress.value = i;
      progressText.textContent = format(t.progress, i + 1, waiting.length);
      await send(waiting[i]);
    }
    progress.value = waiting.length;
    const round = waiting.concat(refused);
    round.forEach((e) => { e.counted = true; });
    const count = (status) => round.filter((e) => e.status === status).length;
    progressText.textContent = format(t.done, count("created") + count("updated"), count("unchanged"), count("failed"));
    submit.disabled = false;
    busy = false;
  });
})();
