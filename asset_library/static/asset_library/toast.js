// Toasts: short messages at the bottom of the screen, optionally with an action
// (e.g. Undo), and progress toasts for long jobs that end in a Download button.

import { element, esc, html, icon } from "./dom.js";

const ICONS = { info: "info", success: "check", error: "alert", progress: "download" };

function region() {
  let node = document.getElementById("toasts");
  if (!node) {
    node = element('<div class="toasts" id="toasts" aria-live="polite"></div>');
    document.body.append(node);
  }
  return node;
}

function build(kind, message) {
  const node = element(html`<div class="toast is-${kind}" role="${kind === "error" ? "alert" : "status"}">
    ${icon(ICONS[kind] || "info")}
    <div class="toast-message"></div>
    <div class="toast-actions">
      <button type="button" class="icon-btn toast-close" aria-label="Dismiss">${icon("x")}</button>
    </div>
  </div>`);
  node.querySelector(".toast-message").textContent = message;
  return node;
}

/**
 * Show a toast. `action`: {label, icon?, onClick}; clicking it runs onClick and closes
 * the toast. `duration`: ms before it goes (null: stays until closed); hovering or
 * focusing it pauses the countdown. Returns {el, close, update}.
 */
export function toast(message, { kind = "info", action = null, duration = 5000 } = {}) {
  const node = build(kind, message);
  let timer = null;
  let closed = false;
  const handle = {
    el: node,
    onClose: null,
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      node.classList.add("is-leaving");
      setTimeout(() => node.remove(), 170);
      handle.onClose?.();
    },
    update(text) { node.querySelector(".toast-message").textContent = text; },
  };
  if (action) {
    const button = element(html`<button type="button" class="toast-action">${action.icon ? icon(action.icon) : ""}${action.label}</button>`);
    button.addEventListener("click", () => {
      handle.close();
      action.onClick?.();
    });
    node.querySelector(".toast-actions").prepend(button);
  }
  node.querySelector(".toast-close").addEventListener("click", () => handle.close());
  const start = () => {
    if (duration) timer = setTimeout(() => handle.close(), duration);
  };
  const pause = () => clearTimeout(timer);
  node.addEventListener("mouseenter", pause);
  node.addEventListener("mouseleave", start);
  node.addEventListener("focusin", pause);
  node.addEventListener("focusout", start);
  region().append(node);
  start();
  return handle;
}

export const toastError = (message, options = {}) => toast(message, { kind: "error", duration: 8000, ...options });
export const toastSuccess = (message, options = {}) => toast(message, { kind: "success", ...options });

/**
 * A toast with a progress bar for a long job. Returns {setProgress(done, total),
 * succeed(message, {href, label}), fail(message), close}. succeed() turns it into a
 * Download link that stays until used or dismissed.
 */
export function progressToast(message) {
  const handle = toast(message, { kind: "progress", duration: null });
  const node = handle.el;
  const bar = element('<div class="toast-progress is-indeterminate" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-label="Progress"><div class="toast-progress-bar"></div></div>');
  const detail = element('<div class="toast-detail"></div>');
  node.append(bar, detail);
  return {
    el: node,
    close: () => handle.close(),
    update: (text) => handle.update(text),
    setProgress(done, total) {
      if (!total) return;
      const percent = Math.min(100, Math.round((done / total) * 100));
      bar.classList.remove("is-indeterminate");
      bar.setAttribute("aria-valuenow", String(percent));
      bar.firstElementChild.style.width = `${percent}%`;
      detail.textContent = `${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`;
    },
    succeed(text, { href, label = "Download", filename = "" } = {}) {
      handle.update(text);
      bar.remove();
      detail.remove();
      node.classList.remove("is-progress");
      node.classList.add("is-success");
      node.querySelector("svg use").setAttribute("href", "#i-check");
      if (href) {
        const link = element(`<a class="toast-action is-primary" href="${esc(href)}"${filename ? ` download="${esc(filename)}"` : " download"}>${icon("download")}${esc(label)}</a>`);
        link.addEventListener("click", () => setTimeout(() => handle.close(), 400));
        node.querySelector(".toast-actions").prepend(link);
      }
    },
    fail(text) {
      handle.update(text);
      bar.remove();
      detail.remove();
      node.classList.remove("is-progress");
      node.classList.add("is-error");
      node.setAttribute("role", "alert");
      node.querySelector("svg use").setAttribute("href", "#i-alert");
    },
  };
}
