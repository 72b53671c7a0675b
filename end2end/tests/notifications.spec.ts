import { expect, test } from "@playwright/test";
import { PASSWORD, signUp, submitPlainForm, uniqueEmail } from "./support";

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("notification settings and a club's reminder times save with plain form posts", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("Name").fill("Plain Reader");
    await page.getByLabel("Email").fill(uniqueEmail("nojs-settings"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText("Plain Reader");

    await page.goto("/me");
    const settings = page.getByRole("form", { name: "Notification settings" });
    const remindersByMail = settings.getByLabel("Meeting reminders by e-mail");
    await expect(remindersByMail).toBeChecked();
    await remindersByMail.uncheck();
    await settings.getByLabel("Tasks assigned to me in Bookwork").uncheck();
    await submitPlainForm(page, settings.getByRole("button", { name: "Save notification settings" }));
    await page.goto("/me");
    await expect(settings.getByLabel("Meeting reminders by e-mail")).not.toBeChecked();
    await expect(settings.getByLabel("Meeting reminders in Bookwork")).toBeChecked();
    await expect(settings.getByLabel("Tasks assigned to me in Bookwork")).not.toBeChecked();
    await expect(settings.getByLabel("Tasks assigned to me by e-mail")).toBeChecked();

    // The bell is there, with nothing unread, and leads to the list.
    await page.getByTestId("bell").click();
    await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
    await expect(page.getByText("Nothing yet.")).toBeVisible();

    // A club of their own: reminders a week and an hour before instead.
    await page.goto("/clubs/new");
    await page.getByLabel("Name").fill(`Plain Reminders ${Date.now().toString(36)}`);
    await page.getByRole("button", { name: "Create club" }).click();
    await page.getByRole("link", { name: "Edit club" }).click();
    const reminders = page.getByRole("form", { name: "Meeting reminders" });
    await expect(reminders.getByLabel("1 day before")).toBeChecked();
    await expect(reminders.getByLabel("2 hours before")).toBeChecked();
    await reminders.getByLabel("1 day before").uncheck();
    await reminders.getByLabel("2 hours before").uncheck();
    await reminders.getByLabel("1 week before").check();
    await reminders.getByLabel("1 hour before").check();
    await reminders.getByLabel("Also remind members who have not answered").check();
    await submitPlainForm(page, reminders.getByRole("button", { name: "Save reminder settings" }));
    await page.reload();
    await expect(reminders.getByLabel("1 week before")).toBeChecked();
    await expect(reminders.getByLabel("1 hour before")).toBeChecked();
    await expect(reminders.getByLabel("1 day before")).not.toBeChecked();
    await expect(reminders.getByLabel("Also remind members who have not answered")).toBeChecked();
  });
});

test("a visitor opening the notifications page is asked to sign in", async ({ page }) => {
  await page.goto("/notifications");
  await expect(page).toHaveURL(/\/login\?next=(%2F|\/)notifications$/);
  await signUp(page, "Bell Ringer", uniqueEmail("bell"));
  await expect(page.getByTestId("bell")).toHaveAttribute("aria-label", "Notifications, none unread");
});
