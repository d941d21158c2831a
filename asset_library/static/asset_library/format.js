// The few value formats the scripts still need for text they write themselves (toasts,
// dialog titles, filter chips, a collection card made on the spot). Every card, row and
// page the server renders formats through asset_library/display.py; keep these in step.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export const STATUS_ICONS = {
  completed: "status-completed", processing: "status-processing", failed: "status-failed", pending: "status-pending",
};

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

export function thousands(n) {
  const number = Number(n);
  return Number.isFinite(number) ? Math.trunc(number).toLocaleString("en-US") : "";
}

export function plural(n, singular, pluralForm = `${singular}s`) {
  return `${thousands(n)} ${Number(n) === 1 ? singular : pluralForm}`;
}
