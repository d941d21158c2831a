// The selection toolbar's actions: download, share, tags, collection (add, remove), favourite, delete.
// Favourite and delete act on the page at once and roll back if the server refuses.

import { get, post } from "../api.js";
import { confirmDialog } from "../dialog.js";
import { plural, thousands } from "../format.js";
import { progressToast, toast, toastError, toastSuccess } from "../toast.js";
import { bulkTagsDialog, collectionDialog, shareDialog } from "./dialogs.js";
import { forgetResults } from "./results.js";
import { clearFilterChanges } from "./state.js";

const JOB_POLL_EVERY = 700;
const UNDO_FOR = 8000;

/** The actions, by `data-bulk` name, for the library page's `page` (its state and helpers). */
export function bulkActions(page) {
  const {
    state, ui, config, selectedCount, selectionBody, isSelected, clearSelection, updateSelectionUI, load, navigate,
    itemNode, showFavorite, refreshCollections,
  } = page;

  async function bulkDelete() {
    const count = selectedCount();
    const matching = state.matching;
    const days = config.trash_retention_days;
    const ok = await confirmDialog({
      title: count === 1 ? "Move 1 asset to the trash?" : `Move ${thousands(count)} assets to the trash?`,
      message: (matching && state.unusedCost
        ? `None of them was ever used: they cost ${state.unusedCost} credits. ` : "")
        + (matching
          ? `Every asset matching these filters goes to the trash. You can restore them from the Trash for ${days} days.`
          : `You can undo this now, or restore them from the Trash for ${days} days.`),
      confirmLabel: count === 1 ? "Delete 1 asset" : `Delete ${thousands(count)} assets`,
      confirmIcon: "trash",
      danger: true,
    });
    if (!ok) return;
    const body = selectionBody();
    const ids = matching ? state.assets.map((a) => a.id) : [...state.selection];
    // At once: the cards fade out and the count drops; the server's results follow.
    const nodes = ids.map(itemNode).filter(Boolean);
    nodes.forEach((node) => node.classList.add("is-removing"));
    const gone = new Set(ids);
    state.assets = state.assets.filter((a) => !gone.has(a.id));
    ui.count.textContent = plural(Math.max(0, state.count - (matching ? state.count : ids.length)), "asset");
    clearSelection();
    setTimeout(() => nodes.forEach((node) => node.remove()), 160);
    try {
      const result = await post("/api/v1/assets/bulk/delete/", body);
      forgetResults();
      const deleted = result.deleted ?? count;
      const message = `${plural(deleted, "asset")} moved to the trash`;
      if (matching && Array.isArray(result.ids)) {
        toast(message, { kind: "success", action: { label: "Undo", icon: "undo", onClick: () => undoDelete(result.ids) }, duration: UNDO_FOR });
      } else if (matching) {
        toast(message, { kind: "success", action: { label: "Open trash", onClick: () => { window.location.href = config.trash_url; } }, duration: UNDO_FOR });
      } else {
        toast(message, { kind: "success", action: { label: "Undo", icon: "undo", onClick: () => undoDelete(body.ids) }, duration: UNDO_FOR });
      }
      refreshCollections();
      load({ quiet: true });
    } catch (error) {
      // Nothing was deleted: the server's results bring the cards back, selected again.
      if (!matching) ids.forEach((id) => state.selection.add(id));
      else state.matching = true;
      load({ quiet: true });
      toastError(`Couldn't delete: ${error.message}`);
    }
  }

  async function undoDelete(ids) {
    try {
      const result = await post("/api/v1/assets/bulk/restore/", { ids });
      forgetResults();
      toastSuccess(`${plural(result.restored ?? ids.length, "asset")} restored`);
      refreshCollections();
      await load({ quiet: true });
    } catch (error) {
      toastError(`Couldn't restore: ${error.message}`);
    }
  }

  async function bulkFavorite(value) {
    const body = selectionBody();
    const touched = state.assets.filter((a) => isSelected(a.id) && a.is_favorite !== value);
    touched.forEach((a) => { a.is_favorite = value; showFavorite(a.id, value); });
    updateSelectionUI();
    try {
      const result = await post("/api/v1/assets/bulk/update/", { ...body, is_favorite: value });
      forgetResults();
      toastSuccess(`${plural(result.updated, "asset")} ${value ? "added to" : "removed from"} favourites`);
    } catch (error) {
      touched.forEach((a) => { a.is_favorite = !value; showFavorite(a.id, !value); });
      updateSelectionUI();
      toastError(`Couldn't update favourites: ${error.message}`);
    }
  }

  async function bulkTags() {
    const counts = new Map();
    state.assets.filter((a) => isSelected(a.id)).forEach((a) => (a.tags || []).forEach((t) => counts.set(t, (counts.get(t) || 0) + 1)));
    const tagsOnPage = [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count);
    const changes = await bulkTagsDialog({ count: selectedCount(), tagsOnPage });
    if (!changes) return;
    try {
      const result = await post("/api/v1/assets/bulk/update/", { ...selectionBody(), ...changes });
      forgetResults();
      toastSuccess(`Tags updated on ${plural(result.updated, "asset")}`);
      await load({ quiet: true });
    } catch (error) {
      toastError(`Couldn't update tags: ${error.message}`);
    }
  }

  async function bulkCollection() {
    const count = selectedCount();
    const target = await collectionDialog({ count });
    if (!target) return;
    try {
      const result = await post(`/api/v1/collections/${target.id}/assets/`, selectionBody());
      forgetResults();
      const added = result.added ?? 0;
      const text = added === 0
        ? `Already in “${target.name}”`
        : `${plural(added, "asset")} added to “${target.name}”`;
      toast(text, {
        kind: "success",
        action: { label: "View", onClick: () => { clearSelection(); navigate({ ...clearFilterChanges(), collection: target.id }); } },
      });
      await refreshCollections();
    } catch (error) {
      toastError(`Couldn't add to the collection: ${error.message}`);
      if (target.created) refreshCollections();
    }
  }

  async function bulkDownload() {
    const count = selectedCount();
    const progress = progressToast(`Preparing ${plural(count, "asset")} for download…`);
    try {
      let job = await post("/api/v1/assets/bulk/download/", selectionBody());
      while (job.status === "queued" || job.status === "running") {
        progress.setProgress(job.done, job.total);
        await new Promise((resolve) => { setTimeout(resolve, JOB_POLL_EVERY); });
        job = await get(`/api/v1/jobs/${job.id}/`);
      }
      if (job.status === "succeeded" && job.download_url) {
        progress.succeed(`Your zip of ${plural(job.total, "asset")} is ready`, { href: job.download_url });
      } else {
        progress.fail(job.error ? `The download failed: ${job.error}` : "The download failed.");
      }
    } catch (error) {
      progress.fail(`Couldn't prepare the download: ${error.message}`);
    }
  }

  /** Take the selection out of the collection on screen (its owner or an editor): the
   * assets themselves stay where they are. */
  async function bulkUncollect() {
    const id = state.params.get("collection");
    if (!id) return;
    try {
      const result = await post(`/api/v1/collections/${id}/assets/remove/`, selectionBody());
      clearSelection();
      forgetResults();
      toastSuccess(`${plural(result.removed ?? 0, "asset")} removed from the collection; they are still in their libraries`);
      await load({ quiet: true });
      await refreshCollections();
    } catch (error) {
      toastError(`Couldn't remove them from the collection: ${error.message}`);
    }
  }

  async function bulkShare() {
    const link = await shareDialog({ count: selectedCount(), selection: selectionBody() });
    if (link) {
      forgetResults();
      load({ quiet: true });
    }
  }

  return {
    download: bulkDownload,
    share: bulkShare,
    tags: bulkTags,
    collection: bulkCollection,
    uncollect: bulkUncollect,
    favorite: (button) => bulkFavorite(button.dataset.value !== "false"),
    delete: bulkDelete,
  };
}
