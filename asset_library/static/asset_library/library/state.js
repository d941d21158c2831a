// The library's state lives in the URL: these read it. What the page says about it
// (heading, tabs, chips, the links that change them) the server renders for every URL
// (asset_library/library_state.py); the parameter names come from there too.

const CONFIG = JSON.parse(document.getElementById("library-config").textContent);
export const FILTER_KEYS = CONFIG.filter_keys;
export const ALL_KEYS = [...FILTER_KEYS, ...CONFIG.other_keys];
export const SEARCH_MODES = CONFIG.search_modes;
export const DEFAULT_PAGE_SIZE = CONFIG.default_page_size;

/** Only the parameters the page knows, trimmed, without empty ones. */
export function readParams(search = window.location.search) {
  const source = new URLSearchParams(search);
  const params = new URLSearchParams();
  ALL_KEYS.forEach((key) => {
    const value = (source.get(key) || "").trim();
    if (value) params.set(key, value);
  });
  return params;
}

export function values(params, key) {
  return (params.get(key) || "").split(",").map((v) => v.trim()).filter(Boolean);
}

/** The `filter` body of a bulk action: the list parameters without paging or sorting. */
export function filterBody(params) {
  const body = {};
  [...FILTER_KEYS, "tz"].forEach((key) => {
    if (params.get(key)) body[key] = params.get(key);
  });
  return body;
}

export function searchMode(params) {
  return SEARCH_MODES.find((mode) => params.get(mode)) || null;
}

export function addDays(isoDay, days) {
  const [y, m, d] = isoDay.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

export function clearFilterChanges() {
  return Object.fromEntries([...FILTER_KEYS, "tz"].map((key) => [key, null]));
}

export function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}
