// Suggestions as you type in the header search box: the ARIA 1.2 combobox
// pattern (input role=combobox, a listbox popup, aria-activedescendant).
// Without JavaScript the box is a plain search form.
const DEBOUNCE_MS = 150;

function setup(form) {
  const input = form.querySelector("input[name=q]");
  const url = form.dataset.suggestUrl;
  if (!input || !url) return;
  const listbox = document.createElement("ul");
  listbox.id = `${input.id}-listbox`;
  listbox.className = "cop-combobox__listbox";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Suggestions");
  listbox.hidden = true;
  input.insertAdjacentElement("afterend", listbox);
  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  listbox.insertAdjacentElement("afterend", status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("autocomplete", "off");

  let items = [];
  let active = -1;
  let timer = null;
  let controller = null;

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const options = listbox.querySelectorAll("[role=option]");
    options.forEach((option, i) => {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(suggestions) {
    items = suggestions;
    listbox.replaceChildren();
    suggestions.forEach((s, i) => {
      const li = document.createElement("li");
      li.id = `${listbox.id}-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "cop-combobox__option";
      li.dataset.url = s.url;
      const label = document.createElement("span");
      label.className = "cop-combobox__label";
      label.textContent = s.label;
      const hint = document.createElement("span");
      hint.className = "cop-combobox__hint";
      hint.textContent = s.type === "theme" ? "Theme" : s.hint || "Person";
      li.append(label, " ", hint);
      // mousedown, not click: keep focus in the input until we navigate.
      li.addEventListener("mousedown", (event) => {
        event.preventDefault();
        window.location.assign(s.url);
      });
      listbox.append(li);
    });
    if (suggestions.length) {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = `${suggestions.length} suggestion${suggestions.length === 1 ? "" : "s"}. Use the up and down arrows to choose.`;
    } else {
      close();
      status.textContent = "";
    }
    active = -1;
  }

  async function fetchSuggestions() {
    const q = input.value.trim();
    if (q.length < 2) {
      render([]);
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(q)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) return;
      const data = await response.json();
      if (input.value.trim() === q) render(data.suggestions || []);
    } catch (error) {
      if (error.name !== "AbortError") render([]);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", (event) => {
    const open = !listbox.hidden && items.length > 0;
    switch (event.key) {
      case "ArrowDown":
        if (!open) {
          if (items.length) {
            listbox.hidden = false;
            input.setAttribute("aria-expanded", "true");
          } else {
            return;
          }
        }
        event.preventDefault();
        highlight(active + 1 >= items.length ? 0 : active + 1);
        break;
      case "ArrowUp":
        if (!open) return;
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
        break;
      case "Enter":
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(items[active].url);
        }
        // Otherwise the form submits: a normal search.
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          close();
        } else {
          input.value = "";
        }
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", () => setTimeout(close, 100));
}

document.querySelectorAll("form[data-suggest-url]").forEach(setup);
