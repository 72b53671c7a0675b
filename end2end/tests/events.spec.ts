import { expect, test, type Browser, type Page } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail, waitForHydration } from "./support";

function uniqueName(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Creates a public club through the form; returns its URL. */
async function createClub(page: Page, name: string) {
  await page.goto("/clubs/new");
  await waitForHydration(page);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create club" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return page.url();
}

/** A second person, in their own browser context, who joins the club. */
async function memberOf(browser: Browser, clubUrl: string, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, name, uniqueEmail("member"));
  await page.goto(clubUrl);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Join this club" }).click();
  await expect(page.getByText("Leave this club")).toBeVisible();
  return { context, page };
}

/**
 * A second person, in their own browser context, signed up and in the club
 * through the endpoints the forms post to (the journeys above click through
 * those forms): no page of theirs has to load and hydrate before the one a
 * test is about.
 */
async function joinedMember(browser: Browser, clubUrl: string, name: string) {
  const context = await browser.newContext();
  const signedUp = await context.request.post("/api/auth/register", {
    form: { name, email: uniqueEmail("member"), password: PASSWORD },
  });
  expect(signedUp.status(), await signedUp.text()).toBe(200);
  const club = new URL(clubUrl).pathname.split("/").pop() ?? "";
  const joined = await context.request.post("/api/clubs/join", { form: { id: club } });
  expect(joined.status(), await joined.text()).toBe(200);
  return { context, page: await context.newPage() };
}

/** Creates an event with the form (tomorrow, the default) and opens it. */
async function createEvent(page: Page, clubUrl: string, title: string, limit = "") {
  await page.goto(clubUrl);
  await waitForHydration(page);
  await page.getByRole("link", { name: "New event" }).click();
  await expect(page.getByRole("heading", { name: "New event" })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Where").fill("The lighthouse library, room 2");
  await page.getByLabel("Attendee limit (optional)").fill(limit);
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return page.url();
}

async function answer(page: Page, choice: "Going" | "Maybe" | "Not going") {
  const form = page.getByTestId("rsvp-form");
  await form.getByLabel(choice, { exact: true }).check();
  await form.getByRole("button", { name: "Save my answer" }).click();
}

test("a club admin plans an event with agenda items and gives a member a task", async ({ page, browser }) => {
  await signUp(page, "Event Planner", uniqueEmail("planner"));
  const clubUrl = await createClub(page, uniqueName("Harbour Readers"));
  const { context, page: member } = await memberOf(browser, clubUrl, "Task Taker");

  // Bad input is answered beside the field, and nothing typed is lost.
  await page.goto(clubUrl);
  await waitForHydration(page);
  await page.getByRole("link", { name: "New event" }).click();
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Moby-Dick, chapters 1–40");
  await page.getByLabel("Date").fill("2001-05-01");
  await page.getByLabel("Where").fill("Harbour café");
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.locator("#field-date-error")).toContainText("already passed");
  await expect(page.getByLabel("Title")).toHaveValue("Moby-Dick, chapters 1–40");
  const soon = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("Date").fill(soon);
  await page.getByLabel("Attendee limit (optional)").fill("0");
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.locator("#field-max_attendees-error")).toContainText("at least 1");
  await page.getByLabel("Attendee limit (optional)").fill("8");
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Moby-Dick, chapters 1–40" })).toBeVisible();
  // The organiser is counted as going until they say otherwise.
  await expect(page.getByTestId("places")).toHaveText("1 of 8 places taken");

  // An agenda point for everyone, and a task for the member.
  await waitForHydration(page);
  const add = page.getByRole("form", { name: "Add item" });
  await add.getByLabel("Item").fill("Opening thoughts on Ishmael");
  await add.getByLabel("Kind").selectOption("agenda");
  await add.getByRole("button", { name: "Add item" }).click();
  await expect(page.getByTestId("item")).toHaveCount(1);
  await expect(add.getByLabel("Item")).toHaveValue("");
  await add.getByLabel("Item").fill("Bring the tea urn");
  await add.getByLabel("Kind").selectOption("task");
  await add.getByLabel("Assigned to").selectOption({ label: "Task Taker" });
  await add.getByRole("button", { name: "Add item" }).click();
  await expect(page.getByTestId("item")).toHaveCount(2);
  const task = page.getByTestId("item").filter({ hasText: "Bring the tea urn" });
  await expect(task.getByTestId("item-assignee")).toHaveText("Task Taker");
  const eventUrl = page.url();

  // The member finds the task on their home page and moves it along.
  await member.goto("/");
  await expect(member.getByTestId("my-tasks")).toContainText("Bring the tea urn");
  await expect(member.getByTestId("my-events")).toContainText("Moby-Dick");
  await member.goto(eventUrl);
  await waitForHydration(member);
  const mine = member.getByTestId("item").filter({ hasText: "Bring the tea urn" });
  await mine.getByLabel("Status").selectOption("in_progress");
  await mine.getByRole("button", { name: "Update" }).click();
  await expect(mine.getByTestId("item-status")).toHaveText("in progress");
  // Someone else's item has no status control for a plain member.
  const agenda = member.getByTestId("item").filter({ hasText: "Opening thoughts" });
  await expect(agenda.getByLabel("Status")).toHaveCount(0);
  await context.close();
});

test("a member answers maybe, then going, and the counts follow without a reload", async ({ page, browser }) => {
  await signUp(page, "Count Keeper", uniqueEmail("counts-owner"));
  const clubUrl = await createClub(page, uniqueName("Counting Club"));
  const eventUrl = await createEvent(page, clubUrl, "Counting the votes");
  const { context, page: member } = await memberOf(browser, clubUrl, "Undecided Reader");
  await member.goto(eventUrl);
  await waitForHydration(member);
  await member.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  // The organiser is going from the start.
  await answer(member, "Maybe");
  await expect(member.getByTestId("count-maybe")).toHaveText("1");
  await expect(member.getByTestId("count-available")).toHaveText("1");
  await answer(member, "Going");
  await expect(member.getByTestId("count-available")).toHaveText("2");
  await expect(member.getByTestId("count-maybe")).toHaveText("0");
  await expect(member.getByTestId("my-rsvp")).toHaveText("Your answer: Going.");
  expect(await member.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await expect(member.getByTestId("answers")).toContainText("Undecided Reader");
  await context.close();
});

test("someone on the waitlist gets the place when a confirmed member drops out", async ({ page, browser }) => {
  // Three people in their own browsers; the two members join without
  // loading pages, so only the event's and the list's hydrate.
  await signUp(page, "Small Room Host", uniqueEmail("waitlist-owner"));
  const clubUrl = await createClub(page, uniqueName("Small Room Club"));
  // Two seats: the organiser's (counted as going) and one more.
  const eventUrl = await createEvent(page, clubUrl, "Two seats only", "2");
  const first = await joinedMember(browser, clubUrl, "Early Bird");
  const second = await joinedMember(browser, clubUrl, "Late Comer");

  await first.page.goto(eventUrl);
  await waitForHydration(first.page);
  await answer(first.page, "Going");
  await expect(first.page.getByTestId("my-rsvp")).toHaveText("Your answer: Going.");

  await second.page.goto(eventUrl);
  await waitForHydration(second.page);
  await answer(second.page, "Going");
  await expect(second.page.getByTestId("my-rsvp")).toContainText("number 1 on the waitlist");
  await expect(second.page.getByTestId("count-waitlisted")).toHaveText("1");

  await answer(first.page, "Not going");
  // Wait for the answer to be saved (the counts alone looked the same before).
  await expect(first.page.getByTestId("my-rsvp")).toHaveText("Your answer: Not going.");
  await expect(first.page.getByTestId("count-available")).toHaveText("2");
  await expect(first.page.getByTestId("count-waitlisted")).toHaveText("0");

  await second.page.reload();
  await expect(second.page.getByTestId("my-rsvp")).toHaveText("Your answer: Going.");

  // The promotion is in the promoted member's bell, and on their list.
  const bell = second.page.getByTestId("bell");
  await expect(bell.getByTestId("bell-count")).toHaveText("1");
  await expect(bell).toHaveAttribute("aria-label", "Notifications, 1 unread");
  await bell.click();
  await expect(second.page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const list = second.page.getByTestId("notifications");
  await expect(list).toContainText("You have a place at Two seats only");
  await waitForHydration(second.page);
  await second.page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(list.locator("li.unread")).toHaveCount(0);
  await expect(second.page.getByTestId("bell").getByTestId("bell-count")).toHaveCount(0);
  // The member who dropped out was told nothing.
  await first.page.goto("/notifications");
  await expect(first.page.getByTestId("bell").getByTestId("bell-count")).toHaveCount(0);
  await first.context.close();
  await second.context.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the RSVP form works with plain form posts", async ({ page, browser }) => {
    const hostContext = await browser.newContext({ javaScriptEnabled: true });
    const host = await hostContext.newPage();
    await signUp(host, "Plain Host", uniqueEmail("nojs-host"));
    const clubUrl = await createClub(host, uniqueName("Plain RSVP Club"));
    const eventUrl = await createEvent(host, clubUrl, "Paper and pencils");
    await hostContext.close();

    await page.goto("/register");
    await page.getByLabel("Name").fill("Plain Answerer");
    await page.getByLabel("Email").fill(uniqueEmail("nojs-answerer"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText("Plain Answerer");
    await page.goto(clubUrl);
    await page.getByRole("button", { name: "Join this club" }).click();
    await expect(page.getByText("Leave this club")).toBeVisible();

    await page.goto(eventUrl);
    const form = page.getByTestId("rsvp-form");
    await form.getByLabel("Maybe", { exact: true }).check();
    await form.getByLabel("Note (optional)").fill("Depends on the trains");
    await form.getByRole("button", { name: "Save my answer" }).click();
    await expect(page.getByTestId("count-maybe")).toHaveText("1");
    await expect(page.getByTestId("my-rsvp")).toHaveText("Your answer: Maybe.");
    await expect(page.getByTestId("answers")).toContainText("Depends on the trains");
  });
});

test("members take on unassigned tasks, with and without JavaScript; an agenda row stays short until edited", async ({
  page,
  browser,
}) => {
  await signUp(page, "Tessa Tasks", uniqueEmail("tasks-owner"));
  const clubUrl = await createClub(page, uniqueName("Tea Rota"));
  const eventUrl = await createEvent(page, clubUrl, "Rota night");
  await waitForHydration(page);
  const add = page.getByRole("form", { name: "Add item" });
  for (const task of ["Bring the biscuits", "Bring the kettle"]) {
    await add.getByLabel("Item").fill(task);
    await add.getByLabel("Kind").selectOption("task");
    await add.getByRole("button", { name: "Add item" }).click();
    await expect(page.getByTestId("item").filter({ hasText: task })).toBeVisible();
  }
  // Closed, a row shows what and who, and one "Edit" that holds deleting too.
  const biscuits = page.getByTestId("item").filter({ hasText: "Bring the biscuits" });
  await expect(biscuits.getByRole("button", { name: /Delete/ })).toBeHidden();
  await biscuits.locator("summary", { hasText: "Edit" }).click();
  await expect(biscuits.getByText("Delete this item")).toBeVisible();

  // With JavaScript.
  const keen = await joinedMember(browser, clubUrl, "Kim Keen");
  await keen.page.goto(eventUrl);
  await waitForHydration(keen.page);
  await keen.page.getByRole("button", { name: "I'll bring “Bring the biscuits”" }).click();
  await expect(keen.page.getByTestId("said")).toHaveText("Thank you! “Bring the biscuits” is yours now.");
  const mine = keen.page.getByTestId("item").filter({ hasText: "Bring the biscuits" });
  await expect(mine.getByTestId("item-assignee")).toHaveText("Kim Keen");
  await expect(mine.getByRole("button", { name: /I'll bring/ })).toHaveCount(0);

  // Without JavaScript: the biscuits are taken; the kettle is not.
  const plainContext = await browser.newContext({ javaScriptEnabled: false });
  const signedUp = await plainContext.request.post("/api/auth/register", {
    form: { name: "Pat Plain", email: uniqueEmail("plain-tasks"), password: PASSWORD },
  });
  expect(signedUp.status()).toBe(200);
  const club = new URL(clubUrl).pathname.split("/").pop() ?? "";
  expect((await plainContext.request.post("/api/clubs/join", { form: { id: club } })).status()).toBe(200);
  const plain = await plainContext.newPage();
  await plain.goto(eventUrl);
  await expect(plain.getByRole("button", { name: "I'll bring “Bring the biscuits”" })).toHaveCount(0);
  const arrived = plain.waitForEvent("framenavigated", (frame) => frame === plain.mainFrame());
  await plain.getByRole("button", { name: "I'll bring “Bring the kettle”" }).click();
  await arrived;
  await plain.waitForLoadState("load");
  await expect(plain.getByTestId("said")).toHaveText("Thank you! “Bring the kettle” is yours now.");
  await expect(
    plain.getByTestId("item").filter({ hasText: "Bring the kettle" }).getByTestId("item-assignee"),
  ).toHaveText("Pat Plain");
  await plainContext.close();
  await keen.context.close();
});
