// Markup of the library's results. templates/library/_card.html, _row.html, _table.html,
// _empty.html and _pagination.html render the same for the first page.

import { html, icon } from "../dom.js";
import {
  STATUS_ICONS, STATUS_LABELS, TYPE_ICONS, TYPE_LABELS, credits, displayTags, displayTitle, duration, excerpt,
  fullTime, previewUrl, relativeTime, sizeOrLength, statusTooltip, thousands, waveformBars,
} from "../format.js";

const PLACEHOLDER_TEXT = { failed: "Generation failed", processing: "Generating…", pending: "Queued" };

export function mediaKind(asset) {
  if (previewUrl(asset)) return "picture";
  const completed = asset.status === "completed";
  if (asset.type === "video" && asset.file_url && completed) return "video";
  if (asset.type === "audio" && completed) return "waveform";
  if (asset.type === "text" && asset.text_excerpt) return "text";
  return "placeholder";
}

function media(asset, kind) {
  switch (kind) {
    case "picture":
      return html`<img class="media-img" src="${previewUrl(asset)}" alt="" loading="lazy" decoding="async">`;
    case "video":
      return html`<video class="media-video" data-src="${asset.file_url}#t=0.1" muted playsinline preload="none" aria-hidden="true" tabindex="-1"></video>`;
    case "waveform":
      return html`<div class="waveform" aria-hidden="true">${waveformBars(asset.id).map((h) => html`<i style="height:${h}%"></i>`)}</div>`;
    case "text":
      return html`<div class="text-snippet" aria-hidden="true">${excerpt(asset.text_excerpt, 360)}</div>`;
    default:
      return html`<div class="media-placeholder">${icon(TYPE_ICONS[asset.type] || "file")}<span>${PLACEHOLDER_TEXT[asset.status] || "No preview"}</span></div>`;
  }
}

function favButton(asset, title) {
  return html`<button type="button" class="fav-btn" data-fav aria-pressed="${asset.is_favorite ? "true" : "false"}" aria-label="Favourite ${title}" title="${asset.is_favorite ? "Remove from favourites" : "Add to favourites"}">${icon("star")}</button>`;
}

function timeTag(iso) {
  return html`<time datetime="${iso}" title="${fullTime(iso)}">${relativeTime(iso)}</time>`;
}

export function card(asset, { selected = false } = {}) {
  const title = displayTitle(asset);
  const kind = mediaKind(asset);
  const tooltip = statusTooltip(asset);
  let badge = "";
  if (asset.type === "video") badge = html`<span class="media-badge">${icon("play")}${duration(asset.duration_seconds)}</span>`;
  else if (asset.type === "audio" && asset.duration_seconds !== null && asset.duration_seconds !== undefined) {
    badge = html`<span class="media-badge">${icon("audio")}${duration(asset.duration_seconds)}</span>`;
  }
  return html`<li class="card${asset.is_favorite ? " is-favorite" : ""}${selected ? " is-selected" : ""}" data-id="${asset.id}" data-type="${asset.type}" data-status="${asset.status}">
  <div class="card-media media-${asset.type}${kind === "picture" || kind === "video" ? " is-loading" : ""}">
    ${media(asset, kind)}
    <span class="status-badge status-${asset.status}" title="${tooltip}">${icon(STATUS_ICONS[asset.status] || "status-pending")}<span class="visually-hidden">Status: ${tooltip}</span></span>
    ${favButton(asset, title)}
    ${kind === "waveform" && asset.file_url ? html`<button type="button" class="play-btn" data-play aria-label="Play ${title}">${icon("play")}</button>` : ""}
    ${badge}
    <label class="card-check" title="Select"><input type="checkbox" class="checkbox" data-select aria-label="Select ${title}"${selected ? " checked" : ""}></label>
  </div>
  <div class="card-body">
    <div class="card-title-row">
      <a class="card-link" href="/library/assets/${asset.id}/${window.location.search}" title="${title}">${title}</a>
      <button type="button" class="icon-btn icon-btn-sm card-edit" data-edit aria-label="Edit ${title}" title="Edit">${icon("edit")}</button>
    </div>
    <p class="card-meta">${asset.model ? html`<span class="card-model" title="Model: ${asset.model}">${asset.model}</span>` : ""}${timeTag(asset.created_at)}</p>
    <p class="card-foot"><span class="module-badge" title="Module: ${asset.source_module_label}">${asset.source_module_label}</span><span class="card-dims">${sizeOrLength(asset)}</span><span class="cost" title="Cost: ${asset.cost} credits"><span class="visually-hidden">Cost </span>${credits(asset.cost)}</span></p>
  </div>
</li>`;
}

export function row(asset, { selected = false } = {}) {
  const title = displayTitle(asset);
  const preview = previewUrl(asset);
  const tags = displayTags(asset, 2);
  return html`<tr class="row${asset.is_favorite ? " is-favorite" : ""}${selected ? " is-selected" : ""}" data-id="${asset.id}" data-type="${asset.type}" data-status="${asset.status}">
  <td class="col-check"><input type="checkbox" class="checkbox" data-select aria-label="Select ${title}"${selected ? " checked" : ""}></td>
  <td class="col-thumb"><div class="thumb media-${asset.type}${preview ? " is-loading" : ""}">${preview ? html`<img class="media-img" src="${preview}" alt="" loading="lazy" decoding="async">` : icon(TYPE_ICONS[asset.type] || "file")}</div></td>
  <td class="col-title"><a class="row-link" href="/library/assets/${asset.id}/${window.location.search}" title="${title}">${title}</a><button type="button" class="asset-id" data-copy-id="${asset.id}" title="Copy ID ${asset.id}" aria-label="Copy ID ${asset.id}"><code>${String(asset.id).slice(0, 8)}</code>${icon("copy")}</button></td>
  <td class="col-type"><span class="cell-main">${TYPE_LABELS[asset.type] || asset.type}</span><span class="cell-sub">${sizeOrLength(asset) || "—"}</span></td>
  <td class="col-status"><span class="status-pill status-${asset.status}" title="${statusTooltip(asset)}">${icon(STATUS_ICONS[asset.status] || "status-pending")}<span class="status-text">${STATUS_LABELS[asset.status] || asset.status}</span></span></td>
  <td class="col-model"><span class="cell-main" title="${asset.model}">${asset.model || "—"}</span><span class="cell-sub"><span class="module-badge">${asset.source_module_label}</span></span></td>
  <td class="col-tags">${tags.shown.map((t) => html`<span class="tag${t.auto ? " is-auto" : ""}"${t.auto ? html` title="Automatic tag"` : ""}>${t.name}</span>`)}${tags.moreNarrow ? html`<span class="tag-more" title="${(asset.tags || []).join(", ")}" data-more="${tags.more ? `+${tags.more}` : ""}" data-more-narrow="+${tags.moreNarrow}"></span>` : ""}</td>
  <td class="col-cost num">${credits(asset.cost)}</td>
  <td class="col-downloads num">${thousands(asset.download_count)}</td>
  <td class="col-shares num">${thousands(asset.share_count)}</td>
  <td class="col-created">${timeTag(asset.created_at)}</td>
  <td class="col-actions">${favButton(asset, title)}<button type="button" class="icon-btn icon-btn-sm" data-edit aria-label="Edit ${title}" title="Edit">${icon("edit")}</button></td>
</tr>`;
}

export const SORTABLE_COLUMNS = { title: "", cost: "-", download_count: "-", created_at: "-" };

/** aria-sort of each sortable column for the current ordering. */
export function columnSort(params) {
  const ordering = params.get("ordering") || (params.get("q") ? "" : "-created_at");
  const result = {};
  Object.keys(SORTABLE_COLUMNS).forEach((column) => {
    if (ordering === column) result[column] = "ascending";
    else if (ordering === `-${column}`) result[column] = "descending";
    else result[column] = "none";
  });
  return result;
}

function sortIcon(direction) {
  if (direction === "ascending") return icon("arrow-up", "sort-icon");
  if (direction === "descending") return icon("arrow-down", "sort-icon");
  return icon("sort", "sort-icon is-idle");
}

function sortHeader(cls, column, label, sort) {
  return html`<th class="${cls}" scope="col" aria-sort="${sort[column]}"><button type="button" class="sort-btn" data-sort-column="${column}">${label}${sortIcon(sort[column])}</button></th>`;
}

export function grid(assets, selection) {
  return html`<ul class="asset-grid" role="list" data-items>
  ${assets.map((a) => card(a, { selected: selection.has(a.id) }))}
</ul>`;
}

export function table(assets, selection, params) {
  const sort = columnSort(params);
  return html`<div class="table-wrap">
<table class="asset-table">
  <thead>
    <tr>
      <th class="col-check" scope="col"><span class="visually-hidden">Select</span></th>
      <th class="col-thumb" scope="col"><span class="visually-hidden">Preview</span></th>
      ${sortHeader("col-title", "title", "Title", sort)}
      <th class="col-type" scope="col">Type <span class="th-sub">· Size</span></th>
      <th class="col-status" scope="col">Status</th>
      <th class="col-model" scope="col">Model <span class="th-sub">· Module</span></th>
      <th class="col-tags" scope="col">Tags</th>
      ${sortHeader("col-cost num", "cost", "Cost", sort)}
      <th class="col-downloads num" scope="col" aria-sort="${sort.download_count}"><button type="button" class="sort-btn" data-sort-column="download_count" title="Downloads">${icon("download", "th-icon")}<span class="visually-hidden">Downloads</span>${sortIcon(sort.download_count)}</button></th>
      <th class="col-shares num" scope="col"><span title="Shares">${icon("share", "th-icon")}<span class="visually-hidden">Shares</span></span></th>
      ${sortHeader("col-created", "created_at", "Created", sort)}
      <th class="col-actions" scope="col"><span class="visually-hidden">Actions</span></th>
    </tr>
  </thead>
  <tbody data-items>
    ${assets.map((a) => row(a, { selected: selection.has(a.id) }))}
  </tbody>
</table>
</div>`;
}

export function empty(kind) {
  if (kind === "library") {
    return html`<div class="empty-state" data-empty="library">
  <div class="empty-art">${icon("layers")}</div>
  <h2>Your library is empty</h2>
  <p>Everything you generate in Image Studio, Story Writer, Video Studio and the other modules lands here on its own. You can also upload files you made elsewhere.</p>
  <a class="btn btn-primary" href="/library/upload/">${icon("upload")}Upload assets</a>
</div>`;
  }
  return html`<div class="empty-state" data-empty="filters">
  <div class="empty-art">${icon("search")}</div>
  <h2>No assets match these filters</h2>
  <p>Try other words, or remove a filter to see more.</p>
  <a class="btn" href="/library/" data-clear-filters>Clear filters</a>
</div>`;
}

/** Page numbers to offer: the first, the last and two around the current one (null: a gap). */
export function pageLinks(current, total) {
  if (total <= 7) return Array.from({ length: total }, (_, i) => i + 1);
  const wanted = new Set([1, total, current - 1, current, current + 1]);
  if (current <= 3) [2, 3, 4].forEach((n) => wanted.add(n));
  if (current >= total - 2) [total - 3, total - 2, total - 1].forEach((n) => wanted.add(n));
  const links = [];
  let previous = 0;
  [...wanted].filter((n) => n >= 1 && n <= total).sort((a, b) => a - b).forEach((n) => {
    if (n - previous > 1) links.push(null);
    links.push(n);
    previous = n;
  });
  return links;
}

export function pagination({ page, numPages, count, pageSize, hrefFor }) {
  const first = count ? (page - 1) * pageSize + 1 : 0;
  const last = Math.min(count, page * pageSize);
  const prev = page > 1
    ? html`<a class="page-btn" href="${hrefFor(page - 1)}" rel="prev" data-page="${page - 1}" aria-label="Previous page">${icon("chevron-left")}</a>`
    : html`<span class="page-btn is-disabled" aria-hidden="true">${icon("chevron-left")}</span>`;
  const next = page < numPages
    ? html`<a class="page-btn" href="${hrefFor(page + 1)}" rel="next" data-page="${page + 1}" aria-label="Next page">${icon("chevron-right")}</a>`
    : html`<span class="page-btn is-disabled" aria-hidden="true">${icon("chevron-right")}</span>`;
  const links = pageLinks(page, numPages).map((n) => (n === null
    ? html`<span class="page-gap" aria-hidden="true">…</span>`
    : html`<a class="page-btn${n === page ? " is-current" : ""}" href="${hrefFor(n)}" data-page="${n}"${n === page ? html` aria-current="page"` : ""} aria-label="Page ${n}">${thousands(n)}</a>`));
  return html`<p class="page-info">${count ? `${thousands(first)}–${thousands(last)} of ${thousands(count)}` : ""}</p>
<div class="page-links">
  ${prev}
  ${links}
  ${next}
</div>`;
}
