// Small DOM helpers shared by every page script: escaped HTML templates and icons.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

class Raw {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

/** Mark text as already-safe HTML for `html`. */
export function raw(text) {
  return new Raw(String(text ?? ""));
}

function part(value) {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return value.map(part).join("");
  if (value === false || value === null || value === undefined) return "";
  return esc(value);
}

/** A tagged template whose interpolations are escaped unless wrapped in raw() (arrays are joined). */
export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((value, i) => { out += part(value) + strings[i + 1]; });
  return new Raw(out);
}

/** An icon from the inline sprite in base.html. */
export function icon(name, cls = "") {
  return raw(`<svg class="icon${cls ? ` ${cls}` : ""}" aria-hidden="true" focusable="false"><use href="#i-${esc(name)}"></use></svg>`);
}

/** Parse HTML (from `html`) into a single element. */
export function element(markup) {
  const template = document.createElement("template");
  template.innerHTML = String(markup).trim();
  return template.content.firstElementChild;
}

/** Make `current` look like `fresh` (from another document or a template), keeping the
 * nodes that stay, and so focus and listeners: attributes are copied, and children are
 * matched by position and kind; only what differs is replaced. */
export function morph(current, fresh) {
  [...current.attributes].forEach(({ name }) => { if (!fresh.hasAttribute(name)) current.removeAttribute(name); });
  [...fresh.attributes].forEach(({ name, value }) => {
    if (current.getAttribute(name) !== value) current.setAttribute(name, value);
  });
  const olds = [...current.childNodes];
  [...fresh.childNodes].forEach((node, index) => {
    const old = olds[index];
    if (!old) current.append(node.cloneNode(true));
    else if (old.nodeName !== node.nodeName) old.replaceWith(node.cloneNode(true));
    else if (node.nodeType === Node.ELEMENT_NODE) morph(old, node);
    else if (old.nodeValue !== node.nodeValue) old.nodeValue = node.nodeValue;
  });
  olds.slice(fresh.childNodes.length).forEach((node) => node.remove());
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $$(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

/** Run `fn` once calls stop for `wait` ms. `.cancel()` drops a pending call, `.flush()` runs it now. */
export function debounce(fn, wait) {
  let timer = null;
  let lastArgs = null;
  const debounced = (...args) => {
    lastArgs = args;
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...lastArgs); }, wait);
  };
  debounced.cancel = () => { clearTimeout(timer); timer = null; };
  debounced.flush = () => { if (timer) { clearTimeout(timer); timer = null; fn(...lastArgs); } };
  return debounced;
}

/** True when a key press belongs to a text field rather than to page shortcuts. */
export function isTyping(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(target.type);
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    let ok;
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    area.remove();
    return ok;
  }
}
