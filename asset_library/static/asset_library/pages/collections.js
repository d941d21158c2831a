// The collections page: create, rename and describe, delete (assets are kept) and share.
// After each change the server renders the list and the sidebar again
// (library:collections-fragment); nothing is drawn here.

import { del, patch, post } from "../api.js";
import { $, element, html, icon } from "../dom.js";
import { confirmDialog, openDialog, requiredText } from "../dialog.js";
import { toast, toastError, toastSuccess } from "../toast.js";
import { plural } from "../format.js";
import { refreshFrom } from "../partials.js";
import { openShareDialog } from "./share-dialog.js";
import { openPeopleDialog } from "../people-dialog.js";

const root = $("[data-collections-page]");
const readConfig = () => JSON.parse(document.getElementById("page-config").textContent);
const config = readConfig();
let collections = config.collections;

const find = (id) => collections.find((c) => c.id === id);

/** The list and the sidebar as the server has them now. */
async function refresh() {
  await refreshFrom(config.fragment_url);
  collections = readConfig().collections;
}

const listItem = (id, selector) => $(`[data-collection-list] [data-collection-id="${CSS.escape(id)}"] ${selector}`, root);

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
  const name = requiredText(form.elements.name, "Give the collection a name.");
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
  await refresh();
  toast(`Collection “${created.name}” created`, {
    kind: "success",
    action: { label: "Add assets", onClick: () => { window.location.assign(config.library_url); } },
  });
  listItem(created.id, "[data-name]")?.focus();
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
  await refresh();
  toastSuccess("Collection saved");
  listItem(c.id, '[data-action="edit"]')?.focus();
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
    await refresh();
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

const people = (c) => openPeopleDialog(c, config.library_url);

const ACTIONS = { share, edit, delete: remove, members: people };

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
root.addEventListener("error", (event) => {
  const img = event.target;
  if (!(img instanceof HTMLImageElement)) return;
  img.closest(".collection-cover")?.classList.add("is-empty");
  img.replaceWith(element(icon("folder")));
}, true);

// Ready: the page answers clicks and keys (the browser tests wait for this).
document.documentElement.dataset.pageReady = "true";
