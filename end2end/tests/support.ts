import { expect, type Page } from "@playwright/test";

/** Waits until the WASM bundle has taken over the server-rendered page. */
export async function waitForHydration(page: Page) {
  // Generous: the first load of a page compiles the WASM module.
  await expect(page.locator(".app")).toHaveAttribute("data-hydrated", "true", { timeout: 20_000 });
}
