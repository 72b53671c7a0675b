import { expect, test } from "@playwright/test";
import { waitForHydration } from "./support";

test.describe("app shell", () => {
  test("the home page renders and hydrates", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Your book club, organised" })).toBeVisible();
    await expect(page).toHaveTitle("Bookwork");
    await waitForHydration(page);
  });

  test.describe("on a phone", () => {
    test.use({ viewport: { width: 390, height: 800 } });

    test("the menu opens only once the WASM runs", async ({ page }) => {
      await page.goto("/");
      await waitForHydration(page);
      const menu = page.getByRole("button", { name: "Menu" });
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(menu).toHaveAttribute("aria-expanded", "false");
      await expect(nav).toBeHidden();
      await menu.click();
      await expect(menu).toHaveAttribute("aria-expanded", "true");
      await expect(nav.getByRole("link", { name: "Home" })).toBeVisible();
      await menu.click();
      await expect(nav).toBeHidden();
    });

    test("negative control: with the WASM blocked nothing hydrates and the links stay reachable", async ({ page }) => {
      await page.route(/\.wasm$/, (route) => route.abort());
      // The page's own script says so once its bundle cannot start (see
      // `Bundles` in src/app.rs): from then on nothing is left to hydrate it.
      const gaveUp = page.waitForEvent(
        "console",
        (message) => message.type() === "error" && message.text().startsWith("Bookwork could not start its scripts:"),
      );
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await gaveUp;
      await expect(page.locator(".app")).toHaveAttribute("data-hydrated", "false");
      const menu = page.locator(".nav-toggle");
      // Clicking does nothing without the WASM (dispatch, since it is hidden).
      await menu.dispatchEvent("click");
      await expect(menu).toHaveAttribute("aria-expanded", "false");
      // Progressive enhancement: the navigation was never collapsed.
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" })).toBeVisible();
    });
  });

  test("unknown pages are a styled 404", async ({ page }) => {
    const response = await page.goto("/there/is/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "We couldn't find that page" })).toBeVisible();
    await page.getByRole("link", { name: "Go to the home page" }).click();
    await expect(page).toHaveURL("/");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the home page is complete and navigable", async ({ page }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Your book club, organised" })).toBeVisible();
    await expect(page.getByText("Public clubs")).toBeVisible();
    await expect(page.getByTestId("public-clubs")).toHaveText(/^[\d,]+$/);
    await expect(page.locator(".app")).toHaveAttribute("data-hydrated", "false");
    await page.getByRole("link", { name: "Home" }).click();
    await expect(page).toHaveURL("/");
  });
});
