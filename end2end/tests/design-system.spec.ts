import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { waitForHydration } from "./support";

// The components of docs/DESIGN-SYSTEM.md, written as that page shows them,
// in a real page of the app (the site's stylesheet and layout), held to the
// rules every page is held to (every-page.spec.ts) before any page uses them:
// no sideways scrolling at 390 px, no axe violations in either colour scheme,
// a visible focus ring, a menu that stays on the screen.

const LONG_TITLE = "The Unbearable Lightness of Being: A Novel in Seven Parts, Translated from the Czech";
const LONG_URL = "https://books.example.org/invite/9f3c2a7e-5b1d-4c8e-a6f0-2d7b9e4c1a38-harbour-lighthouse-readers";

const GALLERY = `
<h1>Components</h1>
<div class="stack">
  <div class="cluster">
    <span class="badge">Owner</span><span class="badge success">Winner</span>
    <span class="badge warning">Waitlist</span><span class="badge danger">Full</span>
  </div>
  <ul class="chips">
    <li><a class="chip" href="/clubs?tag=classics">classics</a></li>
    <li><a class="chip" href="/clubs?tag=x">translated-fiction-from-the-scandinavian-languages</a></li>
  </ul>
  <p class="flash success" role="status">Saved.</p>
  <p class="flash error" role="alert">That did not work.</p>
  <div class="flash info" role="status">
    <p>Voting has started: ${LONG_URL}</p>
    <button type="button" class="flash-dismiss" aria-label="Dismiss">×</button>
  </div>
  <section class="card confirm" aria-labelledby="confirm-heading">
    <h2 id="confirm-heading">Delete this poll?</h2>
    <p>Its ballots and results go with it.</p>
    <div class="actions">
      <button type="submit" class="danger">Delete poll</button>
      <a class="button secondary" href="/">Keep it</a>
    </div>
  </section>
  <div class="cluster" data-testid="avatars">
    ${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `<span class="avatar md avatar-${i}" role="img" aria-label="Person ${i}">P${i}</span>`).join("")}
    ${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `<span class="avatar sm avatar-${i}" role="img" aria-label="Person ${i}">Q${i}</span>`).join("")}
  </div>
  <div class="person-groups">
    <section class="person-group" aria-labelledby="going-heading">
      <h3 id="going-heading">Going <span class="count">2</span></h3>
      <ul class="person-list">
        <li><span class="avatar sm avatar-3" aria-hidden="true">AL</span><span class="person-name">Ana Lindqvist</span><span class="muted">Depends on the trains</span></li>
        <li><span class="avatar sm avatar-6" aria-hidden="true">MO</span><span class="person-name">Marguerite Oyelaran-Featherstonehaugh-Montmorency</span></li>
      </ul>
    </section>
    <section class="person-group" aria-labelledby="maybe-heading">
      <h3 id="maybe-heading">Maybe <span class="count">1</span></h3>
      <ul class="person-list inline">
        <li><span class="avatar sm avatar-1" aria-hidden="true">BP</span><span class="person-name">Ben Plain</span></li>
      </ul>
    </section>
  </div>
  <div class="page-heading">
    <h2>Bookshelf</h2>
    <details class="menu" data-testid="menu-end">
      <summary class="button secondary">Actions<span class="visually-hidden"> for the shelf</span></summary>
      <div class="menu-items">
        <a href="/">Edit</a>
        <form method="post" action="/"><button type="submit">Move to “read”</button></form>
        <hr>
        <a class="danger" href="/">Remove…</a>
      </div>
    </details>
  </div>
  <details class="menu start" data-testid="menu-start">
    <summary>More</summary>
    <div class="menu-items"><a href="/">${LONG_TITLE}</a><button type="button">Copy link</button></div>
  </details>
  <figure class="chart" data-testid="chart">
    <figcaption>How the votes moved, round by round</figcaption>
    <ol class="chart-rounds"><li class="chart-round">
      <h4 class="chart-round-title">Round 1</h4>
      <ul class="chart-rows">
        <li class="chart-row">
          <span class="chart-label">${LONG_TITLE}</span>
          <svg class="chart-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="60" height="1"></rect></svg>
          <span class="chart-value">3 votes (60%)</span>
        </li>
        <li class="chart-row winner">
          <span class="chart-label">Emma</span>
          <svg class="chart-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="100" height="1"></rect></svg>
          <span class="chart-value">5 votes (100%) <span class="badge success">winner</span></span>
        </li>
        <li class="chart-row out">
          <span class="chart-label">Dune</span>
          <svg class="chart-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="0" height="1"></rect></svg>
          <span class="chart-value">0 votes (0%) <span class="badge danger">out</span></span>
        </li>
      </ul>
    </li></ol>
  </figure>
  <div class="copy-field">
    <p class="copy-label" id="invite-url-label">Invitation link</p>
    <div class="copy-row">
      <code id="invite-url" class="copy-text">${LONG_URL}</code>
      <button type="button" class="secondary copy-button" data-copy="invite-url" aria-describedby="invite-url-label">Copy</button>
    </div>
  </div>
</div>`;

/** A page of the app (its stylesheet, header and footer) with the gallery as its content. */
async function gallery(page: Page, colorScheme: "light" | "dark") {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.emulateMedia({ colorScheme });
  await page.goto("/no-such-page");
  await waitForHydration(page);
  await page.locator("main").evaluate((main, html) => (main.innerHTML = html), GALLERY);
}

for (const scheme of ["light", "dark"] as const) {
  test(`the components pass axe and fit a phone, ${scheme} colour scheme`, async ({ page }) => {
    await gallery(page, scheme);
    for (const menu of await page.locator("details.menu").all()) await menu.evaluate((d) => d.setAttribute("open", ""));
    const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(width[0], "the gallery scrolls sideways").toBeLessThanOrEqual(width[1]);
    const results = await new AxeBuilder({ page }).include("main").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const violations = results.violations.map(
      (v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(" ")} — ${n.any[0]?.message ?? ""}`).join("\n")}`,
    );
    expect(violations, violations.join("\n")).toEqual([]);
  });
}

test("an open menu stays on the screen, on a phone and on a desktop", async ({ page }) => {
  await gallery(page, "light");
  for (const size of [{ width: 390, height: 800 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(size);
    for (const id of ["menu-end", "menu-start"]) {
      const menu = page.getByTestId(id);
      await menu.locator("summary").click();
      const box = (await menu.locator(".menu-items").boundingBox())!;
      expect(box.x, `${id} at ${size.width} px`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${id} at ${size.width} px`).toBeLessThanOrEqual(size.width);
      expect(box.y + box.height, `${id} at ${size.width} px`).toBeLessThanOrEqual(size.height);
      // Every entry is a comfortable target.
      for (const entry of await menu.locator(".menu-items :is(a, button)").all()) {
        expect((await entry.boundingBox())!.height).toBeGreaterThanOrEqual(43);
      }
      await menu.locator("summary").click();
    }
  }
});

test("a chart's long label wraps, and each bar is as long as its value", async ({ page }) => {
  await gallery(page, "light");
  const rows = page.getByTestId("chart").locator(".chart-row");
  const label = rows.first().locator(".chart-label");
  const fits = await label.evaluate((l) => l.scrollWidth <= l.clientWidth);
  expect(fits, "the label is cut").toBe(true);
  expect((await label.boundingBox())!.height, "the label wraps").toBeGreaterThan(30);
  expect(await label.evaluate((l) => getComputedStyle(l).fontSize)).toBe("16px");
  const fill = (i: number) =>
    rows.nth(i).locator("svg.chart-bar").evaluate((bar) => {
      const rect = bar.querySelector("rect")!.getBoundingClientRect();
      return rect.width / bar.getBoundingClientRect().width;
    });
  expect(await fill(0)).toBeCloseTo(0.6, 1);
  expect(await fill(1)).toBeCloseTo(1, 1);
  expect(await fill(2)).toBe(0);
});

test("the copy button goes under its field on a phone", async ({ page }) => {
  await gallery(page, "light");
  const input = (await page.locator(".copy-row .copy-text").boundingBox())!;
  const button = (await page.locator(".copy-row button").boundingBox())!;
  expect(button.y).toBeGreaterThanOrEqual(input.y + input.height);
  expect(button.x + button.width).toBeLessThanOrEqual(390);
});

for (const scheme of ["light", "dark"] as const) {
  test(`the keyboard's place is visible on every kind of control, ${scheme} colour scheme`, async ({ page }) => {
    await gallery(page, scheme);
    // Tab through the page; every element that takes focus draws the ring.
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      const ring = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return {
          what: `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${(el.textContent ?? "").trim().slice(0, 20)}"`,
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
          color: style.outlineColor,
        };
      });
      if (!ring) break;
      expect(ring.outline, `${ring.what} has no focus ring`).toBe(true);
      seen.push(ring.what);
    }
    expect(seen.length).toBeGreaterThan(10);
  });
}
