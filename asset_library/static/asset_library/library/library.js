// The library page. The server renders the results (the whole page first, then
// library:results for each new URL, swapped in by results.js); this module keeps the URL,
// the results and the selection in step, and changes data through /api/v1/.

import { del, patch, post } from "../api.js";
import { $, $$, copyText, debounce, isTyping } from "../dom.js";
import { closePopover, isPopoverOpen } from "../popover.js";
import { toast, toastError, toastSuccess } from "../toast.js";
import { openFilter } from "./filters.js";
import { bulkActions } from "./bulk.js";
import { showChrome, showControls, showCurrentNav } from "./chrome.js";
import { editAssetDialog } from "./dialogs.js";
import { openPeopleDialog } from "../people-dialog.js";
import { stopIfDetached, togglePlay } from "./player.js";
import { createSelection } from "./selection.js";
import { fetchHtml, parse, swapParts } from "../partials.js";
import { fetchResults, forgetResults, hydrate, moveFocus, replaceItem, resultsData } from "./results.js";
import { ALL_KEYS, DEFAULT_PAGE_SIZE, FILTER_KEYS, SEARCH_MODES, clearFilterChanges, readParams } from "./state.js";

const VIEW_KEY = "asset-library:view";
const VIEW_COOKIE = "library_view";
const SEARCH_DELAY = 300;

const config = JSON.parse(document.getElementById("library-config").textContent);
const REFRESH_EVERY = config.refresh_ms || 5000;
const root = $("[data-library]");
/** What the results on screen allow: the caller's role, and whether they are a collection's. */
function markScope(data) {
  root.dataset.role = data.role;
  if (data.collection) root.dataset.collection = data.collection;
  else delete root.dataset.collection;
}
markScope(resultsData());
const RESULTS_URL = root.dataset.resultsUrl;
const firstResults = resultsData();
const ui = {
  heading: $("[data-heading]", root),
  tabs: $("[data-type-tabs]", root),
  bar: $("[data-results-bar]", root),
  filterBar: $("[data-filter-bar]", root),
  chips: $("[data-chips]", root),
  count: $("[data-count]", root),
  sort: $("[data-sort]", root),
  pageSize: $("[data-page-size]", root),
  selectionBar: $("[data-selection-bar]", root),
  selectionCount: $("[data-selection-count]", root),
  selectMatching: $("[data-select-matching]", root),
  selectPage: $("[data-select-page]", root),
  favoriteLabel: $("[data-favorite-label]", root),
  errors: $("[data-errors]", root),
  results: $("[data-results]", root),
  pagination: $("[data-pagination]", root),
  searchForm: $("[data-search-form]"),
  searchInput: $("[data-search-input]"),
  searchBy: $("[data-search-by]"),
  sidebar: $("#app-sidebar"),
};

const state = {
  params: readParams(),
  renderedParams: readParams(), // the URL the heading, tabs and chips on screen were made for
  view: firstResults.view,
  assets: firstResults.assets, // what the actions need to know (never to render)
  count: firstResults.count,
  countExact: firstResults.count_exact, // false: `count` is a lower bound ("10,000+")
  correctedQ: firstResults.corrected_q, // the spelling the results are for, when corrected
  unusedCost: firstResults.unused_cost, // never-used assets (used=false): what they cost
  page: firstResults.page,
  numPages: firstResults.num_pages,
  pageSize: firstResults.page_size,
  collections: config.collections,
  selection: new Set(),
  matching: false, // "all N matching": bulk actions send the filter instead of ids
  anchor: null, // the last asset clicked, for shift-click ranges
  request: null,
};

const { isSelected, selectedCount, selectionBody, clearSelection, toggleItem, updateSelectionUI } = createSelection({
  state, ui, onChange: () => measureTable(),
});

// ---------- URL and loading ----------

function pageUrl(params) {
  const text = params.toString();
  return `${window.location.pathname}${text ? `?${text}` : ""}`;
}

function resultsUrl(params) {
  const text = params.toString();
  return `${RESULTS_URL}${text ? `?${text}` : ""}`;
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

/** Follow a link the server made for the page (a tab, a chip's clear button, "Clear
 * filters"): what it changes from the URL it was made for is applied to the URL now (the
 * two differ while newer results are on their way). */
function navigateTo(href) {
  const wanted = readParams(new URL(href, window.location.href).search);
  const changes = {};
  ALL_KEYS.filter((key) => key !== "page").forEach((key) => {
    if (wanted.get(key) !== state.renderedParams.get(key)) changes[key] = wanted.get(key);
  });
  navigate(changes);
}

function prefetchNext() {
  if (state.page >= state.numPages) return;
  const params = new URLSearchParams(state.params);
  params.set("page", String(state.page + 1));
  fetchResults(resultsUrl(params)).catch(() => {});
}

async function load({ scroll = false, quiet = false } = {}) {
  state.request?.abort();
  const request = new AbortController();
  state.request = request;
  const url = resultsUrl(state.params);
  if (!quiet) {
    ui.results.style.minHeight = `${ui.results.offsetHeight}px`;
    ui.results.setAttribute("aria-busy", "true");
  }
  updateControls();
  try {
    const fragment = parse(await fetchResults(url, { fresh: quiet }));
    if (request.signal.aborted) return;
    showResults(fragment);
    if (scroll) scrollToResults();
    prefetchNext();
  } catch (error) {
    if (request.signal.aborted || error.name === "AbortError") return;
    forgetResults(url);
    showErrors(error);
  } finally {
    if (state.request === request) {
      state.request = null;
      ui.results.setAttribute("aria-busy", "false");
      ui.results.style.minHeight = "";
    }
  }
}

/** Swap in the server's results (cards or rows, pagination, count, errors). */
function showResults(fragment) {
  const data = resultsData(fragment);
  swapParts(fragment, root);
  markScope(data); // a shared collection offers only what the role allows
  Object.assign(state, {
    assets: data.assets, count: data.count, countExact: data.count_exact, correctedQ: data.corrected_q,
    unusedCost: data.unused_cost, page: data.page, numPages: data.num_pages, pageSize: data.page_size,
  });
  if (state.page !== (Number(state.params.get("page")) || 1)) {
    // Fewer results than the URL's page: the server showed the last page.
    state.params = hrefWith({ page: state.page === 1 ? null : String(state.page) });
    window.history.replaceState({ library: true }, "", pageUrl(state.params));
  }
  hydrate(ui.results);
  stopIfDetached();
  showChrome(fragment, { ui, state });
  updateControls();
  updateSelectionUI();
}

function showErrors(error) {
  if (!error) {
    ui.errors.hidden = true;
    return;
  }
  $("[data-errors-text]", ui.errors).textContent = error.message;
  ui.errors.hidden = false;
}

/** Back to the first results when the reader had scrolled past them (the results bar is
 * sticky: its own position cannot tell, the results' top under it can). */
function scrollToResults() {
  if (ui.results.getBoundingClientRect().top < ui.bar.getBoundingClientRect().bottom) {
    window.scrollTo({ top: Math.max(0, root.offsetTop - 16) });
  }
}

// ---------- Around the results ----------

function updateControls() {
  showControls({ root, ui, state });
}

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

/** Fetch the results again and replace the cards or rows that changed (all of `ids`). */
async function refreshItems(ids = null) {
  const fragment = parse(await fetchResults(resultsUrl(state.params), { fresh: true }));
  const fresh = new Map(resultsData(fragment).assets.map((a) => [a.id, a]));
  const wanted = ids && new Set(ids);
  let changed = false;
  $$("[data-id]", fragment).forEach((item) => {
    const node = itemNode(item.dataset.id);
    if (!node || !(wanted ? wanted.has(item.dataset.id)
      : node.dataset.status !== item.dataset.status || node.dataset.updated !== item.dataset.updated)) return;
    replaceItem(node, item);
    Object.assign(findAsset(item.dataset.id) || {}, fresh.get(item.dataset.id));
    changed = true;
  });
  updateSelectionUI();
  return changed;
}

/** A favourite star as the user just set it, before the server has answered. */
function showFavorite(id, value) {
  const node = itemNode(id);
  if (!node) return;
  node.classList.toggle("is-favorite", value);
  const star = $("[data-fav]", node);
  if (!star) return; // another's asset (in a shared collection) has no star to set
  star.setAttribute("aria-pressed", String(value));
  star.title = value ? "Remove from favourites" : "Add to favourites";
}

// ---------- Single-asset actions (optimistic) ----------

async function toggleFavorite(id) {
  const asset = findAsset(id);
  if (!asset) return;
  const value = !asset.is_favorite;
  asset.is_favorite = value;
  showFavorite(id, value);
  updateSelectionUI();
  try {
    const fresh = value
      ? await post(`/api/v1/assets/${id}/favorite/`)
      : await del(`/api/v1/assets/${id}/favorite/`);
    Object.assign(asset, fresh || {});
    forgetResults();
  } catch (error) {
    asset.is_favorite = !value;
    showFavorite(id, !value);
    updateSelectionUI();
    toastError(`Couldn't ${value ? "add" : "remove"} “${asset.display_title}” ${value ? "to" : "from"} favourites: ${error.message}`);
  }
}

async function editAsset(id) {
  const asset = findAsset(id);
  if (!asset) return;
  const changes = await editAssetDialog(asset);
  if (!changes) return;
  try {
    await patch(`/api/v1/assets/${id}/`, changes);
  } catch (error) {
    toastError(`Couldn't save “${asset.display_title}”: ${error.message}`);
    return;
  }
  forgetResults();
  toastSuccess("Changes saved");
  await refreshItems([id]).catch(() => load({ quiet: true }));
}

// ---------- Collections in the sidebar ----------

async function refreshCollections() {
  try {
    swapParts(parse(await fetchHtml(config.nav_collections_url)), document);
  } catch {
    return;
  }
  state.collections = $$("[data-nav-collections] [data-collection-id]").map((link) => ({
    id: link.dataset.collectionId, name: $(".nav-label", link).textContent, asset_count: Number(link.dataset.assetCount),
  }));
  showCurrentNav(ui.sidebar?.dataset.current ?? "", ui);
  // A collection's view names it: its heading and chip come with fresh results.
  if (state.params.get("collection")) load({ quiet: true });
}

const BULK = bulkActions({
  state, ui, config, selectedCount, selectionBody, isSelected, clearSelection, updateSelectionUI, load, navigate,
  itemNode, showFavorite, refreshCollections,
});

// ---------- Keeping processing assets fresh ----------

async function refreshInFlight() {
  if (document.hidden || state.request || document.querySelector("dialog[open]")) return;
  if (!$('[data-status="pending"], [data-status="processing"]', ui.results)) return;
  try {
    if (await refreshItems()) forgetResults();
  } catch {
    // The next round tries again.
  }
}

// ---------- Keyboard ----------

function onResultsKey(event) {
  const item = event.target.closest?.("[data-id]");
  if (!item || event.altKey || event.ctrlKey || event.metaKey) return;
  if (["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp"].includes(event.key)) {
    if (isTyping(event.target)) return;
    event.preventDefault();
    moveFocus($$("[data-id]", ui.results), item, event.key, state.view);
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

function rememberView() {
  try { localStorage.setItem(VIEW_KEY, state.view); } catch { /* private mode */ }
  document.cookie = `${VIEW_COOKIE}=${state.view}; path=/; max-age=31536000; samesite=lax`;
}

function setView(view) {
  if (view === state.view) return;
  state.view = view;
  rememberView();
  const params = hrefWith({ view });
  state.params = params;
  window.history.replaceState({ library: true }, "", pageUrl(params));
  load();
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
    navigate({ ordering: sortButton.dataset.nextOrdering || null }); // the server says which
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
    navigateTo(link.href);
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
      navigateTo(clear.dataset.clearHref);
      $("[data-chip-button]", group)?.focus();
      return;
    }
    if (event.target.closest("[data-clear-filters]")) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      closePopover();
      navigate(clearFilterChanges()); // every filter, whatever the URL is by now
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
        shared: config.shared_collections || [],
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
}

function start() {
  window.history.replaceState({ library: true }, "", window.location.href);
  // The view: the URL wins, then this browser's last choice (the server used the cookie).
  let stored;
  try { stored = localStorage.getItem(VIEW_KEY); } catch { stored = null; }
  const fromUrl = state.params.get("view");
  if (!fromUrl && (stored === "grid" || stored === "list") && stored !== state.view) {
    state.view = stored;
    rememberView();
    load(); // the server renders the results in this view (it reads the cookie)
  } else {
    hydrate(ui.results);
  }
  if (fromUrl) rememberView();
  // `select=all` (the statistics' cleanup link): every matching asset arrives selected, for
  // review; the parameter leaves the URL, so that reloading does not select again.
  const address = new URL(window.location.href);
  if (address.searchParams.get("select") === "all") {
    address.searchParams.delete("select");
    window.history.replaceState({ library: true }, "", address);
    if (state.count > 0) state.matching = true;
  }
  bind();
  showCurrentNav(ui.sidebar?.querySelector("[data-nav-view].is-active")?.dataset.navView ?? "", ui);
  updateControls();
  updateSelectionUI();
  measureTable();
  prefetchNext();
}

start();

// A collection's view: who it is shared with, and its activity (its heading's button).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-collection-people]");
  if (!button) return;
  openPeopleDialog({ id: button.dataset.collectionPeople, name: button.dataset.collectionName }, config.library_url);
});
