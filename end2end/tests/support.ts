import { expect, type Page } from "@playwright/test";

/** Waits until the WASM bundle has taken over the server-rendered page. */
export async function waitForHydration(page: Page) {
  await expect(page.locator(".app")).toHaveAttribute("data-hydrated", "true");
}
