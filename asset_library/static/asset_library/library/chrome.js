// What surrounds the library's results and follows the URL. The server renders it for the
// first load; after that the URL changes in the page, so this keeps it in step.

import { $, $$, element } from "../dom.js";
import {
  DEFAULT_PAGE_SIZE, activeNav, activeTab, chipGroup, chips, hasFilters, heading, searchMode, tabChanges,
} from "./state.js";

function updateChips({ ui, state, config }) {
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

/** Everything around the results that depends on the URL: heading, tabs, sidebar, chips,
 * sort, page size, view buttons and the search box. */
export function showChrome({ root, ui, state, config, hrefFor }) {
  const title = heading(state.params, state.collections);
  ui.heading.textContent = title;
  document.title = `${title} · Asset Library`;
  const tab = activeTab(state.params);
  $$("[data-tab]", ui.tabs).forEach((link) => {
    const active = link.dataset.tab === tab;
    link.classList.toggle("is-active", active);
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
    link.href = hrefFor({ ...tabChanges(link.dataset.tab), page: null });
  });
  const nav = activeNav(state.params);
  $$("[data-nav-view]", ui.sidebar || document).forEach((link) => {
    const active = link.dataset.navView === nav;
    link.classList.toggle("is-active", active);
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  });
  updateChips({ ui, state, config });
  ui.clearFilters.hidden = !hasFilters(state.params);
  const ordering = state.params.get("ordering") || "";
  ui.sort.value = [...ui.sort.options].some((o) => o.value === ordering) ? ordering : "";
  ui.sort.options[0].textContent = state.params.get("q") ? "Relevance" : "Newest first";
  ui.pageSize.value = String(state.pageSize);
  if (ui.pageSize.value !== String(Number(state.params.get("page_size")) || DEFAULT_PAGE_SIZE)) {
    ui.pageSize.value = String(Number(state.params.get("page_size")) || DEFAULT_PAGE_SIZE);
  }
  $$("[data-view-button]", root).forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.viewButton === state.view)));
  syncSearchBox({ ui, state });
}

function syncSearchBox({ ui, state }) {
  if (!ui.searchInput || document.activeElement === ui.searchInput) return;
  const mode = searchMode(state.params) || ui.searchBy?.value || "q";
  if (ui.searchBy) ui.searchBy.value = mode;
  ui.searchInput.name = mode;
  ui.searchInput.value = state.params.get(mode) || "";
}
