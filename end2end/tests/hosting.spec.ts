import { expect, test, type Browser, type Page } from "@playwright/test";
import { PASSWORD, signUp, submitPlainForm, uniqueEmail, waitForHydration } from "./support";

function uniqueName(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A date `days` from today, as a date field takes it. */
function inDays(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function member(browser: Browser, clubUrl: string, name: string, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await page.goto("/register");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(uniqueEmail("host"));
  await page.getByLabel("Password").fill(PASSWORD);
  await submitPlainForm(page, page.getByRole("button", { name: "Create account" }));
  await page.goto(clubUrl);
  if (javaScriptEnabled) await waitForHydration(page);
  const join = page.getByRole("button", { name: "Join this club" });
  if (javaScriptEnabled) await join.click();
  else await submitPlainForm(page, join);
  await expect(page.getByText("Leave this club")).toBeVisible();
  return { context, page };
}

/** The organiser plans a meeting with the host the form suggests. */
async function planMeeting(page: Page, clubUrl: string, title: string, days: number, expectedHost: string) {
  await page.goto(`${clubUrl}/events/new`);
  await waitForHydration(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Date").fill(inDays(days));
  await page.getByLabel("Where").fill("The library");
  await expect(page.getByLabel("Host")).toHaveValue("rotation");
  await expect(page.getByLabel("Host").locator("option:checked")).toHaveText(`Next in the rotation (now ${expectedHost})`);
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("host")).toContainText(expectedHost);
}

for (const javaScriptEnabled of [true, false]) {
  test(`members take turns hosting, new meetings go to the next host, and hosts swap (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    page,
    browser,
  }) => {
    await signUp(page, "Olga Organiser", uniqueEmail("host-owner"));
    await page.goto("/clubs/new");
    await waitForHydration(page);
    const club = uniqueName("Turn Takers");
    await page.getByLabel("Name").fill(club);
    await page.getByRole("button", { name: "Create club" }).click();
    await expect(page.getByRole("heading", { level: 1, name: club })).toBeVisible();
    const clubUrl = page.url();

    // Two members volunteer on the hosting page, with or without JavaScript.
    const hosts = [];
    for (const name of ["Hana Host", "Ivo Host"]) {
      const m = await member(browser, clubUrl, name, javaScriptEnabled);
      await m.page.getByRole("link", { name: "Hosting rotation" }).click();
      if (javaScriptEnabled) await waitForHydration(m.page);
      const volunteer = m.page.getByRole("button", { name: "I'll take turns hosting" });
      if (javaScriptEnabled) await volunteer.click();
      else await submitPlainForm(m.page, volunteer);
      await expect(m.page.getByText("You're in the hosting rotation.")).toBeVisible();
      await expect(m.page.getByTestId("rotation")).toContainText(name);
      hosts.push(m);
    }
    // The first to volunteer is first; the next meeting goes to the other.
    await planMeeting(page, clubUrl, "First meeting", 10, "Hana Host");
    await planMeeting(page, clubUrl, "Second meeting", 20, "Ivo Host");

    // Hana swaps hers with Ivo's.
    const hana = hosts[0].page;
    await hana.goto(`${clubUrl}/hosting`);
    if (javaScriptEnabled) await waitForHydration(hana);
    const meetings = hana.getByTestId("hosted-meetings");
    await expect(meetings.getByRole("listitem").first()).toContainText("You are hosting");
    const swapWith = hana.getByLabel("Swap the host of First meeting with");
    const second = await swapWith.locator("option", { hasText: "Second meeting" }).getAttribute("value");
    await swapWith.selectOption(second!);
    const swap = hana.getByRole("button", { name: "Swap hosts" });
    if (javaScriptEnabled) await swap.click();
    else await submitPlainForm(hana, swap);
    await expect(hana.getByText("The two meetings have swapped hosts.")).toBeVisible();
    await expect(meetings.getByRole("listitem").first()).toContainText("Hosted by Ivo Host");
    await expect(meetings.getByRole("listitem").nth(1)).toContainText("You are hosting");

    // Ivo was told he hosts the first meeting now.
    const ivo = hosts[1].page;
    await ivo.goto("/notifications");
    await expect(ivo.getByText(/You're hosting First meeting/)).toBeVisible();
    for (const m of hosts) await m.context.close();
  });
}
