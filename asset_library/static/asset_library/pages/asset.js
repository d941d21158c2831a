// The asset page: zoom and full screen, copy buttons, favourite, edit, share, delete
// (with Undo), restore and delete forever, and ←/→ to the previous and next asset.

import { del, patch, post } from "../api.js";
import { $, copyText, isTyping } from "../dom.js";
import { confirmDialog } from "../dialog.js";
import { toast, toastError, toastSuccess } from "../toast.js";
import { thousands } from "../format.js";
import { editAssetDialog } from "../library/dialogs.js";
import { fetchHtml, parse, swapParts } from "../partials.js";
import { openShareDialog } from "./share-dialog.js";

const UNDO_FOR = 8000;
const config = JSON.parse(document.getElementById("page-config").textContent);
const asset = config.asset;
/** The title, else what the server calls an untitled asset of this type. */
const displayTitle = () => asset.title || config.untitled;
const root = $("[data-asset-page]");
const url = (suffix = "") => `/api/v1/assets/${asset.id}/${suffix}`;

// ---------- Preview: fit / actual size, and full screen ----------

function setupZoom() {
  const stage = $("[data-stage]", root);
  const image = $("[data-zoom-image]", root);
  const button = $("[data-zoom]", root);
  if (!stage || !image) return;
  const setZoom = (actual, event = null) => {
    stage.classList.toggle("is-fit", !actual);
    stage.classList.toggle("is-actual", actual);
    if (button) $("[data-zoom-label]", button).textContent = actual ? "Fit to screen" : "Actual size";
    image.title = actual ? "Click to fit" : "Click for actual size";
    if (actual && event) {
      // Keep the point that was clicked under the pointer.
      const rect = image.getBoundingClientRect();
      const fx = (event.clientX - rect.left) / rect.width;
      const fy = (event.clientY - rect.top) / rect.height;
      requestAnimationFrame(() => {
        stage.scrollLeft = fx * stage.scrollWidth - stage.clientWidth / 2;
        stage.scrollTop = fy * stage.scrollHeight - stage.clientHeight / 2;
      });
    }
  };
  image.addEventListener("click", (event) => setZoom(!stage.classList.contains("is-actual"), event));
  button?.addEventListener("click", () => setZoom(!stage.classList.contains("is-actual")));
  setZoom(false);

  const dialog = $("[data-lightbox-dialog]");
  $("[data-lightbox]", root)?.addEventListener("click", () => dialog.showModal());
  $("[data-lightbox-close]", dialog)?.addEventListener("click", () => dialog.close());
  dialog?.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
}

// ---------- Copy ----------

function setupCopy() {
  root.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const kind = button.dataset.copy;
    const text = kind === "prompt" ? asset.prompt
      : kind === "text" ? $("[data-text]", root)?.textContent
        : button.dataset.copyValue;
    const ok = await copyText(text || "");
    const label = button.querySelector("span:not(.visually-hidden)");
    if (label && button.dataset.copyLabel) {
      label.textContent = ok ? "Copied" : "Press Ctrl+C";
      setTimeout(() => { label.textContent = button.dataset.copyLabel; }, 1800);
    }
    if (!ok) toastError("Couldn't copy: your browser blocked the clipboard.");
    else if (kind === "id") toastSuccess("ID copied", { duration: 2000 });
  });
}

// ---------- Favourite, edit, share, download ----------

function showFavorite(value) {
  const button = $("[data-favorite]", root);
  button.setAttribute("aria-pressed", String(value));
  button.dataset.tip = value ? "Remove from favourites" : "Add to favourites";
}

async function toggleFavorite() {
  const value = !asset.is_favorite;
  asset.is_favorite = value;
  showFavorite(value);
  try {
    const fresh = value ? await post(url("favorite/")) : await del(url("favorite/"));
    Object.assign(asset, fresh || {});
    toastSuccess(value ? "Added to favourites" : "Removed from favourites", { duration: 2500 });
  } catch (error) {
    asset.is_favorite = !value;
    showFavorite(!value);
    toastError(`Couldn't ${value ? "add it to" : "remove it from"} favourites: ${error.message}`);
  }
}

/** The tags as the server renders them now. */
async function showTags() {
  try {
    swapParts(parse(await fetchHtml(config.tags_url)), root);
  } catch {
    // The list stays as it was; the next visit shows the saved tags.
  }
}

function renderText() {
  const title = displayTitle();
  $("[data-title]", root).textContent = title;
  document.title = `${title} · Asset Library`;
  $("[data-description]", root).textContent = asset.description || "";
  $("[data-description-block]", root).hidden = !asset.description;
}

async function edit() {
  const changes = await editAssetDialog(asset);
  if (!changes) return;
  const before = structuredClone(asset);
  const kept = new Set(changes.tags.map((t) => t.toLowerCase()));
  Object.assign(asset, changes, { auto_tags: (asset.auto_tags || []).filter((t) => kept.has(t.toLowerCase())) });
  renderText();
  try {
    Object.assign(asset, await patch(url(), changes));
    renderText();
    await showTags();
    toastSuccess("Changes saved");
  } catch (error) {
    Object.assign(asset, before);
    renderText();
    toastError(`Couldn't save the changes: ${error.message}`);
  }
}

async function share() {
  const link = await openShareDialog({
    endpoint: url("share/"),
    title: "Share this asset",
    intro: "Anyone with the link can see this asset without signing in. You can revoke the link any time from Shares.",
  });
  if (link) {
    asset.share_count += 1;
    $("[data-share-count]", root).textContent = thousands(asset.share_count);
  }
}

function countDownload() {
  // The download itself is the link's; the counter follows once the browser has asked.
  setTimeout(() => {
    asset.download_count += 1;
    $("[data-download-count]", root).textContent = thousands(asset.download_count);
  }, 600);
}

// ---------- Trash ----------

function purgeDate(deletedAt) {
  const when = new Date(new Date(deletedAt).getTime() + config.trash_retention_days * 86400000);
  return when.toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric" });
}

function showTrashed(deletedAt) {
  asset.deleted_at = deletedAt;
  const trashed = Boolean(deletedAt);
  $("[data-trash-banner]", root).hidden = !trashed;
  const remove = $("[data-delete]", root);
  const shareButton = $("[data-share]", root);
  if (remove) remove.hidden = trashed;
  if (shareButton) shareButton.disabled = trashed || "nothingToShare" in shareButton.dataset;
  if (trashed) {
    $("[data-purge-text]", root).textContent = `It will be deleted for good on ${purgeDate(deletedAt)}.`;
  }
}

async function restore({ fromUndo = false } = {}) {
  try {
    const fresh = await post(url("restore/"));
    Object.assign(asset, fresh);
    showTrashed(null);
    toastSuccess(fromUndo ? "Deletion undone" : "Restored to the library");
  } catch (error) {
    toastError(`Couldn't restore it: ${error.message}`);
  }
}

async function moveToTrash() {
  showTrashed(new Date().toISOString()); // at once; rolled back if the server refuses
  try {
    await del(url());
    toast("Moved to the trash", {
      kind: "success",
      duration: UNDO_FOR,
      action: { label: "Undo", icon: "undo", onClick: () => restore({ fromUndo: true }) },
    });
  } catch (error) {
    showTrashed(null);
    toastError(`Couldn't delete it: ${error.message}`);
  }
}

async function deleteForever() {
  const ok = await confirmDialog({
    title: "Delete forever?",
    message: `“${displayTitle()}” and its file will be deleted for good. This can't be undone.`,
    confirmLabel: "Delete forever",
    confirmIcon: "trash",
    danger: true,
  });
  if (!ok) return;
  try {
    await del(url(), { params: { permanent: "true" } });
    window.location.assign(config.trash_url);
  } catch (error) {
    toastError(`Couldn't delete it: ${error.message}`);
  }
}

// ---------- Keyboard ----------

function setupKeys() {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (isTyping(event.target) || document.querySelector("dialog[open]")) return;
    const target = event.key === "ArrowLeft" ? $("[data-prev]", root) : event.key === "ArrowRight" ? $("[data-next]", root) : null;
    if (target) {
      event.preventDefault();
      window.location.assign(target.href);
    }
  });
}

setupZoom();
setupCopy();
setupKeys();
// Another's asset (a shared collection's) offers none of its owner's actions.
$("[data-favorite]", root)?.addEventListener("click", toggleFavorite);
$("[data-edit]", root)?.addEventListener("click", edit);
$("[data-share]", root)?.addEventListener("click", share);
$("[data-delete]", root)?.addEventListener("click", moveToTrash);
$("[data-restore]", root).addEventListener("click", () => restore());
$("[data-purge]", root).addEventListener("click", deleteForever);
$("[data-download]", root)?.addEventListener("click", countDownload);

// Ready: the page answers clicks and keys (the browser tests wait for this).
document.documentElement.dataset.pageReady = "true";
