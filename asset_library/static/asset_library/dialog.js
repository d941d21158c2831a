// Modal dialogs on <dialog>: Esc and the Cancel button close them, focus returns to
// where it was, and an async submit keeps the dialog open (with its error shown) if it fails.

import { element, html, icon } from "./dom.js";

/**
 * Open a modal. `body`: HTML (from html``) or a Node. `onSubmit(form, dialog)` runs when
 * the primary button is pressed; return false to keep the dialog open; a thrown error's
 * message is shown in the dialog. Resolves with the submit result, or null when cancelled.
 */
export function openDialog({
  title, body, submitLabel = "Save", cancelLabel = "Cancel", danger = false,
  onSubmit = null, onOpen = null, wide = false, submitIcon = null, hideSubmit = false,
}) {
  const previous = document.activeElement;
  const dialog = element(html`<dialog class="modal${wide ? " modal-wide" : ""}" aria-labelledby="dialog-title">
    <form method="dialog" class="modal-form" novalidate>
      <header class="modal-head">
        <h2 id="dialog-title"></h2>
        <button type="button" class="icon-btn" data-dialog-cancel aria-label="Close">${icon("x")}</button>
      </header>
      <div class="modal-body"></div>
      <div class="alert alert-error modal-error" role="alert" hidden>${icon("alert")}<div data-dialog-error></div></div>
      <footer class="modal-foot">
        <button type="button" class="btn btn-ghost" data-dialog-cancel>${cancelLabel}</button>
        <button type="submit" class="btn ${danger ? "btn-danger" : "btn-primary"}" data-dialog-submit${hideSubmit ? " hidden" : ""}>${submitIcon ? icon(submitIcon) : ""}<span>${submitLabel}</span></button>
      </footer>
    </form>
  </dialog>`);
  dialog.querySelector("h2").textContent = title;
  const bodyNode = dialog.querySelector(".modal-body");
  if (body instanceof Node) bodyNode.append(body);
  else bodyNode.innerHTML = String(body ?? "");
  const form = dialog.querySelector("form");
  const errorBox = dialog.querySelector(".modal-error");
  const submit = dialog.querySelector("[data-dialog-submit]");
  document.body.append(dialog);

  let result = null;
  let settle;
  const done = new Promise((resolve) => { settle = resolve; });
  const close = (value = null) => {
    result = value;
    if (dialog.open) dialog.close();
  };
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus({ preventScroll: true });
    settle(result);
  });
  dialog.querySelectorAll("[data-dialog-cancel]").forEach((b) => b.addEventListener("click", () => close(null)));
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) close(null); // a click on the backdrop
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    if (!onSubmit) { close(true); return; }
    errorBox.hidden = true;
    submit.disabled = true;
    try {
      const value = await onSubmit(form, { dialog, close, showError });
      if (value !== false) close(value === undefined ? true : value);
    } catch (error) {
      showError(error.message || String(error));
    } finally {
      submit.disabled = false;
    }
  });
  function showError(message) {
    errorBox.querySelector("[data-dialog-error]").textContent = message;
    errorBox.hidden = false;
  }
  dialog.showModal();
  onOpen?.(dialog);
  const focusTarget = dialog.querySelector("[autofocus]") || (danger ? submit : bodyNode.querySelector("input, textarea, select, button")) || submit;
  focusTarget?.focus();
  return { dialog, form, close, done, showError, submitButton: submit };
}

/** Ask before doing something. Resolves true when confirmed. */
export async function confirmDialog({ title, message, confirmLabel = "Confirm", danger = false, confirmIcon = null }) {
  const { done } = openDialog({
    title,
    body: html`<p>${message}</p>`,
    submitLabel: confirmLabel,
    submitIcon: confirmIcon,
    danger,
  });
  return (await done) === true;
}

/** A dialog form's required text field, trimmed; when empty it is marked invalid, focused,
 * and the dialog shows `message`. */
export function requiredText(field, message) {
  const value = field.value.trim();
  if (!value) {
    field.setAttribute("aria-invalid", "true");
    field.focus();
    throw new Error(message);
  }
  return value;
}
