// What surrounds the library's results. The heading, tabs, filter chips (with the links
// that clear them), the sidebar's current entry and the sort menu's first choice come
// from the server with each page of results (templates/library/_results.html); the
// controls that only mirror the URL (sort, page size, view, search box) are set here.

import { $, $$, morph } from "../dom.js";
import { DEFAULT_PAGE_SIZE, searchMode } from "./state.js";

/** Bring the heading, tabs and chips in step with the server's rendering for this URL,
 * keeping the elements that stay (and so the focus). */
export function showChrome(fragment, { ui, state }) {
  const chrome = $("template[data-chrome]", fragment);
  if (!chrome) return;
  const open = $$('[aria-expanded="true"]', ui.chips); // a chip whose popover is open stays so
  $$("[data-swap]", chrome.content).forEach((fresh) => {
    const current = $(`[data-swap="${fresh.dataset.swap}"]`);
    if (current) morph(current, fresh);
  });
  open.forEach((button) => button.setAttribute("aria-expanded", "true"));
  state.renderedParams = new URLSearchParams(chrome.dataset.query);
  document.title = `${ui.heading.textContent} · Asset Library`;
  ui.sort.options[0].textContent = chrome.dataset.firstSort;
  showCurrentNav(chrome.dataset.navActive, ui);
}

/** Highlight the sidebar entry `current` (a data-nav-view value; "" for none). */
export function showCurrentNav(current, ui) {
  $$("[data-nav-view]", ui.sidebar || document).forEach((link) => {
    const active = link.dataset.navView === current;
    link.classList.toggle("is-active", active);
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  });
  ui.sidebar?.setAttribute("data-current", current);
}

/** The controls that show the URL as it is: sort, page size, view buttons, search box. */
export function showControls({ root, ui, state }) {
  const ordering = state.params.get("ordering") || "";
  ui.sort.value = [...ui.sort.options].some((o) => o.value === ordering) ? ordering : "";
  ui.pageSize.value = String(Number(state.params.get("page_size")) || state.pageSize || DEFAULT_PAGE_SIZE);
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
