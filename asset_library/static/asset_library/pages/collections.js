// The collections page: create, rename and describe, delete (assets are kept) and share.
// Cards are drawn the way templates/pages/_collection_card.html draws them.

import { del, patch, post } from "../api.js";
import { $, element, html, icon } from "../dom.js";
import { confirmDialog, openDialog } from "../dialog.js";
import { toast, toastError, toastSuccess } from "../toast.js";
import { fullTime, plural, relativeTime, thousands } from "../format.js";
import { openShareDialog } from "./share-dialog.js";

const config = JSON.parse(document.getElementById("page-config").textContent);
const root = $("[data-collections-page]");
const list = $("[data-collection-list]", root);
const empty = $("[data-empty]", root);
let collections = config.collections;

const byName = (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" });
const find = (id) => collections.find((c) => c.id === id);
const libraryHref = (id) => `/library/?collection=${encodeURIComponent(id)}`;

function card(c) {
  const cover = c.cover_thumbnail_url
    ? html`<img src="${c.cover_thumbnail_url}" alt="" loading="lazy">`
    : icon("folder");
  return element(html`<li class="collection-card" data-collection-id="${c.id}">
    <a class="collection-cover${c.cover_thumbnail_url ? "" : " is-empty"}" href="${libraryHref(c.id)}" tabindex="-1" aria-hidden="true">${cover}</a>
    <div class="collection-body">
      <h2 class="collection-name"><a href="${libraryHref(c.id)}" data-name>${c.name}</a></h2>
      <p class="collection-meta"><span data-count>${plural(c.asset_count, "asset")}</span> · <time datetime="${c.updated_at}" title="${fullTime(c.updated_at)}">updated ${relativeTime(c.updated_at)}</time></p>
      <p class="collection-desc" data-description${c.description ? "" : " hidden"}>${c.description}</p>
    </div>
    <div class="collection-actions">
      <button type="button" class="btn btn-sm btn-ghost" data-action="share" aria-label="Share ${c.name}" title="Share">${icon("share")}<span class="btn-label">Share</span></button>
      <button type="button" class="btn btn-sm btn-ghost" data-action="edit" aria-label="Rename ${c.name}" title="Rename or describe">${icon("edit")}<span class="btn-label">Rename</span></button>
      <button type="button" class="btn btn-sm btn-ghost btn-danger-ghost" data-action="delete" aria-label="Delete ${c.name}" title="Delete">${icon("trash")}<span class="btn-label">Delete</span></button>
    </div>
  </li>`);
}

function render() {
  collections.sort(byName);
  list.replaceChildren(...collections.map(card));
  list.hidden = collections.length === 0;
  empty.hidden = collections.length > 0;
  renderSidebar();
}

/** The sidebar's list of collections, kept in step with this page. */
function renderSidebar() {
  const nav = $("[data-nav-collections]");
  if (!nav) return;
  nav.innerHTML = collections.length
    ? collections.map((c) => html`<li><a class="nav-item" href="${libraryHref(c.id)}" data-collection-id="${c.id}">${icon("folder")}<span class="nav-label">${c.name}</span><span class="nav-count" aria-label="${c.asset_count} assets">${thousands(c.asset_count)}</span></a></li>`).join("")
    : '<li class="nav-empty">No collections yet</li>';
}

function collectionForm(c = null) {
  return element(html`<div class="stack">
    <div class="field">
      <label for="collection-name">Name</label>
      <input id="collection-name" name="name" maxlength="200" required value="${c ? c.name : ""}" placeholder="e.g. Q3 campaign" autofocus>
    </div>
    <div class="field">
      <label for="collection-description">Description <span class="field-optional">(optional)</span></label>
      <textarea id="collection-description" name="description" rows="3" maxlength="5000" placeholder="What it is for, who it is for…">${c ? c.description : ""}</textarea>
    </div>
  </div>`);
}

function readForm(form) {
  const name = form.elements.name.value.trim();
  if (!name) {
    form.elements.name.setAttribute("aria-invalid", "true");
    form.elements.name.focus();
    throw new Error("Give the collection a name.");
  }
  return { name, description: form.elements.description.value.trim() };
}

async function create() {
  const { done } = openDialog({
    title: "New collection",
    body: collectionForm(),
    submitLabel: "Create",
    onSubmit: async (form) => post("/api/v1/collections/", readForm(form)),
  });
  const created = await done;
  if (!created) return;
  collections.push(created);
  render();
  toast(`Collection “${created.name}” created`, {
    kind: "success",
    action: { label: "Add assets", onClick: () => { window.location.assign("/library/"); } },
  });
  list.querySelector(`[data-collection-id="${created.id}"] [data-name]`)?.focus();
}

async function edit(c) {
  const { done } = openDialog({
    title: "Rename collection",
    body: collectionForm(c),
    submitLabel: "Save",
    onSubmit: async (form) => patch(`/api/v1/collections/${c.id}/`, readForm(form)),
  });
  const fresh = await done;
  if (!fresh) return;
  Object.assign(c, fresh);
  render();
  toastSuccess("Collection saved");
  list.querySelector(`[data-collection-id="${c.id}"] [data-action="edit"]`)?.focus();
}

async function remove(c) {
  const ok = await confirmDialog({
    title: `Delete “${c.name}”?`,
    message: c.asset_count
      ? `The collection goes, but its ${plural(c.asset_count, "asset")} stay in your library. Its share links stop working.`
      : "The collection is empty. Its share links stop working.",
    confirmLabel: "Delete collection",
    confirmIcon: "trash",
    danger: true,
  });
  if (!ok) return;
  try {
    await del(`/api/v1/collections/${c.id}/`);
    collections = collections.filter((other) => other.id !== c.id);
    render();
    toastSuccess(`Collection “${c.name}” deleted; its assets are still in your library`);
  } catch (error) {
    toastError(`Couldn't delete “${c.name}”: ${error.message}`);
  }
}

async function share(c) {
  await openShareDialog({
    endpoint: `/api/v1/collections/${c.id}/share/`,
    title: `Share “${c.name}”`,
    intro: c.asset_count
      ? `Anyone with the link sees the ${plural(c.asset_count, "asset")} in this collection, and any you add later, without signing in. You can revoke it from Shares.`
      : "The collection is empty for now: the link shows what you add to it later. You can revoke it from Shares.",
  });
}

const ACTIONS = { share, edit, delete: remove };

root.addEventListener("click", (event) => {
  if (event.target.closest("[data-create]")) {
    create();
    return;
  }
  const button = event.target.closest("[data-action]");
  if (!button) return;
  const c = find(button.closest("[data-collection-id]").dataset.collectionId);
  if (c) ACTIONS[button.dataset.action]?.(c);
});

// A cover that cannot load (its file gone) shows the folder instead.
list.addEventListener("error", (event) => {
  const img = event.target;
  if (!(img instanceof HTMLImageElement)) return;
  img.closest(".collection-cover")?.classList.add("is-empty");
  img.replaceWith(element(icon("folder")));
}, true);

// Ready: the page answers clicks and keys (the browser tests wait for this).
document.documentElement.dataset.pageReady = "true";
