// The trash: restore or delete forever one asset, restore everything, or empty the trash
// (a job on the workers: its progress shows in a toast until it is done). Restoring one
// asset is done at once (it undoes nothing and can be trashed again); the rest is confirmed.

import { del, get, post } from "../api.js";
import { $, $$ } from "../dom.js";
import { confirmDialog } from "../dialog.js";
import { progressToast, toast, toastError, toastSuccess } from "../toast.js";
import { plural, thousands } from "../format.js";

const JOB_POLL_EVERY = 600;
const config = JSON.parse(document.getElementById("page-config").textContent);
const root = $("[data-trash-page]");
const list = $("[data-trash-list]", root);
let count = config.count;

function updateChrome() {
  const rows = $$(".trash-row", list).length;
  $("[data-count]", root).textContent = `${thousands(count)} asset${count === 1 ? "" : "s"}`;
  $("[data-trash-actions]", root).hidden = count === 0;
  $("[data-list-wrap]", root).hidden = rows === 0;
  $("[data-empty]", root).hidden = rows > 0 || count > 0;
  const pagination = $("[data-pagination]", root);
  if (pagination && count === 0) pagination.hidden = true;
  if (rows === 0 && count > 0) window.location.reload(); // this page is done; show the next one
}

function removeRow(row) {
  row.classList.add("is-removing");
  count = Math.max(0, count - 1);
  setTimeout(() => { row.remove(); updateChrome(); }, 160);
}

async function restore(row) {
  const title = row.dataset.title;
  try {
    await post(`/api/v1/assets/${row.dataset.id}/restore/`);
    const href = $(".row-link", row).href;
    removeRow(row);
    toast(`“${title}” restored`, {
      kind: "success",
      action: { label: "View", onClick: () => window.location.assign(href) },
    });
  } catch (error) {
    toastError(`Couldn't restore “${title}”: ${error.message}`);
  }
}

async function deleteForever(row) {
  const title = row.dataset.title;
  const ok = await confirmDialog({
    title: "Delete forever?",
    message: `“${title}” and its file will be deleted for good. This can't be undone.`,
    confirmLabel: "Delete forever",
    confirmIcon: "trash",
    danger: true,
  });
  if (!ok) return;
  try {
    await del(`/api/v1/assets/${row.dataset.id}/`, { params: { permanent: "true" } });
    removeRow(row);
    toastSuccess(`“${title}” deleted for good`);
  } catch (error) {
    toastError(`Couldn't delete “${title}”: ${error.message}`);
  }
}

async function restoreAll() {
  const ok = await confirmDialog({
    title: `Restore ${plural(count, "asset")}?`,
    message: "Everything in the trash goes back to your library.",
    confirmLabel: "Restore all",
    confirmIcon: "undo",
  });
  if (!ok) return;
  try {
    const result = await post("/api/v1/assets/bulk/restore/", { filter: { in_trash: true } });
    count = 0;
    list.replaceChildren();
    updateChrome();
    toast(`${plural(result.restored, "asset")} restored`, {
      kind: "success",
      action: { label: "Open library", onClick: () => window.location.assign(config.library_url) },
    });
  } catch (error) {
    toastError(`Couldn't restore: ${error.message}`);
  }
}

async function emptyTrash() {
  const ok = await confirmDialog({
    title: "Empty the trash?",
    message: `${plural(count, "asset")} and their files will be deleted for good. This can't be undone.`,
    confirmLabel: "Empty trash",
    confirmIcon: "trash",
    danger: true,
  });
  if (!ok) return;
  const progress = progressToast(`Deleting ${plural(count, "asset")} for good…`);
  const buttons = $$("[data-trash-actions] button", root);
  buttons.forEach((b) => { b.disabled = true; });
  list.setAttribute("aria-busy", "true");
  try {
    let job = await post("/api/v1/assets/bulk/delete/", { filter: { in_trash: true }, permanent: true });
    while (job.status === "queued" || job.status === "running") {
      progress.setProgress(job.done, job.total);
      await new Promise((resolve) => { setTimeout(resolve, JOB_POLL_EVERY); });
      job = await get(`/api/v1/jobs/${job.id}/`);
    }
    if (job.status !== "succeeded") throw new Error(job.error || "the job failed");
    progress.setProgress(job.total, job.total);
    progress.succeed(`Trash emptied: ${plural(job.total, "asset")} deleted for good`);
    setTimeout(() => progress.close(), 4000);
    count = 0;
    list.replaceChildren();
    updateChrome();
  } catch (error) {
    progress.fail(`Couldn't empty the trash: ${error.message}`);
  } finally {
    list.removeAttribute("aria-busy");
    buttons.forEach((b) => { b.disabled = false; });
  }
}

root.addEventListener("click", (event) => {
  const row = event.target.closest(".trash-row");
  if (event.target.closest("[data-restore]") && row) restore(row);
  else if (event.target.closest("[data-delete-forever]") && row) deleteForever(row);
  else if (event.target.closest("[data-restore-all]")) restoreAll();
  else if (event.target.closest("[data-empty-trash]")) emptyTrash();
});

// Ready: the page answers clicks and keys (the browser tests wait for this).
document.documentElement.dataset.pageReady = "true";
