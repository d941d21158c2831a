// How values read on the page. asset_library/display.py holds the same rules for the
// server-rendered first page, so both renderings match.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export const TYPE_LABELS = { image: "Image", video: "Video", audio: "Audio", text: "Text" };
export const STATUS_LABELS = { completed: "Completed", processing: "Processing", failed: "Failed", pending: "Pending" };
export const STATUS_TOOLTIPS = {
  completed: "Completed",
  processing: "Processing: being generated",
  failed: "Failed",
  pending: "Pending: queued for generation",
};
export const STATUS_ICONS = {
  completed: "status-completed", processing: "status-processing", failed: "status-failed", pending: "status-pending",
};
export const TYPE_ICONS = { image: "image", video: "video", audio: "audio", text: "text" };

export function relativeTime(iso, now = new Date()) {
  if (!iso) return "";
  const moment = new Date(iso);
  const seconds = (now - moment) / 1000;
  if (seconds < 45) return "just now";
  if (seconds < 90) return "1 min ago";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86400);
  if (days === 1) return "yesterday";
  if (days < 7) return `${days} days ago`;
  const text = `${MONTHS[moment.getMonth()]} ${moment.getDate()}`;
  return moment.getFullYear() === now.getFullYear() ? text : `${text}, ${moment.getFullYear()}`;
}

export function fullTime(iso) {
  if (!iso) return "";
  const m = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${MONTHS[m.getMonth()]} ${m.getDate()}, ${m.getFullYear()}, ${pad(m.getHours())}:${pad(m.getMinutes())}`;
}

export function formatDay(isoDay, { year = true } = {}) {
  const [y, mo, d] = isoDay.split("-").map(Number);
  const text = `${MONTHS[mo - 1]} ${d}`;
  return year ? `${text}, ${y}` : text;
}

/** A cost with 2 to 4 decimals: "0.0400" → "0.04", "0.0067" → "0.0067". */
export function credits(value) {
  const number = Number(value);
  if (value === null || value === undefined || value === "" || Number.isNaN(number)) return "";
  const [whole, decimals = ""] = number.toFixed(4).split(".");
  const trimmed = decimals.replace(/0+$/, "").padEnd(2, "0");
  return `${Number(whole).toLocaleString("en-US")}.${trimmed}`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const total = Math.max(0, Math.floor(Number(seconds)));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return hours ? `${hours}:${pad(minutes)}:${pad(secs)}` : `${minutes}:${pad(secs)}`;
}

export function dimensions(asset) {
  return asset.width && asset.height ? `${asset.width}×${asset.height}` : "";
}

export function sizeOrLength(asset) {
  if ((asset.type === "audio" || asset.type === "video") && asset.duration_seconds !== null && asset.duration_seconds !== undefined) {
    const text = duration(asset.duration_seconds);
    const dims = dimensions(asset);
    return dims ? `${dims} · ${text}` : text;
  }
  return dimensions(asset);
}

export function thousands(n) {
  const number = Number(n);
  return Number.isFinite(number) ? Math.trunc(number).toLocaleString("en-US") : "";
}

export function plural(n, singular, pluralForm = `${singular}s`) {
  return `${thousands(n)} ${Number(n) === 1 ? singular : pluralForm}`;
}

export function previewUrl(asset) {
  if (asset.thumbnail_url) return asset.thumbnail_url;
  if (asset.type === "image" && asset.file_url && asset.status === "completed") return asset.file_url;
  return "";
}

export function excerpt(text, length = 280) {
  const value = (text || "").trim();
  return value.length <= length ? value : `${value.slice(0, length).trimEnd()}…`;
}

export function displayTitle(asset) {
  return asset.title || `Untitled ${(TYPE_LABELS[asset.type] || "asset").toLowerCase()}`;
}

export function statusTooltip(asset) {
  const text = STATUS_TOOLTIPS[asset.status] || asset.status;
  return asset.status === "failed" && asset.error_message ? `${text}: ${asset.error_message}` : text;
}

/** Tags as a row shows them: a person's first, then automatic ones. */
export function displayTags(asset, limit = 3) {
  const auto = new Set(asset.auto_tags || []);
  const tags = asset.tags || [];
  const ordered = [...tags.filter((t) => !auto.has(t)), ...tags.filter((t) => auto.has(t))];
  return {
    shown: ordered.slice(0, limit).map((name) => ({ name, auto: auto.has(name) })),
    more: Math.max(0, ordered.length - limit),
    moreNarrow: Math.max(0, ordered.length - 1), // when a narrow table shows only the first
  };
}

/** A decorative waveform (heights in %) that depends only on the asset id. */
export function waveformBars(seed, count = 40) {
  let state = parseInt(String(seed || "").replace(/-/g, "").slice(0, 7), 16) || 1;
  const bars = [];
  for (let i = 0; i < count; i += 1) {
    state = (state * 48271) % 2147483647;
    const envelope = Math.sin((Math.PI * (i + 0.5)) / count);
    bars.push(Math.round(18 + 70 * envelope * (0.35 + (0.65 * (state % 1000)) / 1000)));
  }
  return bars;
}
