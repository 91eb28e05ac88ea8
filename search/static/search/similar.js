// "Similar work already exists": any create form opts in with
//   <form data-similar-url="/search/similar/" data-similar-kind="thread"
//         data-similar-title="title" data-similar-summary="body">
// (the names of its title and summary fields), or by marking the fields
// themselves with data-similar-source="title" / data-similar-source="summary".
// While the member types (debounced) we show up to five similar items in a
// panel after the summary field. Without JavaScript, the form's "Check for
// similar work" button (formaction = this endpoint) does the job.
const DEBOUNCE_MS = 500;
const MIN_CHARS = 8;

function setup(form) {
  const url = form.dataset.similarUrl;
  for (const role of ["title", "summary"]) {
    const name = form.dataset[`similar${role[0].toUpperCase()}${role.slice(1)}`];
    const field = name ? form.elements.namedItem(name) : null;
    if (field && field.tagName && !field.dataset.similarSource) {
      field.dataset.similarSource = role;
    }
  }
  const sources = form.querySelectorAll("[data-similar-source]");
  if (!url || !sources.length) return;
  const kind = form.dataset.similarKind || "";
  let panel = form.querySelector("[data-similar-panel]");
  if (!panel) {
    panel = document.createElement("div");
    panel.dataset.similarPanel = "";
    const anchor =
      form.querySelector("[data-similar-source=summary]") || sources[sources.length - 1];
    const group = anchor.closest(".govuk-form-group") || anchor;
    group.insertAdjacentElement("afterend", panel);
  }
  panel.setAttribute("aria-live", "polite");
  let timer = null;
  let controller = null;
  let last = "";

  function values() {
    const params = new URLSearchParams({ similar_kind: kind, fragment: "1" });
    sources.forEach((field) => {
      const role = field.dataset.similarSource;
      const value = field.value.trim();
      if (value) params.set(role, (params.get(role) ? `${params.get(role)} ` : "") + value);
    });
    return params;
  }

  async function check() {
    const params = values();
    const text = `${params.get("title") || ""} ${params.get("summary") || ""}`.trim();
    if (text.length < MIN_CHARS || text === last) return;
    last = text;
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${url}?${params}`, {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) return;
      // Server-rendered and escaped by Django's templates.
      panel.innerHTML = await response.text();
    } catch (error) {
      if (error.name !== "AbortError") panel.replaceChildren();
    }
  }

  sources.forEach((field) => {
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, DEBOUNCE_MS);
    });
  });
  // With JavaScript the panel replaces the fallback button.
  form.querySelectorAll("[data-similar-fallback]").forEach((button) => {
    button.hidden = true;
    button.style.display = "none";
  });
}

document.querySelectorAll("form[data-similar-url]").forEach(setup);
