// Loads the WASM bundle and brings each island on the page to life: the
// loader Leptos's `HydrationScripts` writes in islands mode (leptos 0.8
// island_script.js), plus what it lacks: it says in the console when the
// bundle fails to load, it marks the page `data-hydrated="true"` once every
// island works (the end-to-end tests wait for that; the CSS collapses the
// phone menu only then), and it sends forms without leaving the page (below).
// Called with the bundle's two URLs.
((js, wasm) => {
  const childrenCallbacks = [];
  async function hydrateIsland(el, mod) {
    const island = mod[el.dataset.component];
    if (!island) {
      console.warn(`Bookwork has no script for the island ${el.dataset.component}.`);
      return;
    }
    const children = childrenCallbacks[childrenCallbacks.length - 1];
    if (children) children();
    await island(el);
  }
  async function traverse(node, mod) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName.toLowerCase();
    if (tag === "leptos-island") await hydrateIsland(node, mod);
    if (tag === "leptos-children") childrenCallbacks.push(node.$$on_hydrate);
    for (const child of node.children) await traverse(child, mod);
    if (tag === "leptos-children") childrenCallbacks.pop();
  }
  async function hydrate(app, mod) {
    await traverse(app, mod);
    copyButtons();
    yourTimes();
    suggestZones();
    searchableZones();
    app.setAttribute("data-hydrated", "true");
  }

  // Forms. Every form posts to a server function (/api/...) and works as a
  // plain HTML form: the server answers with the page to show next (the
  // form's own page again, saying what was done or what was wrong and
  // keeping what was typed, or a page the action made). With the scripts
  // running, that post is sent with fetch instead and the page it leads to
  // replaces this one in place: no reload, the scroll position and
  // everything typed stay. The server renders both the same way, so there is
  // one behaviour to build and test.
  const sameForm = (form, root) => {
    const action = form.getAttribute("action");
    const twins = [...root.querySelectorAll("form")].filter((f) => f.getAttribute("action") === action);
    return (other) => {
      const all = [...other.querySelectorAll("form")].filter((f) => f.getAttribute("action") === action);
      return all[twins.indexOf(form)];
    };
  };
  // A post that failed comes back with what was typed (never passwords):
  // put back exactly what was in the fields, passwords included.
  function keepTyped(from, to) {
    for (const field of from.elements) {
      if (!field.name) continue;
      const twin = [...to.elements].find(
        (f) => f.name === field.name && (field.type !== "radio" && field.type !== "checkbox" || f.value === field.value),
      );
      if (!twin) continue;
      if (field.type === "radio" || field.type === "checkbox") twin.checked = field.checked;
      else if (field.type !== "hidden" && field.type !== "submit") twin.value = field.value;
    }
  }
  function say(form, message) {
    let alert = form.querySelector(".flash.error");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "flash error";
      alert.setAttribute("role", "alert");
      form.prepend(alert);
    }
    alert.textContent = message;
  }
  function listen(mod) {
    let sending = false;
    document.addEventListener("submit", async (event) => {
      const form = event.target;
      if (event.defaultPrevented || !(form instanceof HTMLFormElement) || form.target) return;
      const action = new URL(form.action, location.href);
      const ours = action.origin === location.origin && action.pathname.startsWith("/api/");
      if (form.method.toLowerCase() !== "post" || !ours) return;
      event.preventDefault();
      if (sending) return;
      sending = true;
      form.setAttribute("aria-busy", "true");
      const body = new URLSearchParams(new FormData(form, event.submitter));
      try {
        const response = await fetch(action, {
          method: "POST",
          body,
          headers: { Accept: "text/html" },
          credentials: "same-origin",
        });
        const html = (response.headers.get("content-type") || "").startsWith("text/html") ? await response.text() : "";
        const page = new DOMParser().parseFromString(html, "text/html");
        const next = page.querySelector(".app");
        if (!next) {
          // Not one of our pages (an outage answers with a bare page):
          // say so on the form, which keeps everything typed.
          say(
            form,
            response.status >= 500
              ? "Bookwork is briefly unavailable, so nothing was saved. Try again in a moment."
              : "That didn't work, and nothing was saved. Reload the page and try again.",
          );
          return;
        }
        const arrived = new URL(response.url);
        const failed = arrived.searchParams.has("__err");
        arrived.searchParams.delete("__err");
        arrived.searchParams.delete("__path");
        const app = document.querySelector(".app");
        const twinIn = sameForm(form, app);
        const submitter = event.submitter && [...form.elements].indexOf(event.submitter);
        app.replaceWith(next);
        document.title = page.title;
        const here = new URL(location.href);
        if (arrived.pathname + arrived.search !== here.pathname + here.search) {
          history.pushState(null, "", arrived);
        }
        const twin = twinIn(next);
        if (failed && twin) keepTyped(form, twin);
        await hydrate(next, mod);
        const focus = failed
          ? twin && (twin.querySelector('[aria-invalid="true"]') || twin.querySelector('[role="alert"]'))
          : twin && twin.elements[submitter];
        if (focus) {
          if (!focus.matches("input, select, textarea, button")) focus.setAttribute("tabindex", "-1");
          focus.focus({ preventScroll: !failed });
        } else {
          document.getElementById("main")?.focus({ preventScroll: true });
        }
      } catch (error) {
        console.error("Bookwork could not send a form:", error);
        say(form, "Bookwork could not be reached, so nothing was saved. Check the connection and try again.");
      } finally {
        sending = false;
        form.removeAttribute("aria-busy");
      }
    });
  }

  // An event's time in the browser's own zone, when that is not the
  // event's: "Fri 4 Dec 2026, 11:30 your time". The server cannot know the
  // zone of a reader who never chose one.
  const yourZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  function yourTimes() {
    for (const line of document.querySelectorAll("[data-your-time]")) {
      if (!yourZone || line.dataset.zone === yourZone) continue;
      const when = new Date(line.dataset.yourTime);
      const text = new Intl.DateTimeFormat("en-GB", {
        weekday: "short", day: "numeric", month: "short", year: "numeric",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: yourZone,
      }).format(when).replace(/^(\w+),? /, "$1 ").replace(/ at /, ", ");
      line.textContent = `${text} your time (${yourZone.replace(/_/g, " ")})`;
      line.hidden = false;
    }
  }
  // A zone list gets a search box above it: typing part of a place ("tokyo",
  // "new york") narrows the list to the zones that match and chooses the
  // first. The <select> stays the form's field, and the whole of it without
  // JavaScript; the box has no name, so it is never sent.
  function searchableZones() {
    for (const select of document.querySelectorAll("select[data-zone-list]")) {
      if (select.previousElementSibling?.classList.contains("zone-search")) continue;
      const search = document.createElement("input");
      search.type = "search";
      search.className = "zone-search";
      search.placeholder = "Search: Tokyo, Lisbon, New York…";
      // Not "time zone": the select keeps that label to itself.
      search.setAttribute("aria-label", "Search the zone list by city");
      search.setAttribute("aria-controls", select.id);
      search.addEventListener("keydown", (event) => {
        // Enter chooses, it does not send the form half filled.
        if (event.key === "Enter") event.preventDefault();
      });
      search.addEventListener("input", () => {
        const words = search.value.toLowerCase().replace(/_/g, " ").trim();
        let first = null;
        for (const option of select.options) {
          const text = `${option.value} ${option.textContent}`.toLowerCase().replace(/_/g, " ");
          const shown = !words || !option.value || text.includes(words);
          option.hidden = !shown;
          if (shown && option.value && !first) first = option;
        }
        for (const group of select.querySelectorAll("optgroup")) {
          group.hidden = [...group.children].every((option) => option.hidden);
        }
        if (words && first) select.value = first.value;
      });
      select.before(search);
    }
  }
  // A new club's zone starts as the browser's (`forms::ZoneField`).
  function suggestZones() {
    for (const select of document.querySelectorAll('select[data-browser-zone="suggest"]')) {
      if ([...select.options].some((o) => o.value === yourZone)) select.value = yourZone;
    }
  }

  // Copy buttons (`ui::CopyField`): hidden in the server's HTML, since
  // without a script they cannot copy; shown once this runs.
  function copyButtons() {
    for (const button of document.querySelectorAll("button[data-copy]")) button.hidden = false;
  }
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element && event.target.closest("button[data-copy]");
    if (!button) return;
    const text = document.getElementById(button.dataset.copy);
    if (!text) return;
    // Selected either way, so the keyboard's copy works too.
    getSelection().selectAllChildren(text);
    try {
      await navigator.clipboard.writeText(text.textContent);
      button.textContent = "Copied";
    } catch {
      // No clipboard (an insecure origin, a refusal): the text is selected.
      button.textContent = "Selected: press Ctrl+C";
    }
  });

  import(js)
    .then((mod) =>
      mod.default({ module_or_path: wasm }).then(async () => {
        mod.hydrate();
        await hydrate(document.querySelector(".app") || document.body, mod);
        listen(mod);
      }),
    )
    .catch((error) => console.error("Bookwork could not start its scripts:", error));
})
