// The library's selection: ticked cards, shift-click ranges, "all N matching", and the
// toolbar that replaces the filter bar while anything is selected.

import { $, $$ } from "../dom.js";
import { thousands } from "../format.js";
import { filterBody } from "./state.js";

/** Selection helpers over the page's `state` and `ui`; `onChange` runs after each redraw. */
export function createSelection({ state, ui, onChange }) {
  function isSelected(id) {
    return state.matching || state.selection.has(id);
  }

  function selectedCount() {
    return state.matching ? state.count : state.selection.size;
  }

  function selectionBody() {
    if (!state.matching) return { ids: [...state.selection] };
    // What is on screen: a corrected spelling's results act as that spelling.
    const filter = filterBody(state.params);
    if (state.correctedQ) filter.q = state.correctedQ;
    return { filter };
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
    const shown = `${thousands(count)}${state.matching && state.countExact === false ? "+" : ""}`;
    ui.selectionCount.textContent = state.matching ? `All ${shown} selected` : `${shown} selected`;
    const offerMatching = !state.matching && allOnPage && state.count > state.assets.length;
    ui.selectMatching.hidden = !offerMatching;
    const more = state.countExact === false ? "+" : "";
    if (offerMatching) ui.selectMatching.textContent = `Select all ${thousands(state.count)}${more} matching`;
    const allFavorite = state.assets.filter((a) => isSelected(a.id)).every((a) => a.is_favorite) && onPage > 0;
    const favoriteButton = ui.favoriteLabel.closest("button");
    ui.favoriteLabel.textContent = allFavorite ? "Unfavourite" : "Favourite";
    favoriteButton.setAttribute("aria-label", ui.favoriteLabel.textContent);
    favoriteButton.dataset.tip = ui.favoriteLabel.textContent;
    favoriteButton.dataset.value = allFavorite ? "false" : "true";
    onChange();
  }

  return { isSelected, selectedCount, selectionBody, clearSelection, toggleItem, updateSelectionUI };
}
