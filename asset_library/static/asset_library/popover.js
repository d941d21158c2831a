// Popovers anchored to a button (filter chips): one open at a time; an outside click,
// Esc or Tab out closes it and focus returns to the button.

let current = null;

export function closePopover() {
  current?.close();
}

/** Open `content` (a Node) under `anchor`. Returns {el, close}. */
export function openPopover(anchor, content, { onClose = null, label = "" } = {}) {
  closePopover();
  const panel = document.createElement("div");
  panel.className = "popover";
  panel.setAttribute("role", "dialog");
  if (label) panel.setAttribute("aria-label", label);
  panel.append(content);
  document.body.append(panel);
  place(anchor, panel);
  anchor.setAttribute("aria-expanded", "true");

  const onPointer = (event) => {
    if (!panel.contains(event.target) && !anchor.contains(event.target)) handle.close({ restoreFocus: false });
  };
  const onKey = (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      handle.close();
    }
  };
  const onFocus = (event) => {
    if (!panel.contains(event.target) && event.target !== anchor && document.hasFocus()) handle.close({ restoreFocus: false });
  };
  const onResize = () => place(anchor, panel);
  const handle = {
    el: panel,
    anchor,
    close({ restoreFocus = true } = {}) {
      if (current !== handle) return;
      current = null;
      document.removeEventListener("pointerdown", onPointer, true);
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("focusin", onFocus);
      window.removeEventListener("resize", onResize);
      window.removeEventListener("scroll", onResize, true);
      panel.remove();
      anchor.setAttribute("aria-expanded", "false");
      if (restoreFocus && anchor.isConnected) anchor.focus({ preventScroll: true });
      onClose?.();
    },
    reposition: () => place(anchor, panel),
  };
  current = handle;
  document.addEventListener("pointerdown", onPointer, true);
  document.addEventListener("keydown", onKey);
  document.addEventListener("focusin", onFocus);
  window.addEventListener("resize", onResize);
  window.addEventListener("scroll", onResize, true);
  const first = panel.querySelector("[autofocus], input, select, button, [tabindex]");
  first?.focus({ preventScroll: true });
  return handle;
}

export function isPopoverOpen() {
  return current !== null;
}

function place(anchor, panel) {
  // Fixed, so that it follows an anchor in a sticky bar.
  const rect = anchor.getBoundingClientRect();
  const margin = 8;
  const viewport = document.documentElement.clientWidth;
  const left = Math.max(margin, Math.min(rect.left, viewport - panel.offsetWidth - margin));
  panel.style.left = `${left}px`;
  panel.style.top = `${rect.bottom + 6}px`;
}
