// The few value formats the scripts still need for text they write themselves: toasts,
// dialog titles, the filter popovers' status icons. Every card, row, chip and page is
// rendered by the server and formatted there (asset_library/display.py).

export const STATUS_ICONS = {
  completed: "status-completed", processing: "status-processing", failed: "status-failed", pending: "status-pending",
};

export function thousands(n) {
  const number = Number(n);
  return Number.isFinite(number) ? Math.trunc(number).toLocaleString("en-US") : "";
}

export function plural(n, singular, pluralForm = `${singular}s`) {
  return `${thousands(n)} ${Number(n) === 1 ? singular : pluralForm}`;
}
