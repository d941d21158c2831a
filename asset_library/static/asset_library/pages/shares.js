// The shares page: copy a link, or revoke it (confirmed). A revoked link answers 404 at once.

import { del } from "../api.js";
import { $, copyText, element } from "../dom.js";
import { confirmDialog } from "../dialog.js";
import { toastError, toastSuccess } from "../toast.js";

const root = $("[data-shares-page]");

async function copy(row, button) {
  const ok = await copyText(row.dataset.url);
  const label = button.querySelector(".btn-label");
  if (ok) {
    label.textContent = "Copied";
    setTimeout(() => { label.textContent = "Copy"; }, 1800);
    toastSuccess("Link copied", { duration: 2500 });
  } else {
    toastError("Couldn't copy: your browser blocked the clipboard. Open the link and copy it from the address bar.");
  }
}

async function revoke(row) {
  const title = row.dataset.title;
  const ok = await confirmDialog({
    title: "Revoke this link?",
    message: `The link to “${title}” stops working at once, for everyone who has it. This can't be undone; you can make a new link later.`,
    confirmLabel: "Revoke link",
    danger: true,
  });
  if (!ok) return;
  try {
    await del(`/api/v1/shares/${row.dataset.shareId}/`);
    row.classList.add("is-ended");
    row.querySelector("[data-status]").replaceChildren(element('<span class="pill pill-ended">Revoked</span>'));
    row.querySelector(".share-actions").replaceChildren();
    toastSuccess(`The link to “${title}” is revoked`);
  } catch (error) {
    toastError(`Couldn't revoke the link: ${error.message}`);
  }
}

root.addEventListener("click", (event) => {
  const row = event.target.closest("[data-share-id]");
  if (!row) return;
  const copyButton = event.target.closest("[data-copy-link]");
  if (copyButton) copy(row, copyButton);
  else if (event.target.closest("[data-revoke]")) revoke(row);
});

// Ready: the page answers clicks and keys (the browser tests wait for this).
document.documentElement.dataset.pageReady = "true";
