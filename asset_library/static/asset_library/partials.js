// Parts of pages that the server renders, fetched and put in place. Every page script that
// shows something new after a change asks the server for its rendering (a partial view),
// never builds the markup itself.

import { $, $$ } from "./dom.js";

/** A partial the server renders, as HTML. */
export async function fetchHtml(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (response.redirected && new URL(response.url).pathname !== new URL(url, window.location.href).pathname) {
    window.location.reload(); // signed out meanwhile: the login page takes over
  }
  if (!response.ok) throw new Error(`The server had a problem (${response.status}). Please try again.`);
  return response.text();
}

/** HTML → a fragment to read parts from. */
export function parse(markup) {
  const template = document.createElement("template");
  template.innerHTML = markup;
  return template.content;
}

/** Put each `[data-swap]` part of `fragment` in place of the page's part of that name
 * (attributes and children: the page's element, and its listeners, stay). */
export function swapParts(fragment, root) {
  $$("[data-swap]", fragment).forEach((fresh) => {
    const current = $(`[data-swap="${fresh.dataset.swap}"]`, root);
    if (!current) return;
    [...current.attributes].forEach(({ name }) => { if (!fresh.hasAttribute(name)) current.removeAttribute(name); });
    [...fresh.attributes].forEach(({ name, value }) => current.setAttribute(name, value));
    current.replaceChildren(...fresh.childNodes);
  });
}

/** Swap in the parts that `url` renders now (a page's list after a change); if that fails,
 * load the whole page again. */
export async function refreshFrom(url) {
  try {
    swapParts(parse(await fetchHtml(url)), document);
  } catch {
    window.location.reload();
  }
}
