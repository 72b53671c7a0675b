import { expect, test } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail, waitForHydration } from "./support";

/** A club name no other test run will have. */
function uniqueName(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

test("start a club, then someone finds it by search and tag and joins it", async ({ page, browser }) => {
  await signUp(page, "Club Founder", uniqueEmail("founder"));
  const name = uniqueName("Lighthouse Readers");
  const tag = `tag${Date.now().toString(36)}`;
  await page.goto("/clubs/new");
  await waitForHydration(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Description").fill("We read novels set by the sea.");
  await page.getByLabel("Member limit (optional)").fill("0");
  await page.getByLabel("Tags").fill(`${tag}, seaside`);
  await page.getByRole("button", { name: "Create club" }).click();
  await expect(page.locator("#field-max_members-error")).toContainText("at least 1");
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await page.getByLabel("Member limit (optional)").fill("12");
  await page.getByRole("button", { name: "Create club" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("member-count")).toHaveText("1");

  const other = await browser.newContext();
  const reader = await other.newPage();
  await signUp(reader, "Curious Reader", uniqueEmail("reader"));
  await reader.goto("/clubs");
  await waitForHydration(reader);
  await reader.getByLabel("Search").fill("novels sea");
  await reader.getByLabel("Tag").fill(tag);
  await reader.getByRole("button", { name: "Find clubs" }).click();
  await expect(reader.getByTestId("club-count")).toHaveText("1 club");
  await reader.getByRole("link", { name }).click();
  await waitForHydration(reader);
  await reader.getByRole("button", { name: "Join this club" }).click();
  await expect(reader.getByTestId("member-count")).toHaveText("2");
  await expect(reader.getByText("Leave this club")).toBeVisible();
  await reader.goto("/");
  await expect(reader.getByTestId("my-clubs").getByRole("link", { name })).toBeVisible();
  await other.close();
});

test("a club name with markup is its name, in the tab and on the page, with and without JavaScript", async ({
  page,
  browser,
}) => {
  await signUp(page, "Cartoon Founder", uniqueEmail("cartoon"));
  const name = `Tom & Jerry's <Club> </title><meta http-equiv="refresh" content="0;url=/clubs"> ${Date.now().toString(36)}`;
  await page.goto("/clubs/new");
  await waitForHydration(page);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create club" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page).toHaveTitle(`${name} · Bookwork`);
  const clubUrl = page.url();
  // Loaded afresh: the server's <title>, then the hydrated page's.
  await page.goto(clubUrl);
  await expect(page).toHaveTitle(`${name} · Bookwork`);
  await waitForHydration(page);
  await expect(page).toHaveTitle(`${name} · Bookwork`);
  expect(await page.locator("head meta[http-equiv]").count()).toBe(0);

  // A visitor without JavaScript: the same title, and no refresh happens.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const visitor = await plain.newPage();
  await visitor.goto(clubUrl);
  await expect(visitor).toHaveTitle(`${name} · Bookwork`);
  expect(visitor.url()).toBe(clubUrl);
  expect(await visitor.locator("head meta[http-equiv], head base").count()).toBe(0);
  await plain.close();
});

test("a club form with several problems shows every one at once", async ({ page }) => {
  await signUp(page, "Careful Founder", uniqueEmail("careful"));
  await page.goto("/clubs/new");
  await waitForHydration(page);
  await page.getByLabel("Member limit (optional)").fill("0");
  await page.getByLabel("Tags").fill("a, b, c, d, e, f, g, h, i, j, k");
  await page.getByRole("button", { name: "Create club" }).click();
  await expect(page.locator("#field-name-error")).toContainText("Give the club a name");
  await expect(page.locator("#field-max_members-error")).toContainText("at least 1");
  await expect(page.locator("#field-tags-error")).toContainText("at most 10 tags");
  await expect(page.getByRole("alert").first()).toContainText("3 fields");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a club form with several problems comes back with every one and what was typed", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("Name").fill("Plain Founder");
    await page.getByLabel("Email").fill(uniqueEmail("plain-founder"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText("Plain Founder");
    await page.goto("/clubs/new");
    await page.getByLabel("Description").fill("Poetry by the fire");
    await page.getByLabel("Member limit (optional)").fill("0");
    await page.getByLabel("Time zone").selectOption("Asia/Kolkata");
    await page.getByLabel("Tags").fill("a, b, c, d, e, f, g, h, i, j, k");
    await page.getByRole("button", { name: "Create club" }).click();
    await expect(page.locator("#field-name-error")).toContainText("Give the club a name");
    await expect(page.locator("#field-max_members-error")).toContainText("at least 1");
    await expect(page.locator("#field-tags-error")).toContainText("at most 10 tags");
    await expect(page.getByLabel("Description")).toHaveValue("Poetry by the fire");
    await expect(page.getByLabel("Time zone")).toHaveValue("Asia/Kolkata");
    await expect(page.getByLabel("Member limit (optional)")).toHaveValue("0");
  });

  test("join and leave a club with plain form posts", async ({ page, browser }) => {
    // The club is made by someone with JavaScript.
    const founderContext = await browser.newContext({ javaScriptEnabled: true });
    const founder = await founderContext.newPage();
    await signUp(founder, "No-JS Founder", uniqueEmail("nojs-founder"));
    const name = uniqueName("Plain Forms Club");
    await founder.goto("/clubs/new");
    await waitForHydration(founder);
    await founder.getByLabel("Name").fill(name);
    await founder.getByRole("button", { name: "Create club" }).click();
    await expect(founder.getByRole("heading", { level: 1, name })).toBeVisible();
    const clubUrl = founder.url();
    await founderContext.close();

    await page.goto("/register");
    await page.getByLabel("Name").fill("Plain Joiner");
    await page.getByLabel("Email").fill(uniqueEmail("nojs-joiner"));
    await page.getByLabel("Password").fill("a quiet afternoon with a novel");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText("Plain Joiner");

    await page.goto(clubUrl);
    await page.getByRole("button", { name: "Join this club" }).click();
    await expect(page.getByTestId("member-count")).toHaveText("2");
    await page.getByText("Leave this club").click();
    await page.getByRole("button", { name: /^Leave / }).click();
    await expect(page.getByTestId("said")).toHaveText("You left the club.");
    await expect(page.getByTestId("member-count")).toHaveText("1");
    await expect(page.getByRole("button", { name: "Join this club" })).toBeVisible();
  });
});

test("a private club grows by invitation, and the owner promotes the newcomer", async ({ page, browser }) => {
  await signUp(page, "Private Owner", uniqueEmail("private-owner"));
  const name = uniqueName("Quiet Corner");
  await page.goto("/clubs/new");
  await waitForHydration(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel(/Public/).uncheck();
  await page.getByRole("button", { name: "Create club" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const clubUrl = page.url();

  await page.getByRole("link", { name: "Members" }).click();
  await waitForHydration(page);
  await page.getByRole("button", { name: "Create link" }).click();
  const inviteLink = (await page.getByTestId("invite-link").textContent()) ?? "";
  expect(inviteLink).toMatch(/^http:\/\/[^/]+\/invite\/[^/]+$/);
  const invitePath = new URL(inviteLink).pathname;

  const other = await browser.newContext();
  const guest = await other.newPage();
  await signUp(guest, "Invited Reader", uniqueEmail("invited"));
  // Before the invitation the club does not exist for them.
  const hidden = await guest.goto(clubUrl);
  expect(hidden?.status()).toBe(404);
  await guest.goto(invitePath!);
  await waitForHydration(guest);
  await guest.getByRole("button", { name: "Join the club" }).click();
  await expect(guest.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(guest.getByTestId("member-count")).toHaveText("2");
  await other.close();

  await page.reload();
  await waitForHydration(page);
  const row = page.locator('li[data-member="Invited Reader"]');
  await expect(row).toBeVisible();
  await expect(row.getByTestId("role")).toHaveText("member");
  await row.getByText("Actions").click();
  await row.getByLabel("Role of Invited Reader").selectOption("moderator");
  await row.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByTestId("said")).toHaveText("Their role is now moderator.");
  await expect(row.getByTestId("role")).toHaveText("moderator");

  // Removing someone takes a second, explicit step; closing it cancels.
  await row.getByText("Actions").click();
  await row.getByText("Remove from club").click();
  await expect(row.getByText("Remove Invited Reader from")).toBeVisible();
  await row.getByText("Remove from club").click();
  await expect(row.getByRole("button", { name: "Remove Invited Reader" })).toBeHidden();
  await row.getByText("Remove from club").click();
  await row.getByRole("button", { name: "Remove Invited Reader" }).click();
  await expect(page.getByTestId("said")).toHaveText("They are no longer a member of the club.");
  await expect(row).toHaveCount(0);
});
