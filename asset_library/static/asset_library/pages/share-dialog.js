// The share dialog of the asset and collections pages: expiry, allow download and an
// optional password, then the new link ready to copy. POSTs to the endpoint it is given
// (/api/v1/assets/{id}/share/, /api/v1/collections/{id}/share/, or for the library's
// selection /api/v1/assets/bulk/share/ with the selection's ids or filter in `extra`).

import { post } from "../api.js";
import { copyText, element, html, icon } from "../dom.js";
import { openDialog } from "../dialog.js";
import { plural } from "../format.js";

const EXPIRY_CHOICES = [["", "Never"], ["1", "1 day"], ["7", "7 days"], ["30", "30 days"], ["90", "90 days"]];
const MIN_PASSWORD = 4;

/** Open the dialog. Resolves with the created link ({id, url, ...}) or null if none was made. */
export async function openShareDialog({ endpoint, title, intro, extra = {} }) {
  const body = element(html`<div class="stack share-form">
    <p>${intro}</p>
    <div class="share-options">
      <div class="field">
        <label for="share-expiry">Link expires</label>
        <select id="share-expiry" name="expires">${EXPIRY_CHOICES.map(([value, label]) => html`<option value="${value}"${value === "30" ? " selected" : ""}>${label}</option>`)}</select>
      </div>
      <div class="field">
        <label for="share-password">Password <span class="field-optional">(optional)</span></label>
        <input id="share-password" name="password" type="text" autocomplete="off" spellcheck="false" maxlength="128" placeholder="No password" aria-describedby="share-password-hint">
      </div>
    </div>
    <p class="field-hint" id="share-password-hint">With a password, visitors must type it before they see anything (at least ${MIN_PASSWORD} characters).</p>
    <label class="check-row"><input type="checkbox" class="checkbox" name="allow_download" checked> Allow downloads</label>
    <div class="field share-created" data-share-result hidden>
      <label for="share-url">Link</label>
      <div class="share-result">
        <input id="share-url" readonly class="input">
        <button type="button" class="btn" data-copy-link>${icon("copy")}<span>Copy link</span></button>
        <a class="btn btn-ghost" data-open-link target="_blank" rel="noopener" title="Open the link">${icon("external")}<span class="visually-hidden">Open the link</span></a>
      </div>
      <p class="field-hint" data-share-meta></p>
    </div>
  </div>`);
  let created = null;
  const dialog = openDialog({
    title,
    body,
    submitLabel: "Create link",
    submitIcon: "link",
    onSubmit: async (form, { dialog: node }) => {
      if (created) return true;
      const password = form.elements.password.value;
      if (password && password.length < MIN_PASSWORD) {
        form.elements.password.setAttribute("aria-invalid", "true");
        form.elements.password.focus();
        throw new Error(`The password needs at least ${MIN_PASSWORD} characters (or leave it empty).`);
      }
      form.elements.password.removeAttribute("aria-invalid");
      const payload = { ...extra, allow_download: form.elements.allow_download.checked };
      if (form.elements.expires.value) payload.expires_in_days = Number(form.elements.expires.value);
      if (password) payload.password = password;
      created = await post(endpoint, payload);
      const url = new URL(created.url, window.location.origin).href;
      body.querySelector("[data-share-result]").hidden = false;
      body.querySelector("#share-url").value = url;
      body.querySelector("[data-open-link]").href = url;
      body.querySelector("[data-share-meta]").textContent = [
        plural(created.asset_count ?? 0, "asset"),
        created.allow_download ? "downloads allowed" : "view only",
        created.has_password ? "password protected" : "no password",
        created.expires_at ? `expires ${new Date(created.expires_at).toLocaleDateString()}` : "never expires",
      ].join(" · ");
      ["expires", "password", "allow_download"].forEach((name) => { form.elements[name].disabled = true; });
      const submit = node.querySelector("[data-dialog-submit]");
      submit.querySelector("span").textContent = "Done";
      submit.querySelector("svg")?.remove();
      node.querySelector(".modal-foot [data-dialog-cancel]").hidden = true;
      const input = body.querySelector("#share-url");
      input.focus();
      input.select();
      return false;
    },
  });
  body.querySelector("[data-copy-link]").addEventListener("click", async (event) => {
    const label = event.currentTarget.querySelector("span");
    const ok = await copyText(body.querySelector("#share-url").value);
    label.textContent = ok ? "Copied" : "Press Ctrl+C";
    setTimeout(() => { label.textContent = "Copy link"; }, 2000);
  });
  await dialog.done;
  return created;
}
