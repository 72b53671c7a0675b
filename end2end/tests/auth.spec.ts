import { expect, test } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail, waitForHydration } from "./support";

test("sign up, sign out and sign in again", async ({ page }) => {
  const email = uniqueEmail("journey");
  await signUp(page, "Journey Reader", email);
  await expect(page).toHaveURL("/");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

  await page.getByRole("link", { name: "Sign in" }).click();
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText("Journey Reader");
});

test("bad sign-up input is explained beside the field and nothing typed is lost", async ({ page }) => {
  await page.goto("/register");
  await waitForHydration(page);
  await page.getByLabel("Name").fill("Short Password");
  await page.getByLabel("Email").fill(uniqueEmail("short"));
  await page.getByLabel("Password").fill("abc");
  await page.getByRole("button", { name: "Create account" }).click();
  const password = page.getByLabel("Password");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-password-error")).toContainText("at least 8 characters");
  await expect(page.getByLabel("Name")).toHaveValue("Short Password");
  await expect(password).toHaveValue("abc");
});

test("a wrong password gets one clear message", async ({ page }) => {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(uniqueEmail("nobody"));
  await page.getByLabel("Password").fill("not the right one");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("don't match an account");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("bad sign-up input is explained and what was typed is kept", async ({ page }) => {
    const email = uniqueEmail("nojs-bad");
    await page.goto("/register");
    await page.getByLabel("Name").fill("Typed Name");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#field-password-error")).toContainText("at least 8 characters");
    await expect(page.getByLabel("Name")).toHaveValue("Typed Name");
    await expect(page.getByLabel("Email")).toHaveValue(email);
  });

  test("sign up and sign in with plain form posts", async ({ page }) => {
    const email = uniqueEmail("nojs");
    await page.goto("/register");
    await page.getByLabel("Name").fill("No Script");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL("/");
    await expect(page.getByTestId("signed-in-as")).toHaveText("No Script");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("don't match an account");
    // What was typed survives the round trip (the password, deliberately, does not).
    await expect(page.getByLabel("Email")).toHaveValue(email);

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText("No Script");
  });
});
