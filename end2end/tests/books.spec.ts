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
  await expect(page.getByText("Leave this club")).toBeVisible();
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
  for (const title of ["Dune", "Emma"]) {
    await page.getByRole("checkbox", { name: new RegExp(`^${title}\\b`) }).check();
  }
  await page.getByRole("checkbox", { name: /Let members nominate books first/ }).check();
  await page.getByRole("button", { name: "Open the poll" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "What we read next" })).toBeVisible();
  const pollUrl = page.url();
  await expect(page.getByTestId("poll-status")).toContainText("Taking nominations");

  // Two members nominate, then rank: one with JavaScript, one without.
  const ana = await member(browser, clubUrl, "Ana Ranker");
  await ana.page.goto(pollUrl);
  await waitForHydration(ana.page);
  const nominate = ana.page.getByRole("form", { name: "Nominate a book" });
  await nominate.getByLabel("From the club's shelf").selectOption({ label: "Ulysses" });
  await nominate.getByRole("button", { name: "Nominate" }).click();
  await expect(ana.page.getByTestId("nominations")).toContainText("nominated by Ana Ranker");
  await expect(ana.page.getByTestId("nominations-left")).toHaveText("You have nominated 1 of 2 books.");
  // The form is ready for the next one: back on "Choose", and the book just
  // nominated is no longer offered.
  const shelfMenu = nominate.getByLabel("From the club's shelf");
  await expect(shelfMenu).toHaveValue("");
  await expect(shelfMenu.locator("option", { hasText: "Ulysses" })).toHaveCount(0);

  const ben = await member(browser, clubUrl, "Ben Plain", false);
  await ben.page.goto(pollUrl);
  const plainNomination = ben.page.getByRole("form", { name: "Nominate a book" });
  await plainNomination.getByLabel("Or another book: title").fill("Piranesi");
  await plainNomination.getByLabel("Author(s)").fill("Susanna Clarke");
  await plainNomination.getByRole("button", { name: "Nominate" }).click();
  await expect(ben.page.getByTestId("nominations")).toContainText("Piranesi");
  await expect(ben.page.getByTestId("nominations")).toContainText("nominated by Ben Plain");
  await expect(plainNomination.getByLabel("Or another book: title")).toHaveValue("");
  await expect(plainNomination.getByLabel("From the club's shelf")).toHaveValue("");

  await page.goto(pollUrl);
  await waitForHydration(page);
  await page.getByRole("button", { name: "End nominations and start voting" }).click();
  await expect(page.getByTestId("poll-status")).toContainText("Open until");

  await ana.page.goto(pollUrl);
  await waitForHydration(ana.page);
  const ballot = ana.page.getByRole("form", { name: "Your ballot" });
  await ballot.getByRole("combobox", { name: /^Emma\b/ }).selectOption("1");
  // With JavaScript, up and down buttons rank too, and the rows follow the ranking.
  await ballot.getByRole("button", { name: "Move Ulysses up" }).click();
  await expect(ballot.getByRole("combobox", { name: /^Ulysses\b/ })).toHaveValue("2");
  await ballot.getByRole("button", { name: "Move Piranesi up" }).click();
  await ballot.getByRole("button", { name: "Move Piranesi up" }).click();
  await expect(ballot.locator(".rank-row label")).toHaveText([/^Emma/, /^Piranesi/, /^Ulysses/, /^Dune/]);
  await ballot.getByRole("button", { name: "Move Piranesi down" }).click();
  await ballot.getByRole("button", { name: "Move Piranesi down" }).click();
  await expect(ballot.getByRole("combobox", { name: /^Piranesi\b/ })).toHaveValue("");
  await expect(ballot.locator(".rank-row label")).toHaveText([/^Emma/, /^Ulysses/, /^Dune/, /^Piranesi/]);
  await ballot.getByRole("button", { name: "Save my ballot" }).click();
  await expect(ballot.getByText("Your ballot is saved.")).toBeVisible();
  await expect(ana.page.getByTestId("poll-status")).toContainText("1 ballot cast");

  await ben.page.goto(pollUrl);
  const plain = ben.page.getByRole("form", { name: "Your ballot" });
  await plain.getByRole("combobox", { name: /^Dune\b/ }).selectOption("1");
  await plain.getByRole("combobox", { name: /^Emma\b/ }).selectOption("1");
  await plain.getByRole("button", { name: "Save my ballot" }).click();
  await expect(ben.page.getByText("Two books are ranked 1st.")).toBeVisible();
  // The ballot as sent is still there to fix.
  await expect(plain.getByRole("combobox", { name: /^Dune\b/ })).toHaveValue("1");
  await plain.getByRole("combobox", { name: /^Dune\b/ }).selectOption("2");
  await plain.getByRole("button", { name: "Save my ballot" }).click();
  await expect(ben.page.getByTestId("poll-status")).toContainText("2 ballots cast");
  await expect(ben.page.getByTestId("results-hidden")).toBeVisible();

  await page.goto(pollUrl);
  await waitForHydration(page);
  await page.getByText("Close the poll now", { exact: true }).click();
  await page.getByRole("button", { name: "Close the poll and count" }).click();
  await expect(page.getByTestId("said")).toHaveText("The poll is closed. Its results are below.");
  await expect(page.getByTestId("winner")).toHaveText("Winner: Emma");
  await expect(page.getByTestId("rounds")).toBeVisible();
  const chart = page.getByTestId("rounds-chart");
  await expect(chart).toBeVisible();
  await expect(chart.locator(".chart-row.winner .chart-label")).toHaveText("Emma");
  await page.getByRole("button", { name: "Make this our next read" }).click();
  await expect(page.getByRole("button", { name: "Make this our next read" })).toHaveCount(0);
  await page.goto(clubUrl);
  await expect(page.getByTestId("up-next")).toHaveText("Emma by Jane Austen");
  await ana.context.close();
  await ben.context.close();
});

test("a date poll finds the evening that suits most, and becomes the meeting", async ({ page, browser }) => {
  await signUp(page, "Date Keeper", uniqueEmail("dates-owner"));
  const clubUrl = await createClub(page, uniqueName("Evening Readers"));
  await page.getByRole("link", { name: "Propose dates for a meeting" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New date poll" })).toBeVisible();
  await waitForHydration(page);
  const form = page.getByRole("form", { name: "New date poll" });
  await form.getByLabel("Where (optional)").fill("The Library");
  await form.getByLabel("Date 1", { exact: true }).fill("2099-03-05");
  await form.getByLabel("Time 1", { exact: true }).fill("19:00");
  // Only one date: explained, and what was typed stays.
  await form.getByRole("button", { name: "Open the poll" }).click();
  await expect(form.getByText("Propose at least 2 dates to choose between.")).toBeVisible();
  await expect(form.getByLabel("Where (optional)")).toHaveValue("The Library");
  await form.getByLabel("Date 2", { exact: true }).fill("2099-03-06");
  await form.getByLabel("Time 2", { exact: true }).fill("19:00");
  await form.getByLabel("Date 3", { exact: true }).fill("2099-03-12");
  await form.getByLabel("Time 3", { exact: true }).fill("18:30");
  await form.getByRole("button", { name: "Open the poll" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "When shall we meet?" })).toBeVisible();
  const pollUrl = page.url();

  const thursday = /^Thu 5 Mar 2099, 19:00/;
  const friday = /^Fri 6 Mar 2099, 19:00/;
  const later = /^Thu 12 Mar 2099, 18:30/;

  // One member answers with JavaScript, one without.
  const ana = await member(browser, clubUrl, "Ana Dates");
  await ana.page.goto(pollUrl);
  await waitForHydration(ana.page);
  const answers = ana.page.getByRole("form", { name: "Your answers" });
  await answers.getByRole("group", { name: thursday }).getByLabel("No").check();
  await answers.getByRole("group", { name: friday }).getByLabel("Yes").check();
  await answers.getByRole("group", { name: later }).getByLabel("If need be").check();
  await answers.getByRole("button", { name: "Save my answers" }).click();
  await expect(answers.getByText("Your answers are saved.")).toBeVisible();
  await expect(ana.page.getByTestId("poll-status")).toContainText("1 person answered");

  const ben = await member(browser, clubUrl, "Ben Dates", false);
  await ben.page.goto(pollUrl);
  const plain = ben.page.getByRole("form", { name: "Your answers" });
  await plain.getByRole("group", { name: friday }).getByLabel("If need be").check();
  await plain.getByRole("group", { name: later }).getByLabel("Yes").check();
  await plain.getByRole("button", { name: "Save my answers" }).click();
  await expect(ben.page.getByTestId("poll-status")).toContainText("2 people answered");
  await expect(plain.getByRole("group", { name: friday }).getByLabel("If need be")).toBeChecked();

  // Friday: one yes, one if need be — the best date, marked in words.
  await page.goto(pollUrl);
  await waitForHydration(page);
  const grid = page.getByTestId("date-grid");
  await expect(grid.getByRole("row", { name: /Ana Dates/ })).toContainText("No");
  await expect(grid.getByRole("columnheader", { name: /Best/ })).toContainText("Fri 6 Mar 2099");
  const best = page.getByRole("group", { name: /Best date/ });
  await expect(best).toContainText("1 yes · 1 if need be · 0 no");
  await best.getByRole("link", { name: "Plan the meeting on this date" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Plan the meeting" })).toBeVisible();
  await waitForHydration(page);
  const plan = page.getByRole("form", { name: "Plan the meeting" });
  await expect(plan.getByLabel("Date")).toHaveValue("2099-03-06");
  await expect(plan.getByLabel("Time", { exact: true })).toHaveValue("19:00");
  await expect(plan.getByLabel("Where")).toHaveValue("The Library");
  await plan.getByLabel("Title").fill("March meeting");
  await plan.getByRole("button", { name: "Create the meeting" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "March meeting" })).toBeVisible();
  await page.getByRole("link", { name: "When shall we meet?" }).click();
  await expect(page.getByTestId("planned")).toBeVisible();
  await expect(page.getByTestId("poll-status")).toContainText("Closed");
  await expect(page.getByRole("link", { name: "Plan the meeting on this date" })).toHaveCount(0);
  await ana.context.close();
  await ben.context.close();
});

test("a poll is deleted only once the box is ticked, and the club page no longer lists it", async ({ page }) => {
  await signUp(page, "Poll Deleter", uniqueEmail("poll-deleter"));
  const clubUrl = await createClub(page, uniqueName("Tidy Readers"));
  await page.getByRole("link", { name: "Bookshelf" }).click();
  await waitForHydration(page);
  await suggest(page, "Dune", "Frank Herbert");
  await suggest(page, "Emma", "Jane Austen");
  await page.goto(clubUrl);
  await waitForHydration(page);
  await page.getByRole("link", { name: "Open a book poll" }).click();
  await waitForHydration(page);
  for (const title of ["Dune", "Emma"]) {
    await page.getByRole("checkbox", { name: new RegExp(`^${title}\\b`) }).check();
  }
  await page.getByLabel("Title").fill("A poll to delete");
  await page.getByRole("button", { name: "Open the poll" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "A poll to delete" })).toBeVisible();
  await waitForHydration(page);

  const deletion = page.getByRole("form", { name: "Delete poll" });
  await deletion.getByRole("button", { name: "Delete poll" }).click();
  await expect(deletion.getByText("Tick the box to confirm that the poll should go.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "A poll to delete" })).toBeVisible();

  await deletion.getByRole("checkbox", { name: /Yes, delete/ }).check();
  await deletion.getByRole("button", { name: "Delete poll" }).click();
  await expect(page).toHaveURL(clubUrl);
  await expect(page.getByRole("link", { name: "A poll to delete" })).toHaveCount(0);
});

test("a book is found in Open Library and suggested with its cover, with and without JavaScript", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("lookup");
  await signUp(page, "Lou Lookup", email);
  const clubUrl = await createClub(page, uniqueName("Catalogue Club"));
  await page.goto(`${clubUrl}/books`);
  await waitForHydration(page);
  const lookUp = page.getByRole("search").filter({ has: page.getByLabel("ISBN or title") });
  await lookUp.getByLabel("ISBN or title").fill("middlemarch");
  await lookUp.getByRole("button", { name: "Look up" }).click();
  const results = page.getByTestId("lookup-results");
  await expect(results.locator("li")).toHaveCount(2);
  await expect(results.locator("li").first()).toContainText("George Eliot · first published 1871 · 880 pages");
  await expect(results.locator("li").first().locator("img.cover")).toHaveAttribute(
    "src",
    "https://covers.example.org/b/id/8231856-M.jpg",
  );
  await results.getByRole("button", { name: "Suggest “Middlemarch”" }).click();
  await expect(page.getByTestId("shelf-suggested")).toContainText("Middlemarch");
  await expect(page.getByTestId("shelf-suggested")).toContainText("George Eliot");
  // The same book again is flagged, with where it is.
  await page.goto(`${clubUrl}/books?lookup=middlemarch`);
  await waitForHydration(page);
  await page.getByTestId("lookup-results").getByRole("button", { name: "Suggest “Middlemarch”" }).click();
  // It comes back in the suggest form, filled in, the problem beside the ISBN.
  const form = page.getByRole("form", { name: "Suggest a book" });
  await expect(form.getByText("This book is already on the club's shelf.")).toBeVisible();
  await expect(form.getByLabel("Title")).toHaveValue("Middlemarch");

  // Without JavaScript, by ISBN with hyphens.
  const same = await browser.newContext({ javaScriptEnabled: false });
  const owner = await same.newPage();
  await owner.goto("/login");
  await owner.getByLabel("Email").fill(email);
  await owner.getByLabel("Password").fill(PASSWORD);
  const signedIn = owner.waitForEvent("framenavigated", (frame) => frame === owner.mainFrame());
  await owner.getByRole("button", { name: "Sign in" }).click();
  await signedIn;
  await owner.waitForLoadState("load");
  await owner.goto(`${clubUrl}/books`);
  await owner.getByLabel("ISBN or title").fill("978-0-571-25824-6");
  const arrived = owner.waitForEvent("framenavigated", (frame) => frame === owner.mainFrame());
  await owner.getByRole("button", { name: "Look up" }).click();
  await arrived;
  await owner.waitForLoadState("load");
  await expect(owner.getByTestId("lookup-results").locator("li")).toHaveCount(1);
  const suggested = owner.waitForEvent("framenavigated", (frame) => frame === owner.mainFrame());
  await owner.getByRole("button", { name: "Suggest “The Remains of the Day”" }).click();
  await suggested;
  await owner.waitForLoadState("load");
  await expect(owner.getByTestId("shelf-suggested")).toContainText("The Remains of the Day");
  await expect(owner.getByTestId("shelf-suggested")).toContainText("Kazuo Ishiguro");
  await same.close();
});
