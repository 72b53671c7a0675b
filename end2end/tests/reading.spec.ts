import { expect, test, type Browser, type Page } from "@playwright/test";
import { PASSWORD, signUp, submitPlainForm, uniqueEmail, waitForHydration } from "./support";

function uniqueName(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A date `days` from today, as a date field takes it. */
function inDays(days: number) {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/**
 * An organiser's club reading Middlemarch in two sections, who has finished
 * the first and said three things about it. Returns the schedule's address
 * and the club's.
 */
async function clubReading(page: Page) {
  await signUp(page, "Ada Organiser", uniqueEmail("reading-owner"));
  await page.goto("/clubs/new");
  await waitForHydration(page);
  const club = uniqueName("Slow Readers");
  await page.getByLabel("Name").fill(club);
  await page.getByRole("button", { name: "Create club" }).click();
  await expect(page.getByRole("heading", { level: 1, name: club })).toBeVisible();
  const clubUrl = page.url();
  await page.getByRole("link", { name: "Bookshelf" }).click();
  await waitForHydration(page);
  const form = page.getByRole("form", { name: "Suggest a book" });
  await form.getByLabel("Title").fill("Middlemarch");
  await form.getByRole("button", { name: "Suggest this book" }).click();
  await expect(page.getByTestId("shelf-suggested")).toContainText("Middlemarch");
  await page.getByLabel("Shelf for Middlemarch").selectOption("reading");
  await page.getByRole("button", { name: "Move" }).click();
  await expect(page.getByTestId("shelf-reading")).toContainText("Middlemarch");
  await page.getByTestId("shelf-reading").getByRole("link", { name: "Middlemarch", exact: true }).click();
  await page.getByRole("link", { name: "Reading schedule and discussion" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Reading Middlemarch" })).toBeVisible();
  await waitForHydration(page);
  const scheduleUrl = page.url();

  const add = page.getByRole("form", { name: "Add a section" });
  for (const [title, days] of [
    ["Book one: Miss Brooke", 7],
    ["Book two: Old and Young", 14],
  ] as const) {
    await add.getByLabel("Section").fill(title);
    await add.getByLabel("Read by").fill(inDays(days));
    await add.getByRole("button", { name: "Add the section" }).click();
    await expect(page.getByTestId("schedule")).toContainText(title);
  }
  // A date that is no date is explained, and the title typed stays.
  await add.getByLabel("Section").fill("Finale");
  await add.getByLabel("Read by").fill("");
  await add.getByRole("button", { name: "Add the section" }).click();
  await expect(add.getByText("Enter the target date as YYYY-MM-DD")).toBeVisible();
  await expect(add.getByLabel("Section")).toHaveValue("Finale");

  await page.getByLabel("I have finished up to and including").selectOption({ label: "Book one: Miss Brooke" });
  await page.getByRole("button", { name: "Save my progress" }).click();
  await expect(page.getByText("Your progress is saved.")).toBeVisible();
  await page.getByRole("link", { name: /Discussion of Book one/ }).click();
  await waitForHydration(page);
  const said = ["Dorothea marries Casaubon!", "**Lydgate** arrives in town.", "> Fred's debts\n\nPoor Mary Garth."];
  for (const [i, text] of said.entries()) {
    const form = page.getByRole("form", { name: "Add to the discussion" });
    await form.getByLabel("Your comment").fill(text);
    await form.getByRole("button", { name: "Post", exact: true }).click();
    // The count, not the notice: the notice of the one before is still there.
    await expect(page.getByRole("heading", { level: 2, name: i === 0 ? "1 comment" : `${i + 1} comments` })).toBeVisible();
  }
  await expect(page.getByTestId("comments").locator("strong", { hasText: "Lydgate" })).toBeVisible();
  return { clubUrl, scheduleUrl };
}

async function reader(browser: Browser, clubUrl: string, name: string, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  if (javaScriptEnabled) {
    await signUp(page, name, uniqueEmail("reader"));
  } else {
    await page.goto("/register");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Email").fill(uniqueEmail("reader"));
    await page.getByLabel("Password").fill(PASSWORD);
    await submitPlainForm(page, page.getByRole("button", { name: "Create account" }));
    await expect(page.getByTestId("signed-in-as")).toHaveText(name);
  }
  await page.goto(clubUrl);
  if (javaScriptEnabled) await waitForHydration(page);
  const join = page.getByRole("button", { name: "Join this club" });
  if (javaScriptEnabled) await join.click();
  else await submitPlainForm(page, join);
  await expect(page.getByText("Leave this club")).toBeVisible();
  return { context, page };
}

for (const javaScriptEnabled of [true, false]) {
  test(`a slow reader sees what waits, finishes the section and reads it (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    page,
    browser,
  }) => {
    const { clubUrl } = await clubReading(page);
    const slow = await reader(browser, clubUrl, "Sam Slow", javaScriptEnabled);
    // The club page says what the club reads and what is next.
    await expect(slow.page.getByTestId("club-reading")).toContainText("Book one: Miss Brooke by");
    await slow.page.getByTestId("club-reading").getByRole("link", { name: "Middlemarch" }).click();
    await expect(slow.page.getByTestId("readers")).toContainText("Ada Organiser — finished 1 of 2");
    await slow.page.getByRole("link", { name: /Discussion of Book one/ }).click();
    await expect(slow.page.getByTestId("waiting")).toHaveText("3 comments are waiting for you.");
    await expect(slow.page.getByText("Casaubon")).toHaveCount(0);
    expect(await slow.page.content()).not.toContain("Casaubon");

    const finish = slow.page.getByRole("button", { name: "I've finished this section" });
    if (javaScriptEnabled) {
      await waitForHydration(slow.page);
      await finish.click();
    } else {
      await submitPlainForm(slow.page, finish);
    }
    await expect(slow.page.getByText("Dorothea marries Casaubon!")).toBeVisible();
    await expect(slow.page.getByTestId("comments").locator("blockquote")).toContainText("Fred's debts");
    await expect(slow.page.getByTestId("waiting")).toHaveCount(0);
    await slow.context.close();
  });
}

test("a new comment appears in another reader's open discussion without a reload", async ({ page, browser }) => {
  const { clubUrl, scheduleUrl } = await clubReading(page);
  const other = await reader(browser, clubUrl, "Lee Live", true);
  await other.page.goto(scheduleUrl);
  await waitForHydration(other.page);
  await other.page.getByLabel("I have finished up to and including").selectOption({ label: "Book one: Miss Brooke" });
  await other.page.getByRole("button", { name: "Save my progress" }).click();
  await expect(other.page.getByText("Your progress is saved.")).toBeVisible();
  await other.page.getByRole("link", { name: /Discussion of Book one/ }).click();
  await waitForHydration(other.page);
  await expect(other.page.getByText("Dorothea marries Casaubon!")).toBeVisible();

  // The organiser, in their own browser, says something new.
  const form = page.getByRole("form", { name: "Add to the discussion" });
  await form.getByLabel("Your comment").fill("Will Ladislaw, at last.");
  await form.getByRole("button", { name: "Post", exact: true }).click();
  await expect(page.getByRole("heading", { level: 2, name: "4 comments" })).toBeVisible();

  const live = other.page.getByTestId("live-comments");
  await expect(live).toContainText("Will Ladislaw, at last.");
  await expect(live).toContainText("1 new comment");
  await other.context.close();
});

test("a meeting's discussion is open to a reader who has not started; a reply without JavaScript appears live for the organiser", async ({ page, browser }) => {
  const { clubUrl } = await clubReading(page);
  await page.goto(clubUrl);
  await page.getByRole("link", { name: "New event" }).click();
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Middlemarch night");
  await page.getByLabel("Where").fill("The library, upstairs");
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Middlemarch night" })).toBeVisible();
  await page.getByRole("link", { name: "Discussion", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Talking about “Middlemarch night”" })).toBeVisible();
  await waitForHydration(page);
  const discussionUrl = page.url();
  const form = page.getByRole("form", { name: "Add to the discussion" });
  await form.getByLabel("Your comment").fill("Who brings the cake? ||Casaubon's will changes everything.||");
  await form.getByRole("button", { name: "Post", exact: true }).click();
  await expect(page.getByRole("heading", { level: 2, name: "1 comment" })).toBeVisible();

  // A reader who has not finished any section reads it all, the spoiler
  // blurred, and replies without JavaScript.
  const newcomer = await reader(browser, clubUrl, "Nia New", false);
  await newcomer.page.goto(discussionUrl);
  await expect(newcomer.page.getByText("Who brings the cake?")).toBeVisible();
  await expect(newcomer.page.getByTestId("comments").locator(".spoiler")).toHaveText("Casaubon's will changes everything.");
  await newcomer.page.getByText("Reply", { exact: true }).click();
  const reply = newcomer.page.getByRole("form", { name: "Reply to Ada Organiser" });
  await reply.getByLabel("Your reply").fill("I will: lemon, as Mrs Cadwallader likes it.");
  await submitPlainForm(newcomer.page, reply.getByRole("button", { name: "Post the reply" }));
  await expect(newcomer.page.getByText("Your reply is posted.")).toBeVisible();
  await expect(newcomer.page.getByTestId("comments").locator(".replies")).toContainText("I will: lemon");
  await newcomer.context.close();

  // The organiser's open page shows it without a reload.
  const live = page.getByTestId("live-comments");
  await expect(live).toContainText("I will: lemon, as Mrs Cadwallader likes it.");
  await expect(live).toContainText("1 new comment");
});

test("members suggest questions for the meeting, the organiser orders them, and the list prints on its own", async ({ page, browser }) => {
  const { clubUrl } = await clubReading(page);
  await page.goto(clubUrl);
  await page.getByRole("link", { name: "New event" }).click();
  await waitForHydration(page);
  await page.getByLabel("Title").fill("Middlemarch night");
  await page.getByLabel("Where").fill("The library, upstairs");
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Middlemarch night" })).toBeVisible();
  await page.getByRole("link", { name: "Discussion questions" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Questions for Middlemarch night" })).toBeVisible();
  const questionsUrl = page.url();

  const member = await reader(browser, clubUrl, "Quinn Asker", true);
  await member.page.goto(questionsUrl);
  await waitForHydration(member.page);
  const suggest = member.page.getByRole("form", { name: "Suggest a question" });
  for (const [i, text] of ["Is Dorothea's marriage a mistake?", "Which character changed most?"].entries()) {
    await suggest.getByLabel("Your question").fill(text);
    await suggest.getByRole("button", { name: "Suggest the question" }).click();
    await expect(member.page.getByTestId("suggested-questions").getByRole("listitem")).toHaveCount(i + 1);
  }
  await member.context.close();

  await page.reload();
  await waitForHydration(page);
  await page.getByRole("button", { name: /^Add to our questions\s*: Which character changed most\?$/ }).click();
  await expect(page.getByTestId("picked-questions")).toContainText("Which character changed most?");
  await page.getByRole("button", { name: /^Add to our questions\s*: Is Dorothea's marriage a mistake\?$/ }).click();
  await expect(page.getByTestId("picked-questions").getByRole("listitem")).toHaveCount(2);
  await page.getByRole("button", { name: /^Move up\s*: Is Dorothea's marriage a mistake\?$/ }).click();
  await expect(page.getByTestId("picked-questions").getByRole("listitem").first()).toContainText("Is Dorothea's marriage a mistake?");

  // On paper: the list, without the forms and the page's chrome.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByTestId("picked-questions")).toBeVisible();
  await expect(page.getByRole("form", { name: "Suggest a question" })).toBeHidden();
  await expect(page.getByRole("button", { name: /Move up|Take off the list/ }).first()).toBeHidden();
  await expect(page.locator("header").first()).toBeHidden();
});

test("a reader reports a comment without JavaScript and the organiser hides it with a reason", async ({ page, browser }) => {
  const { clubUrl, scheduleUrl } = await clubReading(page);
  const critic = await reader(browser, clubUrl, "Ray Reporter", false);
  await critic.page.goto(scheduleUrl);
  await critic.page.getByLabel("I have finished up to and including").selectOption({ label: "Book one: Miss Brooke" });
  await submitPlainForm(critic.page, critic.page.getByRole("button", { name: "Save my progress" }));
  await critic.page.getByRole("link", { name: /Discussion of Book one/ }).click();
  const comment = critic.page.getByRole("listitem").filter({ hasText: "Dorothea marries Casaubon!" }).first();
  await comment.getByText("Report…").click();
  await comment.getByLabel(/What is wrong with it\?/).fill("It gives away the marriage.");
  await submitPlainForm(critic.page, comment.getByRole("button", { name: "Send the report" }));
  await expect(critic.page.getByText("Thank you: the club's admins will look at it.")).toBeVisible();
  await expect(critic.page.getByText("You reported this comment.")).toBeVisible();

  // The organiser sees the report on the moderation page and hides it.
  await page.goto(`${clubUrl}/moderation`);
  await waitForHydration(page);
  const reported = page.getByTestId("reported-comments");
  await expect(reported).toContainText("Reported: It gives away the marriage.");
  await reported.getByLabel("Why hide it?").fill("Spoils book one for newcomers.");
  await reported.getByRole("button", { name: "Hide the comment" }).click();
  await expect(page.getByText("The comment is hidden.")).toBeVisible();
  await expect(page.getByTestId("hidden-comments")).toContainText("Ada Organiser: Spoils book one for newcomers.");

  // The reader no longer gets its text, only that it was hidden.
  await critic.page.reload();
  await expect(critic.page.getByText("The club's admins hid this comment.")).toBeVisible();
  expect(await critic.page.content()).not.toContain("Dorothea marries Casaubon!");
  await critic.context.close();
});
