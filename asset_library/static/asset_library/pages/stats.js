// The statistics page: the range and period picker redraws the figures without a reload.
// The server draws them (SVG charts included); this fetches the same page's fragment and
// swaps it in, keeping the URL in step so that a link reproduces the dashboard.

import { $, element } from "../dom.js";
import { toastError } from "../toast.js";

const root = $("[data-stats-page]");
const form = $("[data-stats-picker]", root);
const figures = $("[data-stats-figures]", root);
const customDates = $("[data-custom-dates]", form);
let controller = null;

function query({ dropPeriod = false } = {}) {
  const params = new URLSearchParams();
  const range = form.elements.range.value;
  params.set("range", range);
  if (range === "custom") {
    if (form.elements.from.value) params.set("from", form.elements.from.value);
    if (form.elements.to.value) params.set("to", form.elements.to.value);
  }
  const period = form.querySelector('input[name="period"]:checked');
  if (period && !dropPeriod) params.set("period", period.value);
  if (form.elements.tz.value && form.elements.tz.value !== "UTC") params.set("tz", form.elements.tz.value);
  return params;
}

async function refresh(params, { push = true } = {}) {
  controller?.abort();
  controller = new AbortController();
  figures.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(`${window.location.pathname}?${params}&fragment=1`, {
      credentials: "same-origin",
      signal: controller.signal,
      headers: { Accept: "text/html" },
    });
    if (!response.ok) throw new Error(`The server answered ${response.status}.`);
    figures.innerHTML = await response.text();
    const fresh = $("[data-figures]", figures);
    // The server may have chosen the period (each range has a natural one).
    const period = form.querySelector(`input[name="period"][value="${fresh.dataset.period}"]`);
    if (period) period.checked = true;
    $("[data-export]", form).href = fresh.dataset.exportUrl;
    // The dates a custom range starts from: the range on screen.
    form.elements.from.value = fresh.dataset.start;
    form.elements.to.value = fresh.dataset.end;
    const url = `${window.location.pathname}?${fresh.dataset.query}`;
    if (push) window.history.pushState({ stats: true }, "", url);
  } catch (error) {
    if (error.name !== "AbortError") toastError(`Couldn't load the statistics: ${error.message}`);
  } finally {
    figures.setAttribute("aria-busy", "false");
  }
}

form.elements.range.addEventListener("change", () => {
  const custom = form.elements.range.value === "custom";
  customDates.hidden = !custom;
  if (custom) {
    form.elements.from.focus(); // the figures stay until the dates are applied
    return;
  }
  refresh(query({ dropPeriod: true }));
});

form.addEventListener("change", (event) => {
  if (event.target.name === "period") refresh(query());
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  refresh(query());
});

window.addEventListener("popstate", () => {
  const params = new URLSearchParams(window.location.search);
  const range = params.get("range") || "30d";
  form.elements.range.value = range;
  customDates.hidden = range !== "custom";
  const period = form.querySelector(`input[name="period"][value="${params.get("period")}"]`);
  if (period) period.checked = true;
  refresh(params, { push: false });
});

// Periods follow the viewer's clock: tell the server which one, once.
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (zone && form.elements.tz.value === "UTC" && zone !== "UTC" && !new URLSearchParams(window.location.search).has("tz")) {
  form.elements.tz.value = zone;
  refresh(query(), { push: false });
  window.history.replaceState({ stats: true }, "", `${window.location.pathname}?${query()}`);
}

// Ready: the page answers clicks and keys (the browser tests wait for this).
document.documentElement.dataset.pageReady = "true";

// The cleanup panel: as the number of days changes, its figures (and the review link) are
// the server's for that number, swapped in without a reload.
let cleanupController = null;
let cleanupTimer = null;

async function refreshCleanup(days) {
  const panel = $("[data-cleanup]", figures);
  if (!panel) return;
  cleanupController?.abort();
  cleanupController = new AbortController();
  panel.setAttribute("aria-busy", "true");
  try {
    const url = `${panel.dataset.fragmentUrl}?${new URLSearchParams({ days })}`;
    const response = await fetch(url, { credentials: "same-origin", signal: cleanupController.signal,
      headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(`The server answered ${response.status}.`);
    const fresh = element(await response.text());
    const input = $("#cleanup-days", panel);
    const focused = document.activeElement === input;
    // Keep the person's input as it is (and its focus): replace everything else.
    $(".cleanup-result", panel).replaceWith($(".cleanup-result", fresh));
    $("#cleanup-error", panel)?.remove();
    const error = $("#cleanup-error", fresh);
    if (error) $("[data-cleanup-form]", panel).after(error);
    if (focused) input.focus();
  } catch (error) {
    if (error.name !== "AbortError") toastError(`Couldn't count the unused assets: ${error.message}`);
  } finally {
    panel.removeAttribute("aria-busy");
  }
}

figures.addEventListener("submit", (event) => {
  const cleanupForm = event.target.closest("[data-cleanup-form]");
  if (!cleanupForm) return;
  event.preventDefault();
  refreshCleanup(cleanupForm.elements.cleanup_days.value);
});

figures.addEventListener("input", (event) => {
  if (event.target.id !== "cleanup-days") return;
  clearTimeout(cleanupTimer);
  cleanupTimer = setTimeout(() => refreshCleanup(event.target.value), 300);
});
