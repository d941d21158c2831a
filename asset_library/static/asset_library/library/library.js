// The library page. The server renders the first page; from then on this module keeps
// the URL, the results and the selection in step, talking to /api/v1/ only.

import { ApiError, del, get, patch, post } from "../api.js";
import { $, $$, copyText, debounce, element, isTyping } from "../dom.js";
import { confirmDialog } from "../dialog.js";
import { closePopover, isPopoverOpen } from "../popover.js";
import { progressToast, toast, toastError, toastSuccess } from "../toast.js";
import { displayTitle, plural, relativeTime, fullTime, thousands } from "../format.js";
import { openFilter } from "./filters.js";
import { bulkTagsDialog, collectionDialog, editAssetDialog, shareDialog } from "./dialogs.js";
import { stopIfDetached, togglePlay } from "./player.js";
import * as render from "./render.js";
import {
  DEFAULT_PAGE_SIZE, FILTER_KEYS, SEARCH_MODES, activeNav, activeTab, apiQuery, chipClearChanges, chipGroup, chips,
  clearFilterChanges, filterBody, hasFilters, heading, readParams, searchMode, tabChanges,
} from "./state.js";

const VIEW_KEY = "asset-library:view";
const VIEW_COOKIE = "library_view";
const SEARCH_DELAY = 300;
const JOB_POLL_EVERY = 700;
const UNDO_FOR = 8000;
const SORT_FIRST = render.SORTABLE_COLUMNS;

const config = JSON.parse(document.getElementById("library-config").textContent);
const REFRESH_EVERY = config.refresh_ms || 5000;
const root = $("[data-library]");
const ui = {
  heading: $("[data-heading]", root),
  tabs: $("[data-type-tabs]", root),
  bar: $("[data-results-bar]", root),
  filterBar: $("[data-filter-bar]", root),
  chips: $("[data-chips]", root),
  clearFilters: $("[data-chips] [data-clear-filters]", root),
  count: $("[data-count]", root),
  sort: $("[data-sort]", root),
  pageSize: $("[data-page-size]", root),
  selectionBar: $("[data-selection-bar]", root),
  selectionCount: $("[data-selection-count]", root),
  selectMatching: $("[data-select-matching]", root),
  selectPage: $("[data-select-page]", root),
  favoriteLabel: $("[data-favorite-label]", root),
  errors: $("[data-errors]", root),
  errorsText: $("[data-errors-text]", root),
  results: $("[data-results]", root),
  pagination: $("[data-pagination]", root),
  searchForm: $("[data-search-form]"),
  searchInput: $("[data-search-input]"),
  searchBy: $("[data-search-by]"),
  sidebar: $("#app-sidebar"),
};

const state = {
  params: readParams(),
  view: config.view,
  assets: config.assets,
  count: config.count,
  page: config.page,
  numPages: config.num_pages,
  pageSize: config.page_size,
  collections: config.collections,
  selection: new Set(),
  matching: false, // "all N matching": bulk actions send the filter instead of ids
  anchor: null, // the last asset clicked, for shift-click ranges
  request: null,
};
const cache = new Map(); // API URL -> Promise of its page, for prefetching the next page

// ---------- URL and loading ----------

function pageUrl(params) {
  const text = params.toString();
  return `${window.location.pathname}${text ? `?${text}` : ""}`;
}

function apiUrl(params) {
  const query = apiQuery(params);
  const text = query.toString();
  return `/api/v1/assets/${text ? `?${text}` : ""}`;
}

function hrefWith(changes) {
  const params = new URLSearchParams(state.params);
  Object.entries(changes).forEach(([key, value]) => {
    if (value === null || value === undefined || value === "") params.delete(key);
    else params.set(key, value);
  });
  if (params.get("page") === "1") params.delete("page");
  if (params.get("page_size") === String(DEFAULT_PAGE_SIZE)) params.delete("page_size");
  return params;
}

/** Change URL parameters (null removes one) and load what they describe. */
function navigate(changes, { replace = false } = {}) {
  const resetsPage = !("page" in changes);
  const params = hrefWith(resetsPage ? { ...changes, page: null } : changes);
  if (params.toString() === state.params.toString()) return;
  const filtersChanged = [...FILTER_KEYS, "tz", "ordering"].some((k) => params.get(k) !== state.params.get(k));
  if (filtersChanged) clearSelection();
  state.params = params;
  const url = pageUrl(params);
  if (replace) window.history.replaceState({ library: true }, "", url);
  else window.history.pushState({ library: true }, "", url);
  load({ scroll: "page" in changes });
}

function fetchPage(url, { fresh = false } = {}) {
  if (!fresh && cache.has(url)) return cache.get(url);
  const promise = get(url);
  cache.set(url, promise);
  promise.catch(() => cache.delete(url));
  if (cache.size > 8) cache.delete(cache.keys().next().value);
  return promise;
}

function prefetchNext() {
  if (state.page >= state.numPages) return;
  const params = new URLSearchParams(state.params);
  params.set("page", String(state.page + 1));
  fetchPage(apiUrl(params)).catch(() => {});
}

async function load({ scroll = false, quiet = false } = {}) {
  state.request?.abort();
  const request = new AbortController();
  state.request = request;
  const url = apiUrl(state.params);
  if (!quiet) {
    ui.results.style.minHeight = `${ui.results.offsetHeight}px`;
    ui.results.setAttribute("aria-busy", "true");
  }
  updateChrome();
  try {
    const data = await (quiet ? fetchPage(url, { fresh: true }) : fetchPage(url));
    if (request.signal.aborted) return;
    state.assets = data.results;
    state.count = data.count;
    state.pageSize = Number(state.params.get("page_size")) || DEFAULT_PAGE_SIZE;
    state.page = Number(state.params.get("page")) || 1;
    state.numPages = Math.max(1, Math.ceil(state.count / state.pageSize));
    showErrors(null);
    renderResults();
    updateChrome();
    if (scroll) scrollToResults();
    prefetchNext();
  } catch (error) {
    if (request.signal.aborted || error.name === "AbortError") return;
    cache.delete(url);
    if (error instanceof ApiError && error.status === 400 && error.data?.page && state.params.get("page")) {
      navigate({ page: null }, { replace: true }); // the page no longer exists (fewer results now)
      return;
    }
    showErrors(error);
    if (error instanceof ApiError && error.status === 400) {
      state.assets = [];
      state.count = 0;
      state.numPages = 1;
      renderResults();
    }
  } finally {
    if (state.request === request) {
      state.request = null;
      ui.results.setAttribute("aria-busy", "false");
      ui.results.style.minHeight = "";
    }
  }
}

function showErrors(error) {
  if (!error) {
    ui.errors.hidden = true;
    return;
  }
  ui.errorsText.textContent = error.message;
  ui.errors.hidden = false;
}

function scrollToResults() {
  const top = ui.bar.getBoundingClientRect().top;
  if (top < 0 || window.scrollY > ui.bar.offsetTop) window.scrollTo({ top: Math.max(0, root.offsetTop - 16) });
}

// ---------- Rendering ----------

function emptyKind() {
  return !hasFilters(state.params) && state.count === 0 ? "library" : "filters";
}

function renderResults() {
  const { results } = ui;
  results.classList.toggle("view-grid", state.view === "grid");
  results.classList.toggle("view-list", state.view === "list");
  let markup;
  if (state.assets.length) {
    markup = state.view === "list"
      ? render.table(state.assets, state.selection, state.params)
      : render.grid(state.assets, state.selection);
  } else if (!ui.errors.hidden && state.count === 0) {
    markup = "";
  } else {
    markup = render.empty(emptyKind());
  }
  results.innerHTML = String(markup);
  hydrate(results);
  stopIfDetached();
  renderPagination();
  updateSelectionUI();
  measureTable();
}

function renderPagination() {
  ui.pagination.hidden = state.count === 0;
  ui.pagination.innerHTML = String(render.pagination({
    page: state.page,
    numPages: state.numPages,
    count: state.count,
    pageSize: state.pageSize,
    hrefFor: (n) => pageUrl(hrefWith({ page: n === 1 ? null : String(n) })),
  }));
}

function updateChips() {
  chips(state.params, { modules: config.modules, collections: state.collections }).forEach((chip) => {
    const group = $(`[data-chip="${chip.key}"]`, ui.chips);
    if (!group) return;
    const fresh = element(chipGroup(chip));
    const button = $("[data-chip-button]", group);
    button.innerHTML = $("[data-chip-button]", fresh).innerHTML;
    group.classList.toggle("is-active", Boolean(chip.value));
    const clear = $("[data-chip-clear]", group);
    const freshClear = $("[data-chip-clear]", fresh);
    if (freshClear && !clear) group.append(freshClear);
    if (!freshClear && clear) clear.remove();
  });
}

/** Everything around the results that depends on the URL. */
function updateChrome() {
  const title = heading(state.params, state.collections);
  ui.heading.textContent = title;
  document.title = `${title} · Asset Library`;
  const tab = activeTab(state.params);
  $$("[data-tab]", ui.tabs).forEach((link) => {
    const active = link.dataset.tab === tab;
    link.classList.toggle("is-active", active);
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
    link.href = pageUrl(hrefWith({ ...tabChanges(link.dataset.tab), page: null }));
  });
  const nav = activeNav(state.params);
  $$("[data-nav-view]", ui.sidebar || document).forEach((link) => {
    const active = link.dataset.navView === nav;
    link.classList.toggle("is-active", active);
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  });
  updateChips();
  ui.clearFilters.hidden = !hasFilters(state.params);
  ui.count.textContent = plural(state.count, "asset");
  const ordering = state.params.get("ordering") || "";
  ui.sort.value = [...ui.sort.options].some((o) => o.value === ordering) ? ordering : "";
  ui.sort.options[0].textContent = state.params.get("q") ? "Relevance" : "Newest first";
  ui.pageSize.value = String(state.pageSize);
  if (ui.pageSize.value !== String(Number(state.params.get("page_size")) || DEFAULT_PAGE_SIZE)) {
    ui.pageSize.value = String(Number(state.params.get("page_size")) || DEFAULT_PAGE_SIZE);
  }
  $$("[data-view-button]", root).forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.viewButton === state.view)));
  syncSearchBox();
}

function syncSearchBox() {
  if (!ui.searchInput || document.activeElement === ui.searchInput) return;
  const mode = searchMode(state.params) || ui.searchBy?.value || "q";
  if (ui.searchBy) ui.searchBy.value = mode;
  ui.searchInput.name = mode;
  ui.searchInput.value = state.params.get(mode) || "";
}

/** Bring server- or script-rendered results to life: local times, skeletons, lazy video. */
function hydrate(scope) {
  const now = new Date();
  $$("time[datetime]", scope).forEach((node) => {
    node.textContent = relativeTime(node.dateTime, now);
    node.title = fullTime(node.dateTime);
  });
  $$("img.media-img", scope).forEach((img) => {
    const box = img.parentElement;
    if (img.complete) settleImage(img, box);
    else {
      img.addEventListener("load", () => settleImage(img, box), { once: true });
      img.addEventListener("error", () => settleImage(img, box), { once: true });
    }
  });
  $$("video[data-src]", scope).forEach((video) => videoObserver.observe(video));
}

function settleImage(img, box) {
  box.classList.remove("is-loading");
  if (img.naturalWidth) return;
  box.classList.add("is-broken");
  const type = box.closest("[data-type]")?.dataset.type || "file";
  if (box.classList.contains("card-media") && !$(".media-placeholder", box)) {
    box.prepend(element(`<div class="media-placeholder"><svg class="icon" aria-hidden="true"><use href="#i-${type}"></use></svg><span>No preview</span></div>`));
  }
}

const videoObserver = new IntersectionObserver((entries) => {
  entries.forEach((entry) => {
    if (!entry.isIntersecting) return;
    const video = entry.target;
    videoObserver.unobserve(video);
    const box = video.parentElement;
    const done = () => box.classList.remove("is-loading");
    video.addEventListener("loadeddata", done, { once: true });
    video.addEventListener("error", done, { once: true });
    video.preload = "metadata";
    video.src = video.dataset.src;
    video.removeAttribute("data-src");
  });
}, { rootMargin: "200px" });

/** The list's header row sticks right under the (sticky) results bar. */
function measureTable() {
  const top = ui.bar.getBoundingClientRect().height + (parseFloat(getComputedStyle(ui.bar).top) || 0);
  root.style.setProperty("--thead-top", `${Math.round(top)}px`);
}

function itemNode(id) {
  return ui.results.querySelector(`[data-id="${CSS.escape(id)}"]`);
}

function findAsset(id) {
  return state.assets.find((a) => a.id === id);
}

const FOCUSABLE_PARTS = [".card-link", ".row-link", "[data-fav]", "[data-edit]", "[data-select]", "[data-play]", "[data-copy-id]"];

/** Draw one asset again (after an edit or a status change), keeping focus where it was. */
function redraw(asset) {
  const node = itemNode(asset.id);
  if (!node) return;
  const focused = document.activeElement;
  const focusSelector = focused && node.contains(focused)
    ? FOCUSABLE_PARTS.find((selector) => focused.matches(selector))
    : null;
  const markup = state.view === "list"
    ? render.row(asset, { selected: isSelected(asset.id) })
    : render.card(asset, { selected: isSelected(asset.id) });
  const fresh = element(state.view === "list" ? `<table><tbody>${markup}</tbody></table>` : markup);
  const replacement = state.view === "list" ? fresh.querySelector("tr") : fresh;
  node.replaceWith(replacement);
  hydrate(replacement);
  if (focusSelector) $(focusSelector, replacement)?.focus({ preventScroll: true });
  updateSelectionUI();
}

// ---------- Selection ----------

function isSelected(id) {
  return state.matching || state.selection.has(id);
}

function selectedCount() {
  return state.matching ? state.count : state.selection.size;
}

function selectionBody() {
  return state.matching ? { filter: filterBody(state.params) } : { ids: [...state.selection] };
}

function clearSelection() {
  state.selection.clear();
  state.matching = false;
  state.anchor = null;
  updateSelectionUI();
}

function setSelected(id, selected) {
  if (state.matching) {
    // Leaving "all matching": keep this page's assets, minus the one unticked.
    state.matching = false;
    state.assets.forEach((a) => state.selection.add(a.id));
  }
  if (selected) state.selection.add(id);
  else state.selection.delete(id);
}

function toggleItem(id, { shift = false, value = null } = {}) {
  const selected = value ?? !isSelected(id);
  if (shift && state.anchor && state.anchor !== id) {
    const ids = state.assets.map((a) => a.id);
    const from = ids.indexOf(state.anchor);
    const to = ids.indexOf(id);
    if (from >= 0 && to >= 0) {
      ids.slice(Math.min(from, to), Math.max(from, to) + 1).forEach((each) => setSelected(each, selected));
    } else setSelected(id, selected);
  } else setSelected(id, selected);
  state.anchor = id;
  updateSelectionUI();
}

function updateSelectionUI() {
  const count = selectedCount();
  const any = count > 0;
  ui.results.classList.toggle("has-selection", any);
  $$("[data-id]", ui.results).forEach((node) => {
    const selected = isSelected(node.dataset.id);
    node.classList.toggle("is-selected", selected);
    const box = $("[data-select]", node);
    if (box) box.checked = selected;
  });
  ui.filterBar.hidden = any;
  ui.selectionBar.hidden = !any;
  ui.bar.classList.toggle("is-selecting", any);
  const onPage = state.assets.filter((a) => isSelected(a.id)).length;
  const allOnPage = state.assets.length > 0 && onPage === state.assets.length;
  ui.selectPage.checked = allOnPage;
  ui.selectPage.indeterminate = onPage > 0 && !allOnPage;
  ui.selectPage.disabled = state.assets.length === 0;
  ui.selectionCount.textContent = state.matching ? `All ${thousands(count)} selected` : `${thousands(count)} selected`;
  const offerMatching = !state.matching && allOnPage && state.count > state.assets.length;
  ui.selectMatching.hidden = !offerMatching;
  if (offerMatching) ui.selectMatching.textContent = `Select all ${thousands(state.count)} matching`;
  const allFavorite = state.assets.filter((a) => isSelected(a.id)).every((a) => a.is_favorite) && onPage > 0;
  const favoriteButton = ui.favoriteLabel.closest("button");
  ui.favoriteLabel.textContent = allFavorite ? "Unfavourite" : "Favourite";
  favoriteButton.setAttribute("aria-label", ui.favoriteLabel.textContent);
  favoriteButton.dataset.tip = ui.favoriteLabel.textContent;
  favoriteButton.dataset.value = allFavorite ? "false" : "true";
  measureTable();
}

// ---------- Single-asset actions (optimistic) ----------

async function toggleFavorite(id) {
  const asset = findAsset(id);
  if (!asset) return;
  const value = !asset.is_favorite;
  asset.is_favorite = value;
  redraw(asset);
  try {
    const fresh = value
      ? await post(`/api/v1/assets/${id}/favorite/`)
      : await del(`/api/v1/assets/${id}/favorite/`);
    Object.assign(asset, fresh || {});
    cache.clear();
  } catch (error) {
    asset.is_favorite = !value;
    redraw(asset);
    toastError(`Couldn't ${value ? "add" : "remove"} “${displayTitle(asset)}” ${value ? "to" : "from"} favourites: ${error.message}`);
  }
}

async function editAsset(id) {
  const asset = findAsset(id);
  if (!asset) return;
  const changes = await editAssetDialog(asset);
  if (!changes) return;
  const before = structuredClone(asset);
  const autoKept = new Set(changes.tags.map((t) => t.toLowerCase()));
  Object.assign(asset, changes, { auto_tags: (asset.auto_tags || []).filter((t) => autoKept.has(t.toLowerCase())) });
  redraw(asset);
  try {
    const fresh = await patch(`/api/v1/assets/${id}/`, changes);
    Object.assign(asset, fresh);
    redraw(asset);
    cache.clear();
    toastSuccess("Changes saved");
  } catch (error) {
    Object.keys(asset).forEach((key) => { if (!(key in before)) delete asset[key]; });
    Object.assign(asset, before);
    redraw(asset);
    toastError(`Couldn't save “${displayTitle(before)}”: ${error.message}`);
  }
}

// ---------- Bulk actions ----------

function removeFromPage(ids) {
  const gone = new Set(ids);
  const removed = state.assets.filter((a) => gone.has(a.id));
  state.assets = state.assets.filter((a) => !gone.has(a.id));
  state.count = Math.max(0, state.count - removed.length);
  return removed;
}

async function bulkDelete() {
  const count = selectedCount();
  const matching = state.matching;
  const days = config.trash_retention_days;
  const ok = await confirmDialog({
    title: count === 1 ? "Move 1 asset to the trash?" : `Move ${thousands(count)} assets to the trash?`,
    message: matching
      ? `Every asset matching these filters goes to the trash. You can restore them from the Trash for ${days} days.`
      : `You can undo this now, or restore them from the Trash for ${days} days.`,
    confirmLabel: count === 1 ? "Delete 1 asset" : `Delete ${thousands(count)} assets`,
    confirmIcon: "trash",
    danger: true,
  });
  if (!ok) return;
  const body = selectionBody();
  const snapshot = { assets: [...state.assets], count: state.count };
  const ids = matching ? state.assets.map((a) => a.id) : [...state.selection];
  ids.forEach((id) => itemNode(id)?.classList.add("is-removing"));
  removeFromPage(ids);
  clearSelection();
  setTimeout(() => { renderResults(); updateChrome(); }, 160);
  try {
    const result = await post("/api/v1/assets/bulk/delete/", body);
    cache.clear();
    const deleted = result.deleted ?? count;
    const message = `${plural(deleted, "asset")} moved to the trash`;
    if (matching && Array.isArray(result.ids)) {
      toast(message, { kind: "success", action: { label: "Undo", icon: "undo", onClick: () => undoDelete(result.ids) }, duration: UNDO_FOR });
    } else if (matching) {
      toast(message, { kind: "success", action: { label: "Open trash", onClick: () => { window.location.href = "/library/trash/"; } }, duration: UNDO_FOR });
    } else {
      toast(message, { kind: "success", action: { label: "Undo", icon: "undo", onClick: () => undoDelete(body.ids) }, duration: UNDO_FOR });
    }
    refreshCollections();
    load({ quiet: true });
  } catch (error) {
    state.assets = snapshot.assets;
    state.count = snapshot.count;
    if (!matching) ids.forEach((id) => state.selection.add(id));
    else state.matching = true;
    renderResults();
    updateChrome();
    toastError(`Couldn't delete: ${error.message}`);
  }
}

async function undoDelete(ids) {
  try {
    const result = await post("/api/v1/assets/bulk/restore/", { ids });
    cache.clear();
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
  touched.forEach((a) => { a.is_favorite = value; redraw(a); });
  try {
    const result = await post("/api/v1/assets/bulk/update/", { ...body, is_favorite: value });
    cache.clear();
    toastSuccess(`${plural(result.updated, "asset")} ${value ? "added to" : "removed from"} favourites`);
  } catch (error) {
    touched.forEach((a) => { a.is_favorite = !value; redraw(a); });
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
    cache.clear();
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
    cache.clear();
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

async function bulkShare() {
  const link = await shareDialog({ count: selectedCount(), selection: selectionBody() });
  if (link) {
    cache.clear();
    load({ quiet: true });
  }
}

const BULK = {
  download: bulkDownload,
  share: bulkShare,
  tags: bulkTags,
  collection: bulkCollection,
  favorite: (button) => bulkFavorite(button.dataset.value !== "false"),
  delete: bulkDelete,
};

// ---------- Collections in the sidebar ----------

async function refreshCollections() {
  try {
    const data = await get("/api/v1/collections/", { params: { page_size: 200 } });
    state.collections = (data.results || []).map((c) => ({ id: c.id, name: c.name, asset_count: c.asset_count }));
  } catch {
    return;
  }
  const list = $("[data-nav-collections]");
  if (list) {
    const current = activeNav(state.params);
    list.innerHTML = state.collections.length
      ? state.collections.map((c) => {
        const key = `collection:${c.id}`;
        const active = key === current;
        return `<li><a class="nav-item${active ? " is-active" : ""}" href="/library/?collection=${encodeURIComponent(c.id)}" data-nav-view="${key}" data-collection-id="${c.id}"${active ? ' aria-current="page"' : ""}><svg class="icon" aria-hidden="true" focusable="false"><use href="#i-folder"></use></svg><span class="nav-label"></span><span class="nav-count" aria-label="${c.asset_count} assets">${thousands(c.asset_count)}</span></a></li>`;
      }).join("")
      : '<li class="nav-empty">No collections yet</li>';
    $$(".nav-label", list).forEach((label, i) => { label.textContent = state.collections[i].name; });
  }
  updateChrome();
}

// ---------- Keeping processing assets fresh ----------

async function refreshInFlight() {
  if (document.hidden || state.request || document.querySelector("dialog[open]")) return;
  if (!state.assets.some((a) => a.status === "pending" || a.status === "processing")) return;
  try {
    const data = await get(apiUrl(state.params));
    if (state.request) return;
    let changed = false;
    data.results.forEach((fresh) => {
      const asset = findAsset(fresh.id);
      if (!asset || (asset.status === fresh.status && asset.updated_at === fresh.updated_at)) return;
      Object.assign(asset, fresh);
      redraw(asset);
      changed = true;
    });
    if (changed) cache.clear();
  } catch {
    // The next round tries again.
  }
}

// ---------- Keyboard ----------

function mainLink(node) {
  return $(".card-link, .row-link", node);
}

function moveFocus(from, key) {
  const items = $$("[data-id]", ui.results);
  const index = items.indexOf(from);
  if (index < 0) return;
  let target = null;
  if (key === "ArrowRight" || (state.view === "list" && key === "ArrowDown")) target = items[index + 1];
  else if (key === "ArrowLeft" || (state.view === "list" && key === "ArrowUp")) target = items[index - 1];
  else {
    const rect = from.getBoundingClientRect();
    const centre = rect.left + rect.width / 2;
    const candidates = items.filter((item) => {
      const r = item.getBoundingClientRect();
      return key === "ArrowDown" ? r.top > rect.bottom - 1 : r.bottom < rect.top + 1;
    });
    const rowTop = key === "ArrowDown"
      ? Math.min(...candidates.map((i) => i.getBoundingClientRect().top))
      : Math.max(...candidates.map((i) => i.getBoundingClientRect().top));
    const row = candidates.filter((i) => Math.abs(i.getBoundingClientRect().top - rowTop) < 2);
    target = row.sort((a, b) => {
      const da = Math.abs(a.getBoundingClientRect().left + a.offsetWidth / 2 - centre);
      const db = Math.abs(b.getBoundingClientRect().left + b.offsetWidth / 2 - centre);
      return da - db;
    })[0];
  }
  if (target) {
    const link = mainLink(target);
    link?.focus();
    target.scrollIntoView({ block: "nearest" });
  }
}

function onResultsKey(event) {
  const item = event.target.closest?.("[data-id]");
  if (!item || event.altKey || event.ctrlKey || event.metaKey) return;
  if (["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp"].includes(event.key)) {
    if (isTyping(event.target)) return;
    event.preventDefault();
    moveFocus(item, event.key);
  } else if (event.key === " " && event.target.matches(".card-link, .row-link")) {
    event.preventDefault();
    toggleItem(item.dataset.id, { shift: event.shiftKey });
  }
}

function onGlobalKey(event) {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  if (document.querySelector("dialog[open]") || isPopoverOpen()) return;
  if (selectedCount() > 0 && !isTyping(event.target)) {
    clearSelection();
  }
}

// ---------- Events ----------

function setView(view) {
  if (view === state.view) return;
  state.view = view;
  try { localStorage.setItem(VIEW_KEY, view); } catch { /* private mode */ }
  document.cookie = `${VIEW_COOKIE}=${view}; path=/; max-age=31536000; samesite=lax`;
  const params = hrefWith({ view });
  state.params = params;
  window.history.replaceState({ library: true }, "", pageUrl(params));
  renderResults();
  updateChrome();
}

let labelShift = false; // a click on a checkbox's label reaches the checkbox without its modifier keys

function onResultsClick(event) {
  const target = event.target;
  const item = target.closest("[data-id]");
  const box = target.closest("[data-select]");
  if (box && item) {
    // Read the new checked state; shift extends from the last one clicked.
    toggleItem(item.dataset.id, { shift: event.shiftKey || labelShift, value: box.checked });
    labelShift = false;
    return;
  }
  if (target.closest(".card-check")) {
    labelShift = event.shiftKey;
    return;
  }
  const fav = target.closest("[data-fav]");
  if (fav && item) { event.preventDefault(); toggleFavorite(item.dataset.id); return; }
  const edit = target.closest("[data-edit]");
  if (edit && item) { event.preventDefault(); editAsset(item.dataset.id); return; }
  const play = target.closest("[data-play]");
  if (play && item) {
    event.preventDefault();
    const asset = findAsset(item.dataset.id);
    if (asset?.file_url) togglePlay(play, asset.file_url);
    return;
  }
  const copy = target.closest("[data-copy-id]");
  if (copy) {
    event.preventDefault();
    copyText(copy.dataset.copyId).then((ok) => toast(ok ? "ID copied" : "Couldn't copy the ID", { duration: 2000 }));
    return;
  }
  const sortButton = target.closest("[data-sort-column]");
  if (sortButton) {
    const column = sortButton.dataset.sortColumn;
    const current = state.params.get("ordering") || (state.params.get("q") ? "" : "-created_at");
    let ordering;
    if (current === column) ordering = `-${column}`;
    else if (current === `-${column}`) ordering = column;
    else ordering = `${SORT_FIRST[column]}${column}`;
    navigate({ ordering: ordering === "-created_at" ? null : ordering });
    return;
  }
  if (target.closest("[data-clear-filters]")) {
    event.preventDefault();
    navigate(clearFilterChanges());
    return;
  }
  // Shift-click on a card or row selects a range instead of opening the asset.
  if (item && event.shiftKey) {
    event.preventDefault();
    toggleItem(item.dataset.id, { shift: true });
  }
}

function bindSearch() {
  if (!ui.searchForm) return;
  const run = debounce(() => {
    const mode = ui.searchBy?.value || "q";
    const changes = Object.fromEntries(SEARCH_MODES.map((m) => [m, null]));
    changes[mode] = ui.searchInput.value.trim() || null;
    navigate(changes, { replace: true });
  }, SEARCH_DELAY);
  ui.searchInput.addEventListener("input", run);
  ui.searchBy?.addEventListener("change", () => {
    if (ui.searchInput.value.trim()) { run(); run.flush(); }
    ui.searchInput.focus();
  });
  ui.searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
    run.flush();
  });
}

function bind() {
  bindSearch();
  ui.results.addEventListener("click", onResultsClick);
  ui.results.addEventListener("keydown", onResultsKey);
  document.addEventListener("keydown", onGlobalKey);

  ui.tabs.addEventListener("click", (event) => {
    const link = event.target.closest("[data-tab]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    navigate(tabChanges(link.dataset.tab));
  });
  ui.sidebar?.addEventListener("click", (event) => {
    const link = event.target.closest("[data-nav-view]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    // A sidebar view starts from its own filters, keeping how results are shown.
    const wanted = readParams(new URL(link.href).search);
    const changes = clearFilterChanges();
    wanted.forEach((value, key) => { changes[key] = value; });
    navigate(changes);
  });
  ui.chips.addEventListener("click", (event) => {
    const clear = event.target.closest("[data-chip-clear]");
    const group = event.target.closest("[data-chip]");
    if (clear && group) {
      closePopover();
      navigate(chipClearChanges(group.dataset.chip));
      $("[data-chip-button]", group)?.focus();
      return;
    }
    if (event.target.closest("[data-clear-filters]")) {
      event.preventDefault();
      closePopover();
      navigate(clearFilterChanges());
      return;
    }
    const button = event.target.closest("[data-chip-button]");
    if (button && group) {
      if (button.getAttribute("aria-expanded") === "true") { closePopover(); return; }
      openFilter(group.dataset.chip, button, {
        params: state.params,
        apply: (changes) => navigate(changes),
        modules: config.modules,
        collections: state.collections,
      });
    }
  });
  ui.sort.addEventListener("change", () => navigate({ ordering: ui.sort.value || null }));
  ui.pageSize.addEventListener("change", () => navigate({ page_size: ui.pageSize.value }));
  $$("[data-view-button]", root).forEach((b) => b.addEventListener("click", () => setView(b.dataset.viewButton)));
  ui.pagination.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-page]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const page = Number(link.dataset.page);
    navigate({ page: page === 1 ? null : String(page) });
  });
  ui.selectPage.addEventListener("change", () => {
    const select = ui.selectPage.checked;
    if (!select) clearSelection();
    else {
      state.assets.forEach((a) => state.selection.add(a.id));
      updateSelectionUI();
    }
  });
  ui.selectMatching.addEventListener("click", () => {
    state.matching = true;
    updateSelectionUI();
  });
  $("[data-selection-clear]", root).addEventListener("click", () => {
    clearSelection();
    ui.selectPage.focus();
  });
  $$("[data-bulk]", root).forEach((button) => button.addEventListener("click", () => BULK[button.dataset.bulk](button)));
  window.addEventListener("popstate", () => {
    state.params = readParams();
    const view = state.params.get("view");
    if (view === "grid" || view === "list") state.view = view;
    clearSelection();
    closePopover();
    load();
  });
  new ResizeObserver(measureTable).observe(ui.bar);
  const sentinel = document.createElement("div");
  sentinel.setAttribute("aria-hidden", "true");
  ui.bar.before(sentinel);
  new IntersectionObserver(([entry]) => ui.bar.classList.toggle("is-stuck", !entry.isIntersecting), {
    rootMargin: `-${parseFloat(getComputedStyle(ui.bar).top) || 0}px 0px 0px 0px`,
  }).observe(sentinel);
  setInterval(refreshInFlight, REFRESH_EVERY);
  setInterval(() => {
    const now = new Date();
    $$("time[datetime]", ui.results).forEach((node) => { node.textContent = relativeTime(node.dateTime, now); });
  }, 60_000);
}

function start() {
  window.history.replaceState({ library: true }, "", window.location.href);
  // The view: the URL wins, then this browser's last choice (the server used the cookie).
  let stored = null;
  try { stored = localStorage.getItem(VIEW_KEY); } catch { stored = null; }
  const fromUrl = state.params.get("view");
  if (!fromUrl && (stored === "grid" || stored === "list") && stored !== state.view) {
    state.view = stored;
    renderResults();
  } else {
    hydrate(ui.results);
  }
  if (fromUrl) {
    try { localStorage.setItem(VIEW_KEY, state.view); } catch { /* private mode */ }
    document.cookie = `${VIEW_COOKIE}=${state.view}; path=/; max-age=31536000; samesite=lax`;
  }
  if (config.errors && Object.keys(config.errors).length) {
    ui.errors.hidden = false;
  }
  bind();
  updateChrome();
  updateSelectionUI();
  measureTable();
  prefetchNext();
}

start();
