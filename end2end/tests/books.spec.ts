import { expect, test, type Browser, type Page } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail, waitForHydration } from "./support";

function uniqueName(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

async function createClub(page: Page, name: string) {
  await page.goto("/clubs/new");
  await waitForHydration(page);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create club" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return page.url();
}

async function suggest(page: Page, title: string, authors: string) {
  const form = page.getByRole("form", { name: "Suggest a book" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Author(s) (optional)").fill(authors);
  await form.getByRole("button", { name: "Suggest this book" }).click();
  await expect(page.getByTestId("shelf-suggested")).toContainText(title);
}

async function member(browser: Browser, clubUrl: string, name: string, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  if (javaScriptEnabled) {
    await signUp(page, name, uniqueEmail("voter"));
  } else {
    await page.goto("/register");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Email").fill(uniqueEmail("voter"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText(name);
  }
  await page.goto(clubUrl);
  if (javaScriptEnabled) await waitForHydration(page);
  await page.getByRole("button", { name: "Join this club" }).click();
  await expect(page.getByRole("button", { name: "Leave this club" })).toBeVisible();
  return { context, page };
}

test("the club fills its shelf, ranks the books, and the winner becomes the next read", async ({ page, browser }) => {
  await signUp(page, "Shelf Keeper", uniqueEmail("shelf-owner"));
  const clubUrl = await createClub(page, uniqueName("Ranked Readers"));
  await page.getByRole("link", { name: "Bookshelf" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Bookshelf" })).toBeVisible();
  await waitForHydration(page);
  await suggest(page, "Dune", "Frank Herbert");
  await suggest(page, "Emma", "Jane Austen");
  await suggest(page, "Ulysses", "James Joyce");

  // An ISBN with a typo is explained beside the field, and what was typed stays.
  const form = page.getByRole("form", { name: "Suggest a book" });
  await form.getByLabel("Title").fill("Middlemarch");
  await form.getByLabel("ISBN (optional)").fill("0-14-143954-7");
  await form.getByRole("button", { name: "Suggest this book" }).click();
  await expect(form.getByText("check it for a typo")).toBeVisible();
  await expect(form.getByLabel("Title")).toHaveValue("Middlemarch");

  await page.goto(clubUrl);
  await waitForHydration(page);
  await page.getByRole("link", { name: "Open a book poll" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New book poll" })).toBeVisible();
  await waitForHydration(page);
  for (const title of ["Dune", "Emma", "Ulysses"]) {
    await page.getByRole("checkbox", { name: new RegExp(`^${title}\\b`) }).check();
  }
  await page.getByRole("button", { name: "Open the poll" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "What we read next" })).toBeVisible();
  const pollUrl = page.url();

  // Two members rank: one with JavaScript, one without.
  const ana = await member(browser, clubUrl, "Ana Ranker");
  await ana.page.goto(pollUrl);
  await waitForHydration(ana.page);
  const ballot = ana.page.getByRole("form", { name: "Your ballot" });
  await ballot.getByLabel("Emma").selectOption("1");
  await ballot.getByLabel("Ulysses").selectOption("2");
  await ballot.getByRole("button", { name: "Save my ballot" }).click();
  await expect(ballot.getByText("Your ballot is saved.")).toBeVisible();
  await expect(ana.page.getByTestId("poll-status")).toContainText("1 ballot cast");

  const ben = await member(browser, clubUrl, "Ben Plain", false);
  await ben.page.goto(pollUrl);
  const plain = ben.page.getByRole("form", { name: "Your ballot" });
  await plain.getByLabel("Dune").selectOption("1");
  await plain.getByLabel("Emma").selectOption("1");
  await plain.getByRole("button", { name: "Save my ballot" }).click();
  await expect(ben.page.getByText("Two books are ranked 1st.")).toBeVisible();
  // The ballot as sent is still there to fix.
  await expect(plain.getByLabel("Dune")).toHaveValue("1");
  await plain.getByLabel("Dune").selectOption("2");
  await plain.getByRole("button", { name: "Save my ballot" }).click();
  await expect(ben.page.getByTestId("poll-status")).toContainText("2 ballots cast");
  await expect(ben.page.getByTestId("results-hidden")).toBeVisible();

  await page.goto(pollUrl);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Close the poll now" }).click();
  await expect(page.getByTestId("winner")).toHaveText("Winner: Emma");
  await expect(page.getByTestId("rounds")).toBeVisible();
  await expect(page.locator("figure.round-chart svg").first()).toBeVisible();
  await page.getByRole("button", { name: "Make this our next read" }).click();
  await expect(page.getByRole("button", { name: "Make this our next read" })).toHaveCount(0);
  await page.goto(clubUrl);
  await expect(page.getByTestId("up-next")).toHaveText("Emma");
  await ana.context.close();
  await ben.context.close();
});
