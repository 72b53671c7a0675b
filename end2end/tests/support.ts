import { expect, type Locator, type Page } from "@playwright/test";

export const PASSWORD = "a quiet afternoon with a novel";

/** Waits until the WASM bundle has taken over the server-rendered page. */
export async function waitForHydration(page: Page) {
  // Generous: the first load of a page compiles the WASM module, and on a
  // busy 2-core machine several browser contexts may be compiling at once.
  try {
    await expect(page.locator(".app")).toHaveAttribute("data-hydrated", "true", { timeout: 45_000 });
  } catch (error) {
    // Say why: a panic during hydration, a script that failed to load.
    const errors = (await page.pageErrors()).map((e) => `page error: ${e.message}`);
    const console = (await page.consoleMessages())
      .filter((m) => m.type() === "error" || m.type() === "warning")
      .map((m) => `console ${m.type()}: ${m.text()}`);
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((r) => r.name.includes("/pkg/"))
        .map((r) => {
          const t = r as PerformanceResourceTiming;
          return `${t.name}: ${t.responseStatus} after ${Math.round(t.duration)} ms, ${t.transferSize} bytes`;
        }),
    );
    throw new Error(
      `${page.url()} did not hydrate.\n${[...errors, ...console, ...scripts].join("\n")}\n${error}`,
    );
  }
}

/** A unique email per test, worker and run, so journeys never collide. */
export function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Creates an account through the sign-up form and waits until signed in. */
export async function signUp(page: Page, name: string, email: string) {
  await page.goto("/register");
  await waitForHydration(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(name);
}

/** Signs in through the form and waits until signed in. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

/**
 * Without JavaScript: clicks a form's submit button and waits until the page
 * the plain form post leads to (after its redirect) has loaded. Going
 * elsewhere (or reloading) before that would race the post's navigation.
 */
export async function submitPlainForm(page: Page, button: Locator) {
  const arrived = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
  await button.click();
  await arrived;
  await page.waitForLoadState("load");
}
