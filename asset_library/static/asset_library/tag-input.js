// A tag field: chips for the tags, a text box with suggestions from /api/v1/tags/?q=.
// Automatic tags (derived by the system) are marked "auto" and removable like the rest.

import { get } from "./api.js";
import { debounce, element, html, icon } from "./dom.js";

let counter = 0;

export async function suggestTags(query, limit = 8) {
  return get("/api/v1/tags/", { params: { q: query, limit } });
}

export class TagInput {
  /**
   * tags: initial names; autoTags: which of them are automatic; label: accessible name;
   * suggest(q): [{name, count}] (defaults to the tags API); onChange(names).
   */
  constructor({ tags = [], autoTags = [], label = "Tags", placeholder = "Add a tag…", suggest = suggestTags, onChange = null } = {}) {
    counter += 1;
    this.listId = `tag-suggestions-${counter}`;
    this.tags = [];
    this.auto = new Set(autoTags.map((t) => t.toLowerCase()));
    this.suggest = suggest;
    this.onChange = onChange;
    this.options = [];
    this.active = -1;
    this.el = element(html`<div class="tag-input" data-tag-input>
      <input type="text" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="${this.listId}"
        aria-label="${label}" placeholder="${placeholder}" autocomplete="off" spellcheck="false" maxlength="100">
      <ul class="suggestions" role="listbox" id="${this.listId}" aria-label="Suggestions" hidden></ul>
    </div>`);
    this.input = this.el.querySelector("input");
    this.list = this.el.querySelector("ul");
    tags.forEach((name) => this.add(name, { silent: true }));
    this.bind();
  }

  get value() {
    return [...this.tags];
  }

  has(name) {
    return this.tags.some((t) => t.toLowerCase() === name.toLowerCase());
  }

  add(raw, { silent = false } = {}) {
    const name = raw.split(/\s+/).join(" ").trim();
    if (!name || this.has(name)) return false;
    this.tags.push(name);
    const auto = this.auto.has(name.toLowerCase());
    const chip = element(html`<span class="tag-chip${auto ? " is-auto" : ""}" data-tag="${name}">
      <span class="tag-chip-name">${name}</span>${auto ? html`<span class="auto-badge" title="Added automatically">auto</span>` : ""}
      <button type="button" aria-label="Remove tag ${name}" title="Remove">${icon("x")}</button>
    </span>`);
    chip.querySelector("button").addEventListener("click", (event) => {
      event.stopPropagation();
      this.remove(name);
      this.input.focus();
    });
    this.el.insertBefore(chip, this.input);
    if (!silent) this.onChange?.(this.value);
    return true;
  }

  remove(name) {
    const index = this.tags.findIndex((t) => t.toLowerCase() === name.toLowerCase());
    if (index < 0) return;
    this.tags.splice(index, 1);
    this.el.querySelectorAll(".tag-chip")[index]?.remove();
    this.onChange?.(this.value);
  }

  /** Add what is typed (called before reading `value` on submit). */
  commit() {
    if (this.input.value.trim()) {
      this.add(this.input.value);
      this.input.value = "";
    }
    this.close();
  }

  bind() {
    this.el.addEventListener("click", (event) => {
      if (event.target === this.el) this.input.focus();
    });
    const load = debounce(async (query) => {
      try {
        const rows = await this.suggest(query);
        if (this.input.value.trim() !== query) return;
        this.show(rows.filter((row) => !this.has(row.name)));
      } catch {
        this.close();
      }
    }, 150);
    this.input.addEventListener("input", () => {
      const query = this.input.value.trim();
      if (query.includes(",")) {
        query.split(",").slice(0, -1).forEach((part) => this.add(part));
        this.input.value = query.split(",").pop().trimStart();
      }
      if (this.input.value.trim()) load(this.input.value.trim());
      else { load.cancel(); this.close(); }
    });
    this.input.addEventListener("focus", () => {
      if (!this.input.value.trim()) return;
      load(this.input.value.trim());
    });
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("blur", () => {
      setTimeout(() => {
        if (document.activeElement !== this.input) this.commit();
      }, 120);
    });
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => {
      const item = event.target.closest("li[data-name]");
      if (!item) return;
      this.add(item.dataset.name);
      this.input.value = "";
      this.close();
      this.input.focus();
    });
  }

  onKey(event) {
    const open = !this.list.hidden;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      this.highlight(Math.min(this.active + 1, this.options.length - 1));
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      this.highlight(Math.max(this.active - 1, 0));
    } else if (event.key === "Enter" || event.key === "," || (event.key === "Tab" && this.input.value.trim())) {
      const choice = open && this.active >= 0 ? this.options[this.active] : null;
      const text = choice ? choice.name : this.input.value.trim();
      if (!text) return;
      event.preventDefault();
      this.add(text);
      this.input.value = "";
      this.close();
    } else if (event.key === "Escape" && (open || this.input.value)) {
      event.preventDefault();
      event.stopPropagation();
      if (open) this.close();
      else this.input.value = "";
    } else if (event.key === "Backspace" && !this.input.value && this.tags.length) {
      this.remove(this.tags[this.tags.length - 1]);
    }
  }

  show(rows) {
    this.options = rows;
    this.active = rows.length ? 0 : -1;
    if (!rows.length) { this.close(); return; }
    this.list.innerHTML = rows.map((row, i) => html`<li role="option" id="${this.listId}-${i}" data-name="${row.name}" aria-selected="${i === 0 ? "true" : "false"}"><span>${row.name}</span><span class="count">${row.count}</span></li>`).join("");
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.input.setAttribute("aria-activedescendant", `${this.listId}-0`);
  }

  highlight(index) {
    this.active = index;
    this.list.querySelectorAll("li").forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
    this.input.setAttribute("aria-activedescendant", `${this.listId}-${index}`);
    this.list.children[index]?.scrollIntoView({ block: "nearest" });
  }

  close() {
    this.list.hidden = true;
    this.options = [];
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }
}
