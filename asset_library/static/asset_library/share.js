// The public share pages (/s/{token}/). Each page is complete without this script: it
// adds arrow keys and swipes in the viewer, "Download all" with its progress in place, and
// the live refresh of a collection link. It talks to this site only (the page's CSP).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function viewerKeys(viewer) {
  const targets = { ArrowLeft: viewer.dataset.newer, ArrowRight: viewer.dataset.older, Escape: viewer.dataset.back };
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    // A focused player keeps its own arrow keys (seeking); Escape still leaves.
    if (event.key !== "Escape" && event.target.closest?.("video, audio, input, textarea, select")) return;
    const to = targets[event.key];
    if (!to) return;
    event.preventDefault();
    // Stepping through assets replaces the entry, so Back returns to the grid.
    if (event.key === "Escape") window.location.assign(to);
    else window.location.replace(to);
  });
  let start = null;
  viewer.addEventListener("touchstart", (event) => {
    start = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
  }, { passive: true });
  viewer.addEventListener("touchend", (event) => {
    if (!start) return;
    const dx = event.changedTouches[0].clientX - start.x;
    const dy = event.changedTouches[0].clientY - start.y;
    start = null;
    if (Math.abs(dx) < 60 || Math.abs(dx) < 2 * Math.abs(dy)) return;
    const to = dx > 0 ? viewer.dataset.newer : viewer.dataset.older;
    if (to) window.location.replace(to);
  });
}

async function readError(response, fallback) {
  try {
    return (await response.json()).detail || fallback;
  } catch {
    return fallback;
  }
}

function downloadAll(form) {
  const box = document.querySelector("[data-download-progress]");
  const label = box.querySelector("[data-download-label]");
  const bar = box.querySelector("[data-download-bar]");
  const link = box.querySelector("[data-download-link]");
  const button = form.querySelector("button");
  const show = (text, percent) => {
    box.hidden = false;
    label.textContent = text;
    bar.hidden = percent === null;
    if (percent !== null) bar.value = percent;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    link.hidden = true;
    show("Preparing your zip…", 0);
    try {
      const token = form.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
      let response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-CSRFToken": token },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(await readError(response, "The zip could not be started. Try again."));
      const statusUrl = response.headers.get("Location");
      let job = await response.json();
      while (!job.download_url) {
        if (job.status === "failed") throw new Error("The zip could not be made. Try again.");
        if (job.status === "succeeded") throw new Error("The shared assets changed meanwhile. Try again.");
        const percent = job.total ? Math.round((100 * job.done) / job.total) : 0;
        show(`Preparing your zip: ${job.done.toLocaleString()} of ${job.total.toLocaleString()} assets`, percent);
        await sleep(1000);
        response = await fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) throw new Error(await readError(response, "The zip is no longer available. Try again."));
        job = await response.json();
      }
      show("Your zip is ready.", 100);
      link.href = job.download_url;
      link.hidden = false;
      link.focus();
      window.location.assign(job.download_url); // an attachment: the page stays
    } catch (error) {
      show(error.message, null);
    } finally {
      button.disabled = false;
    }
  });
}

function liveRefresh(results) {
  const every = Number(results.dataset.liveEvery) || 15000;
  const summary = document.querySelector("[data-share-summary]");
  const note = document.querySelector("[data-live-note]");
  const refresh = async () => {
    if (document.hidden) return;
    let response;
    try {
      response = await fetch(results.dataset.live, {
        headers: { "X-Share-Live": "1", Accept: "text/html" },
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch {
      return; // offline for a moment: try again next time
    }
    if (response.status === 404 || response.status === 403) {
      window.location.reload(); // the link ended: show what the server says now
      return;
    }
    if (!response.ok) return;
    const next = new DOMParser().parseFromString(await response.text(), "text/html").querySelector("[data-share-grid]");
    const current = results.querySelector("[data-share-grid]");
    if (!next || !current) return;
    if (next.dataset.count === current.dataset.count && next.dataset.first === current.dataset.first) return;
    const before = new Set([...current.querySelectorAll("[data-id]")].map((card) => card.dataset.id));
    current.replaceWith(next);
    if (summary) summary.innerHTML = next.dataset.summary; // our own server-rendered, escaped text
    const added = [...next.querySelectorAll("[data-id]")].filter((card) => !before.has(card.dataset.id));
    added.forEach((card) => card.classList.add("is-new"));
    note.textContent = added.length
      ? `${added.length} new asset${added.length === 1 ? "" : "s"} added.`
      : "The shared assets were updated.";
  };
  setInterval(refresh, every);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refresh();
  });
}

const viewer = document.querySelector("[data-viewer]");
if (viewer) viewerKeys(viewer);
const form = document.querySelector("[data-download-all]");
if (form) downloadAll(form);
const results = document.querySelector("[data-live]");
if (results) liveRefresh(results);
document.documentElement.dataset.pageReady = "";
