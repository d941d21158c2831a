// The library's dialogs: edit one asset, share a selection, tag a selection, add a
// selection to a collection. Each returns what the user chose; library.js acts on it.

import { get, post } from "../api.js";
import { element, html, icon } from "../dom.js";
import { openDialog } from "../dialog.js";
import { openShareDialog } from "../pages/share-dialog.js";
import { TagInput } from "../tag-input.js";
import { plural, thousands } from "../format.js";

/** Edit title, description and tags. Resolves with the changes, or null. */
export async function editAssetDialog(asset) {
  const body = element(html`<div class="stack">
    <div class="field">
      <label for="edit-title">Title</label>
      <input id="edit-title" name="title" maxlength="500" value="${asset.title}" placeholder="${asset.display_title}" autofocus>
    </div>
    <div class="field">
      <label for="edit-description">Description</label>
      <textarea id="edit-description" name="description" rows="3" maxlength="20000">${asset.description || ""}</textarea>
    </div>
    <div class="field" data-tags-field>
      <span class="field-label" id="edit-tags-label">Tags</span>
      <p class="field-hint">Tags marked <span class="auto-badge">auto</span> were added automatically; remove any that don't fit.</p>
    </div>
  </div>`);
  const tags = new TagInput({ tags: asset.tags || [], autoTags: asset.auto_tags || [], label: "Tags" });
  body.querySelector("[data-tags-field]").insertBefore(tags.el, body.querySelector("[data-tags-field] .field-hint"));
  const { done } = openDialog({
    title: "Edit asset",
    body,
    submitLabel: "Save",
    onSubmit: (form) => {
      tags.commit();
      return {
        title: form.elements.title.value.trim(),
        description: form.elements.description.value,
        tags: tags.value,
      };
    },
  });
  return done;
}

/** Make a share link for the selection (POST /assets/bulk/share/); shows it ready to copy. */
export function shareDialog({ count, selection }) {
  return openShareDialog({
    endpoint: "/api/v1/assets/bulk/share/",
    title: count === 1 ? "Share 1 asset" : `Share ${thousands(count)} assets`,
    intro: html`Anyone with the link can view ${count === 1 ? "this asset" : html`these <strong>${thousands(count)}</strong> assets`}, without signing in. You can revoke it any time from Shares.`,
    extra: selection,
  });
}

export async function bulkTagsDialog({ count, tagsOnPage }) {
  const body = element(html`<div class="stack">
    <div class="field" data-add><span class="field-label">Add tags</span></div>
    <div class="field" data-remove><span class="field-label">Remove tags</span></div>
  </div>`);
  const add = new TagInput({ label: "Tags to add", placeholder: "Type a tag and press Enter…" });
  const remove = new TagInput({
    label: "Tags to remove",
    placeholder: "Tags to remove…",
    suggest: async (q) => tagsOnPage
      .filter((t) => t.name.toLowerCase().includes(q.toLowerCase()))
      .slice(0, 8),
  });
  body.querySelector("[data-add]").append(add.el);
  body.querySelector("[data-remove]").append(remove.el);
  const { done } = openDialog({
    title: `Tags for ${plural(count, "asset")}`,
    body,
    submitLabel: "Apply",
    onSubmit: () => {
      add.commit();
      remove.commit();
      if (!add.value.length && !remove.value.length) throw new Error("Add or remove at least one tag.");
      return { add_tags: add.value, remove_tags: remove.value };
    },
  });
  return done;
}

/** Choose a collection (or name a new one). Resolves with {id, name} or null. */
export async function collectionDialog({ count }) {
  const body = element(html`<div class="stack">
    <ul class="choice-list" data-collections role="radiogroup" aria-label="Collections"><li class="nav-empty">Loading collections…</li></ul>
    <div class="field">
      <label for="new-collection">Or a new collection</label>
      <input id="new-collection" name="new_name" maxlength="200" placeholder="e.g. Q3 campaign">
    </div>
  </div>`);
  const list = body.querySelector("[data-collections]");
  const dialog = openDialog({
    title: `Add ${plural(count, "asset")} to a collection`,
    body,
    submitLabel: "Add",
    onSubmit: async (form) => {
      const name = form.elements.new_name.value.trim();
      if (name) {
        const created = await post("/api/v1/collections/", { name });
        return { id: created.id, name: created.name, created: true };
      }
      const chosen = form.querySelector('input[name="collection"]:checked');
      if (!chosen) throw new Error("Choose a collection, or name a new one.");
      return { id: chosen.value, name: chosen.dataset.name, created: false };
    },
  });
  try {
    // Yours, then those shared with you as editor (you may add your own assets to them).
    // The first of yours is chosen; one of someone else's only when you choose it.
    const [own, shared] = await Promise.all([
      get("/api/v1/collections/", { params: { page_size: 200 } }),
      get("/api/v1/collections/", { params: { page_size: 200, shared: "true" } }),
    ]);
    const rows = [...(own.results || []), ...(shared.results || []).filter((c) => c.role === "editor")];
    list.innerHTML = rows.length
      ? rows.map((c, i) => html`<li><label class="popover-option">
          <input type="radio" name="collection" value="${c.id}" data-name="${c.name}"${i === 0 && c.role === "owner" ? " checked" : ""}>
          ${icon(c.role === "owner" ? "folder" : "users")}<span>${c.name}${c.role === "owner" ? "" : html` <span class="muted">· ${c.owner}'s</span>`}</span><span class="count">${thousands(c.asset_count)}</span>
        </label></li>`).join("")
      : html`<li class="nav-empty">No collections yet: name one below.</li>`.toString();
    if (!rows.length) body.querySelector("#new-collection").focus();
  } catch (error) {
    list.innerHTML = html`<li class="field-error">${error.message}</li>`.toString();
  }
  return dialog.done;
}
