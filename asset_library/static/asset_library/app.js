// The app shell on every page: `/` focuses search, the navigation drawer under 900 px,
// the account menu, tooltips, and the header search's "Keywords / ID / Model" choice.

import { isTyping } from "./dom.js";

const PLACEHOLDERS = {
  q: "Search titles, prompts, tags…",
  id: "Part of an asset ID…",
  model: "Model name, e.g. ideogram…",
};

function setupSearchShortcut() {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    const input = document.getElementById("search");
    if (!input) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
}

function setupSearchMode() {
  const select = document.querySelector("[data-search-by]");
  const input = document.querySelector("[data-search-input]");
  if (!select || !input) return;
  select.addEventListener("change", () => {
    input.name = select.value;
    input.placeholder = PLACEHOLDERS[select.value] || "";
  });
}

function setupNavDrawer() {
  const toggle = document.querySelector("[data-nav-toggle]");
  const sidebar = document.getElementById("app-sidebar");
  const backdrop = document.querySelector("[data-nav-backdrop]");
  if (!toggle || !sidebar) return;
  const setOpen = (open) => {
    sidebar.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.setAttribute("aria-label", open ? "Close navigation" : "Open navigation");
    toggle.dataset.tip = toggle.getAttribute("aria-label");
    if (backdrop) backdrop.hidden = !open;
    if (open) sidebar.querySelector("a")?.focus();
  };
  toggle.addEventListener("click", () => setOpen(!sidebar.classList.contains("is-open")));
  backdrop?.addEventListener("click", () => { setOpen(false); toggle.focus(); });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && sidebar.classList.contains("is-open")) {
      setOpen(false);
      toggle.focus();
    }
  });
  sidebar.addEventListener("click", (event) => {
    if (event.target.closest("a") && sidebar.classList.contains("is-open")) setOpen(false);
  });
}

function setupMenus() {
  const menus = document.querySelectorAll("[data-menu]");
  document.addEventListener("click", (event) => {
    menus.forEach((menu) => { if (menu.open && !menu.contains(event.target)) menu.open = false; });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    menus.forEach((menu) => {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary")?.focus();
      }
    });
  });
}

// Tooltips (CSS, from data-tip) show on hover and keyboard focus; Escape hides the one
// showing until the pointer or the focus leaves its control.
function setupTooltips() {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const shown = [...document.querySelectorAll("[data-tip]:hover, [data-tip]:focus-visible")];
    shown.forEach((control) => {
      control.dataset.tipDismissed = "";
      const restore = () => { delete control.dataset.tipDismissed; };
      control.addEventListener("blur", restore, { once: true });
      control.addEventListener("mouseleave", restore, { once: true });
    });
  });
}

setupSearchShortcut();
setupSearchMode();
setupNavDrawer();
setupMenus();
setupTooltips();
