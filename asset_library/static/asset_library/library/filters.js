// The filter chips' popovers: status, module, date, tags, usage, cost and collection. Each calls
// apply(changes) with URL parameter changes (null removes one).

import { element, html, icon } from "../dom.js";
import { openPopover } from "../popover.js";
import { TagInput } from "../tag-input.js";
import { STATUS_ICONS, thousands } from "../format.js";
import { addDays, browserTimeZone, localDay, values } from "./state.js";

const STATUSES = [
  ["completed", "Completed"], ["processing", "Processing"], ["pending", "Pending"], ["failed", "Failed"],
];

function checkList(title, options, selected, onChange) {
  const node = element(html`<div>
    <p class="popover-title">${title}</p>
    <div class="popover-options">
      ${options.map((o) => html`<label class="popover-option">
        <input type="checkbox" class="checkbox" value="${o.value}"${selected.includes(o.value) ? " checked" : ""}>
        ${o.icon || ""}<span>${o.label}</span>
      </label>`)}
    </div>
  </div>`);
  node.addEventListener("change", () => {
    const chosen = [...node.querySelectorAll("input:checked")].map((i) => i.value);
    onChange(chosen);
  });
  return node;
}

function statusContent(params, apply) {
  const options = STATUSES.map(([value, label]) => ({
    value, label, icon: html`<span class="status-pill status-${value}">${icon(STATUS_ICONS[value])}</span>`,
  }));
  return checkList("Status", options, values(params, "status"), (chosen) => apply({ status: chosen.join(",") || null }));
}

function moduleContent(params, apply, modules) {
  const selected = values(params, "source_module");
  const known = new Set(modules.map((m) => m.slug));
  const options = [...modules.map((m) => ({ value: m.slug, label: m.label })),
    ...selected.filter((s) => !known.has(s)).map((s) => ({ value: s, label: s }))];
  return checkList("Source module", options, selected, (chosen) => apply({ source_module: chosen.join(",") || null }));
}

function dateContent(params, apply, close) {
  const today = localDay();
  const isRange = !params.get("date") && (params.get("created_after") || params.get("created_before"));
  const before = params.get("created_before") || "";
  const to = /^\d{4}-\d{2}-\d{2}$/.test(before) ? addDays(before, -1) : "";
  const node = element(html`<form class="date-form" novalidate>
    <p class="popover-title">Created</p>
    <div class="preset-row">
      <button type="button" class="btn btn-sm" data-preset="today">Today</button>
      <button type="button" class="btn btn-sm" data-preset="yesterday">Yesterday</button>
      <button type="button" class="btn btn-sm" data-preset="7">Last 7 days</button>
      <button type="button" class="btn btn-sm" data-preset="30">Last 30 days</button>
    </div>
    <div class="date-mode" role="group" aria-label="Date mode">
      <button type="button" data-mode="day" aria-pressed="${isRange ? "false" : "true"}">On a day</button>
      <button type="button" data-mode="range" aria-pressed="${isRange ? "true" : "false"}">Between</button>
    </div>
    <div class="field" data-for="day"${isRange ? " hidden" : ""}>
      <label for="filter-date">Day</label>
      <input type="date" id="filter-date" name="date" max="${today}" value="${params.get("date") || ""}">
    </div>
    <div class="date-range" data-for="range"${isRange ? "" : " hidden"}>
      <div class="field"><label for="filter-from">From</label><input type="date" id="filter-from" name="from" value="${(params.get("created_after") || "").slice(0, 10)}"></div>
      <div class="field"><label for="filter-to">To</label><input type="date" id="filter-to" name="to" value="${to}"></div>
    </div>
    <div class="popover-footer">
      <button type="button" class="btn btn-ghost btn-sm" data-clear>Clear</button>
      <button type="submit" class="btn btn-primary btn-sm">Apply</button>
    </div>
  </form>`);
  const tz = browserTimeZone() || null;
  const setMode = (mode) => {
    node.querySelectorAll("[data-mode]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.mode === mode)));
    node.querySelector('[data-for="day"]').hidden = mode !== "day";
    node.querySelector('[data-for="range"]').hidden = mode !== "range";
  };
  node.querySelectorAll("[data-mode]").forEach((b) => b.addEventListener("click", () => setMode(b.dataset.mode)));
  const done = (changes) => { apply({ tz, ...changes }); close(); };
  node.querySelectorAll("[data-preset]").forEach((button) => button.addEventListener("click", () => {
    const preset = button.dataset.preset;
    if (preset === "today") done({ date: today, created_after: null, created_before: null });
    else if (preset === "yesterday") done({ date: addDays(today, -1), created_after: null, created_before: null });
    else done({ date: null, created_after: addDays(today, 1 - Number(preset)), created_before: null });
  }));
  node.querySelector("[data-clear]").addEventListener("click", () => {
    apply({ date: null, created_after: null, created_before: null, tz: null });
    close();
  });
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    const mode = node.querySelector('[data-mode][aria-pressed="true"]').dataset.mode;
    if (mode === "day") {
      const day = node.elements.date.value;
      if (!day) { apply({ date: null, tz: null }); close(); return; }
      done({ date: day, created_after: null, created_before: null });
    } else {
      let from = node.elements.from.value;
      let until = node.elements.to.value;
      if (from && until && from > until) [from, until] = [until, from];
      if (!from && !until) { apply({ date: null, created_after: null, created_before: null, tz: null }); close(); return; }
      done({ date: null, created_after: from || null, created_before: until ? addDays(until, 1) : null });
    }
  });
  return node;
}

function tagsContent(params, apply) {
  const node = element(html`<div class="tags-filter">
    <p class="popover-title">Tags</p>
    <p class="field-hint" style="margin-bottom:8px">Shows assets with any of these tags.</p>
  </div>`);
  const input = new TagInput({
    tags: values(params, "tags"),
    label: "Filter by tags",
    placeholder: "Type a tag…",
    onChange: (names) => apply({ tags: names.join(",") || null }),
  });
  node.append(input.el);
  return node;
}

function usedContent(params, apply, close) {
  const current = params.get("used") || "";
  const choices = [["", "Any"], ["true", "Used somewhere"], ["false", "Never used"]];
  const node = element(html`<div>
    <p class="popover-title">Usage</p>
    <div class="popover-options" role="radiogroup" aria-label="Usage">
      ${choices.map(([value, label]) => html`<label class="popover-option">
        <input type="radio" name="used" value="${value}"${value === current ? " checked" : ""}><span>${label}</span>
      </label>`)}
    </div>
    <p class="field-hint">Where modules reported using an asset: a post, a page, a schedule.</p>
  </div>`);
  node.addEventListener("change", (event) => {
    apply({ used: event.target.value || null });
    close();
  });
  return node;
}

/** A cost range in credits, either end open; the ends are swapped when given the wrong way round. */
function costContent(params, apply, close) {
  const node = element(html`<form class="cost-form" novalidate>
    <p class="popover-title">Cost (credits)</p>
    <div class="cost-range">
      <div class="field"><label for="filter-min-cost">At least</label><input type="number" id="filter-min-cost" name="min" min="0" step="any" inputmode="decimal" placeholder="0" value="${params.get("min_cost") || ""}"></div>
      <div class="field"><label for="filter-max-cost">At most</label><input type="number" id="filter-max-cost" name="max" min="0" step="any" inputmode="decimal" placeholder="Any" value="${params.get("max_cost") || ""}"></div>
    </div>
    <p class="field-error" data-cost-error role="alert" hidden>Costs are numbers of credits, 0 or more.</p>
    <div class="popover-footer">
      <button type="button" class="btn btn-ghost btn-sm" data-clear>Clear</button>
      <button type="submit" class="btn btn-primary btn-sm">Apply</button>
    </div>
  </form>`);
  node.querySelector("[data-clear]").addEventListener("click", () => {
    apply({ min_cost: null, max_cost: null });
    close();
  });
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    const read = (input) => (input.value.trim() === "" ? null : Number(input.value));
    let low = read(node.elements.min);
    let high = read(node.elements.max);
    const bad = [low, high].some((v) => v !== null && !(Number.isFinite(v) && v >= 0));
    node.querySelector("[data-cost-error]").hidden = !bad;
    if (bad) return;
    if (low !== null && high !== null && low > high) [low, high] = [high, low];
    apply({ min_cost: low === null ? null : String(low), max_cost: high === null ? null : String(high) });
    close();
  });
  return node;
}

/** Your collections, then those shared with you (whose they are said beside the name). */
function collectionContent(params, apply, collections, close, shared = []) {
  const current = params.get("collection") || "";
  const node = element(html`<div>
    <p class="popover-title">Collection</p>
    ${collections.length || shared.length ? "" : html`<p class="field-hint">No collections yet. Select assets and choose “Add to collection”.</p>`}
    <div class="popover-options" role="radiogroup" aria-label="Collection">
      <label class="popover-option"><input type="radio" name="collection" value=""${current ? "" : " checked"}><span>Any collection</span></label>
      ${[...collections, ...shared].map((c) => html`<label class="popover-option">
        <input type="radio" name="collection" value="${c.id}"${c.id === current ? " checked" : ""}>
        ${icon(c.owner ? "users" : "folder")}<span>${c.name}${c.owner ? html` <span class="muted">· ${c.owner}'s</span>` : ""}</span><span class="count">${thousands(c.asset_count)}</span>
      </label>`)}
    </div>
  </div>`);
  node.addEventListener("change", (event) => {
    apply({ collection: event.target.value || null });
    close();
  });
  return node;
}

/** Open the popover of the chip `key` under `anchor`. */
export function openFilter(key, anchor, { params, apply, modules, collections, shared }) {
  let handle = null;
  const close = () => handle?.close();
  const builders = {
    status: () => statusContent(params, apply),
    source_module: () => moduleContent(params, apply, modules),
    date: () => dateContent(params, apply, close),
    tags: () => tagsContent(params, apply),
    used: () => usedContent(params, apply, close),
    cost: () => costContent(params, apply, close),
    collection: () => collectionContent(params, apply, collections, close, shared),
  };
  const content = builders[key]?.();
  if (!content) return null;
  handle = openPopover(anchor, content, { label: `${anchor.textContent.trim()} filter` });
  return handle;
}
