// A collection's people and activity, in a dialog: the server renders them
// (library:collection-people); its owner's changes to the grants go through the API and
// the fragment is loaded again. The collections page and a collection's view in the
// library both open it.

import { del, messagesText, post } from "./api.js";
import { $, element, html } from "./dom.js";
import { openDialog } from "./dialog.js";
import { toastError, toastSuccess } from "./toast.js";
import { fetchHtml, parse } from "./partials.js";

/** Who the collection is shared with, and its activity: the server's fragment, in a dialog
 * whose forms change the grants through the API and then load the fragment again. */
export async function openPeopleDialog(c, libraryUrl) {
  const url = `${libraryUrl}collections/${c.id}/people/`;
  const body = element(html`<div class="people-slot" aria-live="polite"></div>`);
  const load = async () => {
    body.replaceChildren(parse(await fetchHtml(url)));
  };
  const grant = (payload) => post(`/api/v1/collections/${c.id}/grants/`, payload);
  // A refused grant is said under its form, beside the name typed (the API's `grantee`
  // messages); anything else, in a toast.
  const showGrantError = (error) => {
    const slot = $("[data-grant-error]", body);
    if (!slot || !error.data?.grantee) return false;
    slot.textContent = messagesText(error.data.grantee);
    slot.hidden = false;
    $("[name=name]", body)?.setAttribute("aria-invalid", "true");
    $("[name=name]", body)?.focus();
    return true;
  };
  const act = async (work, success, { inline = false } = {}) => {
    try {
      await work();
      await load();
      if (success) toastSuccess(success);
    } catch (error) {
      if (!(inline && showGrantError(error))) toastError(error.message);
    }
  };
  const addGrant = () => {
    const fields = $("[data-grant-form]", body);
    const input = $("[name=name]", fields);
    const name = input.value.trim();
    if (!name) {
      input.focus();
      return;
    }
    const type = $("[name=type]", fields).value;
    act(() => grant({ grantee: { type, name }, role: $("[name=role]", fields).value }), `Shared with ${name}`,
      { inline: true });
  };
  body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.closest("[data-grant-form] input")) {
      event.preventDefault(); // not the dialog's own submit
      addGrant();
    }
  });
  body.addEventListener("change", (event) => {
    const select = event.target.closest("[data-grant-role]");
    if (!select) return;
    const { type, name } = select.dataset;
    act(() => grant({ grantee: { type, name }, role: select.value }), `${name} is now ${select.value}`);
  });
  body.addEventListener("click", (event) => {
    if (event.target.closest("[data-grant-submit]")) {
      addGrant();
      return;
    }
    const button = event.target.closest("[data-revoke]");
    if (!button) return;
    const id = button.closest("[data-grant-id]").dataset.grantId;
    act(() => del(`/api/v1/collections/${c.id}/grants/${id}/`), "No longer shared with them");
  });
  try {
    await load();
  } catch (error) {
    toastError(`Couldn't load who has access: ${error.message}`);
    return;
  }
  const { done } = openDialog({ title: `People · ${c.name}`, body, wide: true, hideSubmit: true, cancelLabel: "Close" });
  await done;
}
