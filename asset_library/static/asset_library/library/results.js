// The library's results as the server renders them (templates/library/_results.html,
// served alone by library:results): fetching them (with a small cache) and bringing them
// to life (image skeletons, lazy video). No markup is built here.

import { $, $$, element } from "../dom.js";
import { fetchHtml } from "../partials.js";

const cache = new Map(); // results URL -> Promise of its HTML, for prefetching the next page

/** The results for `url` as HTML; cached unless `fresh`. */
export function fetchResults(url, { fresh = false } = {}) {
  if (!fresh && cache.has(url)) return cache.get(url);
  const promise = fetchHtml(url);
  cache.set(url, promise);
  promise.catch(() => cache.delete(url));
  if (cache.size > 8) cache.delete(cache.keys().next().value);
  return promise;
}

export function forgetResults(url = null) {
  if (url) cache.delete(url);
  else cache.clear();
}

/** The script's data about the results in `scope` (ids, titles, tags, favourites). */
export function resultsData(scope = document) {
  return JSON.parse(scope.querySelector("#library-results").textContent);
}

const FOCUSABLE_PARTS = [".card-link", ".row-link", "[data-fav]", "[data-edit]", "[data-select]", "[data-play]", "[data-copy-id]"];

/** Replace one card or row with its fresh rendering, keeping focus where it was. */
export function replaceItem(node, fresh) {
  const focused = document.activeElement;
  const focusSelector = focused && node.contains(focused)
    ? FOCUSABLE_PARTS.find((selector) => focused.matches(selector))
    : null;
  node.replaceWith(fresh);
  hydrate(fresh);
  if (focusSelector) $(focusSelector, fresh)?.focus({ preventScroll: true });
}

/** Bring server-rendered results to life: skeletons until pictures load, lazy video. */
export function hydrate(scope) {
  $$("img.media-img", scope).forEach((img) => {
    const box = img.parentElement;
    if (img.complete) settleImage(img, box);
    else {
      img.addEventListener("load", () => settleImage(img, box), { once: true });
      img.addEventListener("error", () => settleImage(img, box), { once: true });
    }
  });
  $$("video[data-src]", scope).forEach((video) => videoObserver.observe(video));
}

function settleImage(img, box) {
  box.classList.remove("is-loading");
  if (img.naturalWidth) return;
  box.classList.add("is-broken");
  const type = box.closest("[data-type]")?.dataset.type || "file";
  if (box.classList.contains("card-media") && !$(".media-placeholder", box)) {
    box.prepend(element(`<div class="media-placeholder"><svg class="icon" aria-hidden="true"><use href="#i-${type}"></use></svg><span>No preview</span></div>`));
  }
}

const videoObserver = new IntersectionObserver((entries) => {
  entries.forEach((entry) => {
    if (!entry.isIntersecting) return;
    const video = entry.target;
    videoObserver.unobserve(video);
    const box = video.parentElement;
    const done = () => box.classList.remove("is-loading");
    video.addEventListener("loadeddata", done, { once: true });
    video.addEventListener("error", done, { once: true });
    video.preload = "metadata";
    video.src = video.dataset.src;
    video.removeAttribute("data-src");
  });
}, { rootMargin: "200px" });

/** Arrow keys between cards (by position in the grid) or rows. */
export function moveFocus(items, from, key, view) {
  const index = items.indexOf(from);
  if (index < 0) return;
  let target;
  if (key === "ArrowRight" || (view === "list" && key === "ArrowDown")) target = items[index + 1];
  else if (key === "ArrowLeft" || (view === "list" && key === "ArrowUp")) target = items[index - 1];
  else {
    const rect = from.getBoundingClientRect();
    const centre = rect.left + rect.width / 2;
    const candidates = items.filter((item) => {
      const r = item.getBoundingClientRect();
      return key === "ArrowDown" ? r.top > rect.bottom - 1 : r.bottom < rect.top + 1;
    });
    const rowTop = key === "ArrowDown"
      ? Math.min(...candidates.map((i) => i.getBoundingClientRect().top))
      : Math.max(...candidates.map((i) => i.getBoundingClientRect().top));
    const row = candidates.filter((i) => Math.abs(i.getBoundingClientRect().top - rowTop) < 2);
    target = row.sort((a, b) => {
      const da = Math.abs(a.getBoundingClientRect().left + a.offsetWidth / 2 - centre);
      const db = Math.abs(b.getBoundingClientRect().left + b.offsetWidth / 2 - centre);
      return da - db;
    })[0];
  }
  if (target) {
    $(".card-link, .row-link", target)?.focus();
    target.scrollIntoView({ block: "nearest" });
  }
}
