// The teams page: create, rename and delete a team, add members and set their roles,
// remove them, or leave. After each change the server renders the list again
// (library:teams-fragment); nothing is drawn here.

import { del, patch, post } from "../api.js";
import { $, element, html } from "../dom.js";
import { confirmDialog, openDialog, requiredText } from "../dialog.js";
import { toastError, toastSuccess } from "../toast.js";
import { refreshFrom } from "../partials.js";

const root = $("[data-teams-page]");
const readConfig = () => JSON.parse(document.getElementById("page-config").textContent);
let config = readConfig();

const find = (id) => config.teams.find((t) => t.id === id);
const teamUrl = (team, rest = "") => `/api/v1/teams/${team.id}/${rest}`;

/** The list as the server has it now. */
async function refresh() {
  await refreshFrom(config.fragment_url);
  config = readConfig();
}

function nameForm(team = null) {
  return element(html`<div class="field">
    <label for="team-name">Name</label>
    <input id="team-name" name="name" maxlength="100" required value="${team ? team.name : ""}" placeholder="e.g. Design studio" autofocus>
  </div>`);
}

function readName(form) {
  return { name: requiredText(form.elements.name, "Give the team a name.") };
}

async function create() {
  const { done } = openDialog({
    title: "New team", body: nameForm(), submitLabel: "Create",
    onSubmit: async (form) => post("/api/v1/teams/", readName(form)),
  });
  const team = await done;
  if (!team) return;
  await refresh();
  toastSuccess(`Team “${team.name}” created; you are its admin`);
}

async function rename(team) {
  const { done } = openDialog({
    title: "Rename team", body: nameForm(team), submitLabel: "Save",
    onSubmit: async (form) => patch(teamUrl(team), readName(form)),
  });
  if (!(await done)) return;
  await refresh();
  toastSuccess("Team renamed");
}

async function add(team) {
  const body = element(html`<div class="stack">
    <div class="field">
      <label for="member-username">Username</label>
      <input id="member-username" name="username" maxlength="150" required autocomplete="off" autofocus>
    </div>
    <div class="field">
      <label for="member-role">Role</label>
      <select id="member-role" name="role">
        <option value="member">Member: sees what is shared with the team</option>
        <option value="admin">Admin: also manages the team</option>
      </select>
    </div>
  </div>`);
  const { done } = openDialog({
    title: `Add to “${team.name}”`, body, submitLabel: "Add",
    onSubmit: async (form) => {
      const username = form.elements.username.value.trim();
      if (!username) throw new Error("Type the person's username.");
      return post(teamUrl(team, "members/"), { username, role: form.elements.role.value });
    },
  });
  if (!(await done)) return;
  await refresh();
  toastSuccess(`Added to “${team.name}”`);
}

async function setRole(team, username, role) {
  try {
    await post(teamUrl(team, "members/"), { username, role });
    toastSuccess(`${username} is now ${role === "admin" ? "an admin" : "a member"}`);
  } catch (error) {
    toastError(`Couldn't change the role: ${error.message}`);
  }
  await refresh();
}

async function removeMember(team, username, { leaving = false } = {}) {
  const ok = await confirmDialog({
    title: leaving ? `Leave “${team.name}”?` : `Remove ${username}?`,
    message: leaving
      ? "You lose access to what is shared with this team at once."
      : `${username} loses access to what is shared with “${team.name}” at once.`,
    confirmLabel: leaving ? "Leave team" : "Remove",
    danger: true,
  });
  if (!ok) return;
  try {
    await del(teamUrl(team, `members/${encodeURIComponent(username)}/`));
    await refresh();
    toastSuccess(leaving ? `You left “${team.name}”` : `${username} removed`);
  } catch (error) {
    toastError(error.message);
  }
}

async function remove(team) {
  const ok = await confirmDialog({
    title: `Delete “${team.name}”?`,
    message: "Everything shared with the team stops being shared with its members at once. Their own assets stay theirs.",
    confirmLabel: "Delete team", confirmIcon: "trash", danger: true,
  });
  if (!ok) return;
  try {
    await del(teamUrl(team));
    await refresh();
    toastSuccess(`Team “${team.name}” deleted`);
  } catch (error) {
    toastError(error.message);
  }
}

root.addEventListener("click", (event) => {
  if (event.target.closest("[data-create]")) {
    create();
    return;
  }
  const button = event.target.closest("[data-action]");
  if (!button) return;
  const team = find(button.closest("[data-team-id]").dataset.teamId);
  if (!team) return;
  const username = button.closest("[data-username]")?.dataset.username;
  const action = button.dataset.action;
  if (action === "add") add(team);
  else if (action === "rename") rename(team);
  else if (action === "delete") remove(team);
  else if (action === "remove") removeMember(team, username);
  else if (action === "leave") removeMember(team, username, { leaving: true });
});

root.addEventListener("change", (event) => {
  const select = event.target.closest("[data-role-select]");
  if (!select) return;
  const team = find(select.closest("[data-team-id]").dataset.teamId);
  if (team) setRole(team, select.closest("[data-username]").dataset.username, select.value);
});

// Ready: the page answers clicks and keys (the browser tests wait for this).
document.documentElement.dataset.pageReady = "true";
