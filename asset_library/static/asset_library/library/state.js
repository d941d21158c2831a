// The library's state lives in the URL: these read it, and name it for people.
// asset_library/library_state.py holds the same rules for the first render.

import { html, icon } from "../dom.js";
import { formatDay } from "../format.js";

export const FILTER_KEYS = [
  "q", "id", "model", "type", "status", "source_module", "tags", "favorites", "collection",
  "date", "created_after", "created_before", "min_cost", "max_cost",
];
export const ALL_KEYS = [...FILTER_KEYS, "tz", "ordering", "page", "page_size", "view"];
export const SEARCH_MODES = ["q", "id", "model"];
export const DEFAULT_PAGE_SIZE = 24;
const TRUE = ["true", "1", "yes"];
const TYPE_HEADINGS = { image: "Images", video: "Videos", audio: "Audio", text: "Text" };
const STATUS_NAMES = { pending: "Pending", processing: "Processing", completed: "Completed", failed: "Failed" };

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

export const isTrue = (value) => TRUE.includes(String(value || "").toLowerCase());

/** The `filter` body of a bulk action: the list parameters without paging or sorting. */
export function filterBody(params) {
  const body = {};
  [...FILTER_KEYS, "tz"].forEach((key) => {
    if (params.get(key)) body[key] = params.get(key);
  });
  return body;
}

export function hasFilters(params) {
  return FILTER_KEYS.some((key) => params.get(key));
}

export function searchMode(params) {
  return SEARCH_MODES.find((mode) => params.get(mode)) || null;
}

export function heading(params, collections) {
  if (isTrue(params.get("favorites"))) return "Favorites";
  if (params.get("collection")) {
    const found = collections.find((c) => c.id === params.get("collection"));
    return found ? found.name : "Collection";
  }
  const types = values(params, "type");
  if (types.length === 1 && TYPE_HEADINGS[types[0]]) return TYPE_HEADINGS[types[0]];
  return "All assets";
}

export function activeTab(params) {
  if (isTrue(params.get("favorites"))) return "favorites";
  const types = values(params, "type");
  if (types.length === 1) return types[0];
  return types.length ? "" : "all";
}

/** Which sidebar entry is the current view. */
export function activeNav(params) {
  if (isTrue(params.get("favorites"))) return "favorites";
  if (params.get("collection")) return `collection:${params.get("collection")}`;
  const type = params.get("type") || "";
  if (["image", "video", "audio", "text"].includes(type)) return type;
  return type ? "" : "all";
}

export function tabChanges(key) {
  const changes = { type: null, favorites: null };
  if (key === "favorites") changes.favorites = "true";
  else if (key !== "all") changes.type = key;
  return changes;
}

const isDay = (value) => /^\d{4}-\d{2}-\d{2}$/.test(value || "");

export function addDays(isoDay, days) {
  const [y, m, d] = isoDay.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

export function dateLabel(params) {
  const day = params.get("date");
  if (day) return isDay(day) ? formatDay(day) : day;
  const after = params.get("created_after") || "";
  const before = params.get("created_before") || "";
  const lastDay = isDay(before) ? addDays(before, -1) : null;
  if (after && before) {
    if (isDay(after) && lastDay) {
      if (after === lastDay) return formatDay(after);
      return `${formatDay(after, { year: after.slice(0, 4) !== lastDay.slice(0, 4) })} – ${formatDay(lastDay)}`;
    }
    return `${after} – ${before}`;
  }
  if (after) return `Since ${isDay(after) ? formatDay(after) : after}`;
  if (before) return `Until ${lastDay ? formatDay(lastDay) : before}`;
  return "";
}

export function chips(params, { modules, collections }) {
  const moduleNames = Object.fromEntries(modules.map((m) => [m.slug, m.label]));
  const moduleLabel = (slug) => moduleNames[slug] || slug.replace(/_/g, " ").replace(/\b\w/g, (c) => c.toUpperCase());
  const collection = params.get("collection");
  const found = collections.find((c) => c.id === collection);
  return [
    { key: "status", label: "Status", value: values(params, "status").map((s) => STATUS_NAMES[s] || s).join(", ") },
    { key: "source_module", label: "Module", value: values(params, "source_module").map(moduleLabel).join(", ") },
    { key: "date", label: "Date", value: dateLabel(params) },
    { key: "tags", label: "Tags", value: values(params, "tags").join(", ") },
    { key: "collection", label: "Collection", value: collection ? (found ? found.name : "Unknown") : "" },
  ];
}

export function chipGroup(chip) {
  return html`<div class="chip-group${chip.value ? " is-active" : ""}" data-chip="${chip.key}">
          <button type="button" class="chip" aria-haspopup="dialog" aria-expanded="false" data-chip-button>${chip.label}${chip.value ? html`: <span class="chip-value">${chip.value}</span>` : ""}${icon("chevron-down", "chip-caret")}</button>
          ${chip.value ? html`<button type="button" class="chip-clear" aria-label="Remove ${chip.label.toLowerCase()} filter" data-chip-clear>${icon("x")}</button>` : ""}
        </div>`;
}

/** What clearing a chip removes from the URL. */
export function chipClearChanges(key) {
  if (key === "date") return { date: null, created_after: null, created_before: null, tz: null };
  return { [key]: null };
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
