// The library's dialogs: edit one asset, share a selection, tag a selection, add a
// selection to a collection. Each returns what the user chose; library.js acts on it.

import { get, post } from "../api.js";
import { copyText, element, html, icon } from "../dom.js";
import { openDialog } from "../dialog.js";
import { TagInput } from "../tag-input.js";
import { displayTitle, plural, thousands } from "../format.js";

/** Edit title, description and tags. Resolves with the changes, or null. */
export async function editAssetDialog(asset) {
  const body = element(html`<div class="stack">
    <div class="field">
      <label for="edit-title">Title</label>
      <input id="edit-title" name="title" maxlength="500" value="${asset.title}" placeholder="${displayTitle(asset)}" autofocus>
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

const EXPIRY_CHOICES = [["", "Never"], ["1", "1 day"], ["7", "7 days"], ["30", "30 days"], ["90", "90 days"]];

/** Make a share link for the selection (POST /assets/bulk/share/); shows it ready to copy. */
export function shareDialog({ count, selection }) {
  const body = element(html`<div class="stack">
    <p>Anyone with the link can view ${count === 1 ? "this asset" : html`these <strong>${thousands(count)}</strong> assets`}, without signing in. You can revoke it any time from Shares.</p>
    <div class="field">
      <label for="share-expiry">Link expires</label>
      <select id="share-expiry" name="expires">${EXPIRY_CHOICES.map(([v, l]) => html`<option value="${v}"${v === "30" ? " selected" : ""}>${l}</option>`)}</select>
    </div>
    <label class="check-row"><input type="checkbox" class="checkbox" name="allow_download" checked> Allow downloads</label>
    <div class="field" data-share-result hidden>
      <label for="share-url">Link</label>
      <div class="share-result">
        <input id="share-url" readonly class="input">
        <button type="button" class="btn" data-copy>${icon("copy")}<span>Copy</span></button>
        <a class="btn btn-ghost" data-open target="_blank" rel="noopener" title="Open the link">${icon("external")}<span class="visually-hidden">Open</span></a>
      </div>
      <p class="field-hint" data-share-meta></p>
    </div>
  </div>`);
  let created = null;
  const dialog = openDialog({
    title: count === 1 ? "Share 1 asset" : `Share ${thousands(count)} assets`,
    body,
    submitLabel: "Create link",
    submitIcon: "link",
    onSubmit: async (form, { dialog: node }) => {
      if (created) return true;
      const days = form.elements.expires.value;
      const payload = { ...selection, allow_download: form.elements.allow_download.checked };
      if (days) payload.expires_in_days = Number(days);
      created = await post("/api/v1/assets/bulk/share/", payload);
      const url = new URL(created.url, window.location.origin).href;
      const result = body.querySelector("[data-share-result]");
      result.hidden = false;
      body.querySelector("#share-url").value = url;
      body.querySelector("[data-open]").href = url;
      body.querySelector("[data-share-meta]").textContent = [
        plural(created.asset_count ?? count, "asset"),
        created.allow_download ? "downloads allowed" : "view only",
        created.expires_at ? `expires ${new Date(created.expires_at).toLocaleDateString()}` : "never expires",
      ].join(" · ");
      form.elements.expires.disabled = true;
      form.elements.allow_download.disabled = true;
      const submit = node.querySelector("[data-dialog-submit]");
      submit.querySelector("span").textContent = "Done";
      submit.querySelector("svg")?.remove();
      node.querySelector(".modal-foot [data-dialog-cancel]").hidden = true;
      const input = body.querySelector("#share-url");
      input.focus();
      input.select();
      return false;
    },
  });
  body.querySelector("[data-copy]").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    const ok = await copyText(body.querySelector("#share-url").value);
    button.querySelector("span").textContent = ok ? "Copied" : "Press Ctrl+C";
    setTimeout(() => { button.querySelector("span").textContent = "Copy"; }, 2000);
  });
  return dialog.done.then(() => created);
}

/** Add and remove tags on the selection. Resolves with {add_tags, remove_tags}, or null. */
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
    const data = await get("/api/v1/collections/", { params: { page_size: 200 } });
    const rows = data.results || [];
    list.innerHTML = rows.length
      ? rows.map((c, i) => html`<li><label class="popover-option">
          <input type="radio" name="collection" value="${c.id}" data-name="${c.name}"${i === 0 ? " checked" : ""}>
          ${icon("folder")}<span>${c.name}</span><span class="count">${thousands(c.asset_count)}</span>
        </label></li>`).join("")
      : html`<li class="nav-empty">No collections yet: name one below.</li>`.toString();
    if (!rows.length) body.querySelector("#new-collection").focus();
  } catch (error) {
    list.innerHTML = html`<li class="field-error">${error.message}</li>`.toString();
  }
  return dialog.done;
}
