// The upload page: drop files (or pick them), and each one uploads on its own to
// POST /api/v1/assets/ with its own progress bar and its own outcome. Files the server
// would refuse for their type or size are stopped here first, with the reason.

import { cookie, errorMessage } from "../api.js";
import { $, element, html, icon } from "../dom.js";
import { plural } from "../format.js";

const PARALLEL = 3;
const config = JSON.parse(document.getElementById("page-config").textContent);
const root = $("[data-upload-page]");
const zone = $("[data-dropzone]", root);
const input = $("[data-file-input]", root);
const section = $("[data-upload-section]", root);
const list = $("[data-upload-list]", root);
const summary = $("[data-upload-summary]", root);
const viewLibrary = $("[data-view-library]", root);
const clearDone = $("[data-clear-done]", root);

const TYPE_LABELS = { image: "images", video: "videos", audio: "audio files", text: "text files" };
const EXTENSION_TYPES = {
  png: "image", jpg: "image", jpeg: "image", webp: "image", gif: "image",
  mp4: "video", m4v: "video", webm: "video", mov: "video",
  mp3: "audio", wav: "audio", ogg: "audio", m4a: "audio",
  txt: "text", md: "text", markdown: "text",
};
const uploads = [];
let counter = 0;

function extension(name) {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** The asset type a file will most likely be, from its name and the browser's guess. */
function guessType(file) {
  const byName = EXTENSION_TYPES[extension(file.name)];
  if (byName) return byName;
  const major = (file.type || "").split("/")[0];
  return ["image", "video", "audio", "text"].includes(major) ? major : "";
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let size = bytes / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) { size /= 1024; unit += 1; }
  return `${size < 10 ? size.toFixed(1) : Math.round(size)} ${units[unit]}`;
}

/** Why the server would refuse this file, or "" when it may go. */
function precheck(file) {
  const type = guessType(file);
  const accepted = config.mime_types.includes(file.type) || config.extensions.includes(`.${extension(file.name)}`);
  if (!type || !accepted) return "This file type is not accepted.";
  const limit = config.limits[type] ?? config.max_size;
  if (file.size > limit) return `Too large: ${TYPE_LABELS[type]} can be at most ${formatBytes(limit)}.`;
  if (file.size === 0) return "The file is empty.";
  return "";
}

function titleFrom(name) {
  const dot = name.lastIndexOf(".");
  return (dot > 0 ? name.slice(0, dot) : name).slice(0, 500);
}

function row(upload) {
  const type = guessType(upload.file) || "file";
  const node = element(html`<li class="upload-item" data-upload="${upload.id}">
    <span class="upload-thumb">${icon(type === "file" ? "file" : type)}</span>
    <div class="upload-main">
      <div class="upload-name-row">
        <span class="upload-name" title="${upload.file.name}">${upload.file.name}</span>
        <span class="upload-size">${formatBytes(upload.file.size)}</span>
      </div>
      <div class="upload-progress" role="progressbar" aria-label="Upload of ${upload.file.name}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div class="upload-bar"></div></div>
      <p class="upload-status" data-status>Waiting…</p>
    </div>
    <div class="upload-actions" data-actions></div>
  </li>`);
  if (type === "image" && !upload.error) {
    const thumb = document.createElement("img");
    thumb.alt = "";
    thumb.src = URL.createObjectURL(upload.file);
    thumb.addEventListener("load", () => URL.revokeObjectURL(thumb.src), { once: true });
    thumb.addEventListener("error", () => thumb.remove(), { once: true });
    node.querySelector(".upload-thumb").append(thumb);
  }
  return node;
}

function setState(upload, state, text, { percent = null, asset = null } = {}) {
  upload.state = state;
  const node = upload.node;
  node.dataset.state = state;
  node.querySelector("[data-status]").textContent = text;
  const bar = node.querySelector(".upload-progress");
  if (percent !== null) {
    bar.setAttribute("aria-valuenow", String(percent));
    bar.firstElementChild.style.width = `${percent}%`;
  }
  const actions = node.querySelector("[data-actions]");
  actions.replaceChildren();
  if (asset) {
    upload.asset = asset;
    actions.append(element(html`<a class="btn btn-sm" href="${config.asset_url.replace("ASSET_ID", asset.id)}" aria-label="View ${asset.title || upload.file.name}">${icon("external")}<span>View</span></a>`));
  } else if (state === "uploading") {
    const cancel = element(html`<button type="button" class="icon-btn icon-btn-sm" aria-label="Cancel the upload of ${upload.file.name}" title="Cancel">${icon("x")}</button>`);
    cancel.addEventListener("click", () => upload.xhr?.abort());
    actions.append(cancel);
  } else if (state === "error" && upload.retryable) {
    const retry = element(html`<button type="button" class="btn btn-sm btn-ghost" aria-label="Retry ${upload.file.name}">${icon("undo")}<span>Retry</span></button>`);
    retry.addEventListener("click", () => { upload.retryable = false; queue(upload); });
    actions.append(retry);
  }
  updateSummary();
}

function updateSummary() {
  const done = uploads.filter((u) => u.state === "done").length;
  const failed = uploads.filter((u) => u.state === "error").length;
  const active = uploads.filter((u) => u.state === "uploading" || u.state === "waiting").length;
  const parts = [];
  if (active) parts.push(`Uploading ${plural(active, "file")}…`);
  if (done) parts.push(`${plural(done, "file")} added to your library`);
  if (failed) parts.push(`${plural(failed, "file")} not uploaded`);
  summary.textContent = parts.join(" · ");
  viewLibrary.hidden = done === 0;
  clearDone.hidden = active === uploads.length;
}

// A server error is retried after a pause, twice: the upload is all or nothing on the
// server, and a file sent again is recognised by its checksum rather than duplicated.
const RETRY_AFTER = [600, 1800];

function send(upload, attempt = 0) {
  return new Promise((resolve) => {
    const data = new FormData();
    data.append("file", upload.file, upload.file.name);
    data.append("source_module", "upload");
    data.append("title", titleFrom(upload.file.name));
    const xhr = new XMLHttpRequest();
    upload.xhr = xhr;
    xhr.open("POST", "/api/v1/assets/");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", cookie("csrftoken"));
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.min(99, Math.round((event.loaded / event.total) * 100));
      setState(upload, "uploading", `Uploading… ${percent}%`, { percent });
    });
    xhr.addEventListener("load", () => {
      const body = xhr.response;
      if (xhr.status === 200 || xhr.status === 201) {
        const duplicate = body?.duplicate;
        setState(upload, "done", duplicate ? "Already in your library: this is the same file." : "Added to your library", { percent: 100, asset: body });
      } else if (xhr.status >= 500 && attempt < RETRY_AFTER.length) {
        setState(upload, "uploading", "The server is busy; trying again…", { percent: 0 });
        setTimeout(() => send(upload, attempt + 1).then(resolve), RETRY_AFTER[attempt]);
        return;
      } else if (xhr.status === 413) {
        setState(upload, "error", `Too large: ${body?.file?.[0] || "the file is over the upload limit."}`, { percent: 0 });
      } else {
        upload.retryable = xhr.status >= 500 || xhr.status === 429;
        const message = body?.file?.[0] || errorMessage(xhr.status, body);
        setState(upload, "error", message, { percent: 0 });
      }
      resolve();
    });
    xhr.addEventListener("error", () => {
      upload.retryable = true;
      setState(upload, "error", "The connection failed. Check your network and retry.", { percent: 0 });
      resolve();
    });
    xhr.addEventListener("abort", () => {
      upload.retryable = true;
      setState(upload, "error", "Cancelled.", { percent: 0 });
      resolve();
    });
    setState(upload, "uploading", "Uploading… 0%", { percent: 0 });
    xhr.send(data);
  });
}

const waiting = [];
let running = 0;

function queue(upload) {
  setState(upload, "waiting", "Waiting…", { percent: 0 });
  waiting.push(upload);
  pump();
}

function pump() {
  while (running < PARALLEL && waiting.length) {
    const upload = waiting.shift();
    running += 1;
    send(upload).finally(() => { running -= 1; pump(); });
  }
}

function addFiles(files) {
  const chosen = Array.from(files || []);
  if (!chosen.length) return;
  section.hidden = false;
  chosen.forEach((file) => {
    counter += 1;
    const upload = { id: counter, file, state: "new", error: precheck(file), retryable: false };
    upload.node = row(upload);
    uploads.push(upload);
    list.append(upload.node);
    if (upload.error) setState(upload, "error", upload.error, { percent: 0 });
    else queue(upload);
  });
}

input.addEventListener("change", () => {
  addFiles(input.files);
  input.value = ""; // the same file can be chosen again
});

let depth = 0;
zone.addEventListener("dragenter", (event) => {
  event.preventDefault();
  depth += 1;
  zone.classList.add("is-over");
});
zone.addEventListener("dragover", (event) => {
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
});
zone.addEventListener("dragleave", () => {
  depth = Math.max(0, depth - 1);
  if (!depth) zone.classList.remove("is-over");
});
zone.addEventListener("drop", (event) => {
  event.preventDefault();
  depth = 0;
  zone.classList.remove("is-over");
  addFiles(event.dataTransfer?.files);
});
// A file dropped next to the zone must not replace the page with the file.
["dragover", "drop"].forEach((name) => window.addEventListener(name, (event) => {
  if (!zone.contains(event.target)) event.preventDefault();
}));

clearDone.addEventListener("click", () => {
  for (let i = uploads.length - 1; i >= 0; i -= 1) {
    if (uploads[i].state === "done" || uploads[i].state === "error") {
      uploads[i].node.remove();
      uploads.splice(i, 1);
    }
  }
  section.hidden = uploads.length === 0;
  updateSummary();
});

window.addEventListener("beforeunload", (event) => {
  if (uploads.some((u) => u.state === "uploading" || u.state === "waiting")) event.preventDefault();
});

// Ready: the page answers clicks and keys (the browser tests wait for this).
document.documentElement.dataset.pageReady = "true";
