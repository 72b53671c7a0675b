import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PASSWORD, signIn, signUp, submitPlainForm, uniqueEmail, waitForHydration } from "./support";

test("edit the profile, then sign out everywhere else", async ({ page, browser }) => {
  const email = uniqueEmail("profile");
  await signUp(page, "Profile Reader", email);

  // A second device.
  const other = await browser.newContext();
  const phone = await other.newPage();
  await signIn(phone, email);

  await page.getByTestId("signed-in-as").click();
  await expect(page).toHaveURL("/me");
  await waitForHydration(page);
  await page.getByLabel("Name").fill("Renamed Reader");
  await page.getByLabel("Phone (optional)").fill("+1 555 0100");
  await page.getByRole("button", { name: "Save details" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveText("Renamed Reader");

  await expect(page.getByTestId("sessions").locator("li")).toHaveCount(2);
  await page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(page.getByText("Signed out 1 other session.")).toBeVisible();
  await expect(page.getByTestId("sessions").locator("li")).toHaveCount(1);

  await phone.reload();
  await expect(phone.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(phone.getByTestId("signed-in-as")).toHaveCount(0);
  await other.close();

  // This browser is still signed in after a reload.
  await page.reload();
  await expect(page.getByTestId("signed-in-as")).toHaveText("Renamed Reader");
});

test("an expired access token is refreshed without the user noticing", async ({ page, context }) => {
  const email = uniqueEmail("refresh");
  await signUp(page, "Refresh Reader", email);
  const cookie = async (name: string) => (await context.cookies()).find((c) => c.name === name);
  expect((await cookie("__Host-bw_access"))?.httpOnly).toBe(true);
  const refreshBefore = (await cookie("__Host-bw_refresh"))?.value;
  // The 15-minute access cookie is gone, as after expiry; the refresh cookie remains.
  await context.clearCookies({ name: "__Host-bw_access" });
  await page.goto("/me");
  await expect(page).toHaveURL("/me");
  await expect(page.getByTestId("signed-in-as")).toHaveText("Refresh Reader");
  expect((await cookie("__Host-bw_access"))?.value).toBeTruthy();
  // The refresh token was used, so it was rotated.
  expect((await cookie("__Host-bw_refresh"))?.value).not.toBe(refreshBefore);
});

test("a visitor opening a private page signs in and comes back", async ({ page }) => {
  const email = uniqueEmail("return");
  await signUp(page, "Returning Reader", email);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/me");
  await expect(page).toHaveURL(/\/login\?next=%2Fme|\/login\?next=\/me/);
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/me");
  await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();
});

test("an admin deactivates a user, whose open page is then signed out", async ({ page, browser }) => {
  // The first admin is made with the documented command, never a known password.
  const adminEmail = uniqueEmail("admin");
  const adminPassword = `admin pass ${Math.random().toString(36).slice(2)}`;
  // The release binary that `cargo leptos end-to-end --release` is serving.
  const bin = process.env.BOOKWORK_BIN ?? path.resolve(__dirname, "../../target/release/bookwork");
  execFileSync(bin, ["create-admin", adminEmail, "Site Admin"], {
    env: { ...process.env, BOOKWORK_ADMIN_PASSWORD: adminPassword },
    cwd: path.resolve(__dirname, "../.."),
  });

  const userEmail = uniqueEmail("deactivated");
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signUp(userPage, "Soon Deactivated", userEmail);
  await userPage.goto("/me");
  await expect(userPage.getByRole("heading", { name: "Your profile" })).toBeVisible();

  await signIn(page, adminEmail, adminPassword);
  await page.getByRole("link", { name: "Users" }).click();
  await waitForHydration(page);
  await page.getByLabel("Search by name or email").fill(userEmail);
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.locator(`tr[data-email="${userEmail}"]`);
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Deactivate" }).click();
  await expect(row.getByRole("button", { name: "Reactivate" })).toBeVisible();

  // Their next step anywhere finds them signed out.
  await userPage.getByRole("link", { name: "Home" }).click();
  await expect(userPage.getByRole("link", { name: "Sign in" })).toBeVisible();
  await userPage.goto("/me");
  await expect(userPage).toHaveURL(/\/login/);
  await userContext.close();

  // How the system is doing, from the same menu.
  await page.getByRole("link", { name: "System" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "System" })).toBeVisible();
  await expect(page.getByTestId("database")).toContainText("ms for SELECT 1");
  await expect(page.getByTestId("count-users")).toContainText("active");
  await expect(page.getByRole("heading", { name: "Largest tables" })).toBeVisible();

  // The same page without JavaScript, after signing in with a plain form.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noScript = await plain.newPage();
  await noScript.goto("/admin/system");
  await expect(noScript).toHaveURL(/\/login\?next=/);
  await noScript.getByLabel("Email").fill(adminEmail);
  await noScript.getByLabel("Password").fill(adminPassword);
  await submitPlainForm(noScript, noScript.getByRole("button", { name: "Sign in" }));
  await expect(noScript).toHaveURL("/admin/system");
  await expect(noScript.getByTestId("clean-up")).toContainText("Last started");
  await expect(noScript.getByTestId("pool")).toContainText("of at most");
  await plain.close();
});

test("an API token is made on /me, shown once, works as Bearer, and stops when revoked", async ({ page, browser, request }) => {
  await signUp(page, "Tina Token", uniqueEmail("token"));
  await page.goto("/me");
  await waitForHydration(page);
  const form = page.getByRole("form", { name: "Make a token" });
  // Nothing ticked: said beside the boxes, the name kept.
  await form.getByLabel("Used for").fill("calendar bot");
  await form.getByLabel(/read \(see what you can see\)/).uncheck();
  await form.getByRole("button", { name: "Make the token" }).click();
  await expect(page.getByText("Choose what the token may do: read, write or both.")).toBeVisible();
  await expect(form.getByLabel("Used for")).toHaveValue("calendar bot");
  await form.getByLabel(/read \(see what you can see\)/).check();
  await form.getByRole("button", { name: "Make the token" }).click();
  await expect(page.getByTestId("new-token-notice")).toContainText("it is not shown again");
  const token = ((await page.getByTestId("new-token").textContent()) ?? "").trim();
  expect(token).toMatch(/^bw_[\w-]{40,}$/);

  const asBot = () => request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
  const me = await asBot();
  expect(me.status()).toBe(200);
  expect((await me.json()).name).toBe("Tina Token");
  await page.reload();
  await expect(page.getByTestId("new-token-notice")).toHaveCount(0);
  const row = page.locator('li[data-token="calendar bot"]');
  await expect(row).toContainText("read · made");
  await expect(row).toContainText("last used");

  // Revoked without JavaScript, after confirming.
  const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plainPage = await plain.newPage();
  await plainPage.goto("/me");
  const plainRow = plainPage.locator('li[data-token="calendar bot"]');
  await plainRow.getByText("Revoke", { exact: true }).click();
  await submitPlainForm(plainPage, plainRow.getByRole("button", { name: "Revoke the token" }));
  await expect(plainPage.getByTestId("said")).toHaveText("The token “calendar bot” no longer works.");
  await plain.close();
  const after = await asBot();
  expect(after.status()).toBe(401);
  expect(after.headers()["content-type"]).toBe("application/problem+json");
});

test("a person downloads their data, then deletes their account and is signed out everywhere", async ({ page, browser }) => {
  const email = uniqueEmail("leaving");
  await signUp(page, "Leaving Reader", email);
  const other = await browser.newContext();
  const phone = await other.newPage();
  await signIn(phone, email);

  await page.goto("/me");
  await waitForHydration(page);
  const downloaded = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data (JSON)" }).click();
  const file = await (await downloaded).path();
  const data = JSON.parse(readFileSync(file, "utf8"));
  expect(data.profile.email).toBe(email);
  expect(data.sign_ins.length).toBe(2);

  const form = page.getByRole("form", { name: "Delete your account" });
  await form.getByLabel("Your password").fill("not the password");
  await form.getByLabel("I understand that my account is deleted for good").check();
  await form.getByRole("button", { name: "Delete my account" }).click();
  await expect(form.getByText("That is not your password.")).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveText("Leaving Reader");

  await form.getByLabel("Your password").fill(PASSWORD);
  await form.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByText("Your account is deleted.")).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

  // The other device is signed out on its next page.
  await phone.goto("/me");
  await expect(phone).toHaveURL(/\/login/);
  await other.close();

  // The address and password no longer sign in.
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});

test("without JavaScript, deleting an account asks for the tick, then deletes it", async ({ page, browser }) => {
  const email = uniqueEmail("leaving-plain");
  await signUp(page, "Plain Leaver", email);
  const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const noJs = await plain.newPage();
  await noJs.goto("/me");
  const form = noJs.getByRole("form", { name: "Delete your account" });
  await form.getByLabel("Your password").fill(PASSWORD);
  await submitPlainForm(noJs, form.getByRole("button", { name: "Delete my account" }));
  await expect(noJs.getByText("Tick the box to confirm you understand this cannot be undone.")).toBeVisible();
  await expect(noJs.getByTestId("signed-in-as")).toHaveText("Plain Leaver");

  const again = noJs.getByRole("form", { name: "Delete your account" });
  await again.getByLabel("Your password").fill(PASSWORD);
  await again.getByLabel("I understand that my account is deleted for good").check();
  await submitPlainForm(noJs, again.getByRole("button", { name: "Delete my account" }));
  await expect(noJs).toHaveURL(/\/$/);
  await expect(noJs.getByText("Your account is deleted.")).toBeVisible();
  await expect(noJs.getByTestId("signed-in-as")).toHaveCount(0);
  await plain.close();
});
