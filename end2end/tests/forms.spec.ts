import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail, waitForHydration } from "./support";

// With scripts, src/islands.js sends forms with fetch and shows the page the
// post leads to. These are the answers that are not such a page: nothing may
// be lost, and the person is told nothing was saved.

test("a form whose post never arrives says so and keeps what was typed", async ({ page }) => {
  await signUp(page, "Offline Reader", uniqueEmail("offline"));
  await page.goto("/me");
  await waitForHydration(page);
  await page.route("**/api/me/update", (route) => route.abort("internetdisconnected"));
  await page.getByLabel("Name").fill("Typed While Offline");
  await page.getByRole("button", { name: "Save details" }).click();
  const form = page.getByRole("form", { name: "Profile details" });
  await expect(form.getByRole("alert")).toHaveText(
    "Bookwork could not be reached, so nothing was saved. Check the connection and try again.",
  );
  await expect(page.getByLabel("Name")).toHaveValue("Typed While Offline");
  await expect(form).not.toHaveAttribute("aria-busy", "true");
});

test("a form answered by an outage page says so and keeps what was typed", async ({ page }) => {
  await signUp(page, "Patient Reader", uniqueEmail("outage"));
  await page.goto("/me");
  await waitForHydration(page);
  await page.route("**/api/me/update", (route) =>
    route.fulfill({ status: 503, contentType: "text/html", body: "<!DOCTYPE html><p>Down for a moment</p>" }),
  );
  await page.getByLabel("Name").fill("Typed During An Outage");
  await page.getByRole("button", { name: "Save details" }).click();
  const form = page.getByRole("form", { name: "Profile details" });
  await expect(form.getByRole("alert")).toHaveText(
    "Bookwork is briefly unavailable, so nothing was saved. Try again in a moment.",
  );
  await expect(page.getByLabel("Name")).toHaveValue("Typed During An Outage");
  // Nothing was saved: the name on the server is still the old one.
  await page.unroute("**/api/me/update");
  await page.reload();
  await expect(page.getByTestId("signed-in-as")).toHaveText("Patient Reader");
});
