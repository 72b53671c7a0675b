import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { PASSWORD, signIn, signUp, uniqueEmail, waitForHydration } from "./support";

// Every route of the app (src/app.rs), each as the person who sees the most of
// it, checked on a 390 px phone for sideways scrolling and with axe (WCAG 2.1
// A and AA) in the light and the dark colour scheme, at phone and desktop
// widths. Each page and check is a test of its own, so a failure names both.

const PHONE = { width: 390, height: 800 };
const DESKTOP = { width: 1280, height: 800 };
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type Actor = "owner" | "member" | "admin" | "visitor";

/** What the setup made: the ids read from URLs, and who signs in how. */
interface World {
  baseURL: string;
  club: string;
  event: string;
  book: string;
  section: string;
  nominationPoll: string;
  votingPoll: string;
  closedPoll: string;
  datePoll: string;
  planOption: string;
  invite: string;
  owner: string;
  member: string;
  admin: { email: string; password: string };
}

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * The data, made once per run through the forms (as the journeys do): an owner
 * with a public club, an event with items (one a member's task), a shelf, book
 * polls taking nominations, voting and closed, a date poll and an invitation;
 * a member and a site admin.
 */
async function buildWorld(browser: Browser, baseURL: string): Promise<World> {
  const ownerEmail = uniqueEmail("sweep-owner");
  const memberEmail = uniqueEmail("sweep-member");
  const context = await browser.newContext({ baseURL });
  const memberContext = await browser.newContext({ baseURL });
  // A step that cannot happen fails the setup soon, not at the hook's timeout.
  context.setDefaultTimeout(20_000);
  memberContext.setDefaultTimeout(20_000);
  try {
    const page = await context.newPage();
    await signUp(page, "Marguerite Oyelaran-Featherstonehaugh", ownerEmail);

    await page.goto("/clubs/new");
    await waitForHydration(page);
    const clubName = `The Harbour Lighthouse Readers of Saint-Jean-de-Luz ${unique()}`;
    await page.getByLabel("Name").fill(clubName);
    await page
      .getByLabel("Description")
      .fill(
        "We read novels set by the sea, one a month, and talk about them over tea.\n\n" +
          "Our reading list lives at https://books.example.org/lists/harbour-lighthouse-readers/2027-spring-and-summer-season?view=full",
      );
    await page.getByLabel("Meets (e.g. monthly)").fill("monthly, on the first Thursday");
    await page.getByLabel("Location").fill("Médiathèque, 12 rue du Port");
    await page.getByLabel("Tags").fill("seaside, classics, translated-fiction, book-of-the-month");
    await page.getByRole("button", { name: "Create club" }).click();
    await expect(page.getByRole("heading", { level: 1, name: clubName })).toBeVisible();
    const clubUrl = page.url();
    const club = new URL(clubUrl).pathname.split("/").pop()!;

    // The member joins through the endpoints the forms post to (as
    // events.spec.ts's joinedMember does), so they can be given a task.
    const registered = await memberContext.request.post("/api/auth/register", {
      form: { name: "Ana Lindqvist", email: memberEmail, password: PASSWORD },
    });
    expect(registered.status(), await registered.text()).toBe(200);
    const joined = await memberContext.request.post("/api/clubs/join", { form: { id: club } });
    expect(joined.status(), await joined.text()).toBe(200);

    // The shelf.
    await page.goto(`/clubs/${club}/books`);
    await waitForHydration(page);
    const suggest = page.getByRole("form", { name: "Suggest a book" });
    for (const [title, authors] of [
      ["Dune", "Frank Herbert"],
      ["Emma", "Jane Austen"],
      ["The Unbearable Lightness of Being", "Milan Kundera"],
    ]) {
      await suggest.getByLabel("Title").fill(title);
      await suggest.getByLabel("Author(s) (optional)").fill(authors);
      await suggest.getByRole("button", { name: "Suggest this book" }).click();
      await expect(page.getByTestId("shelf-suggested")).toContainText(title);
    }
    const editHref = await page.getByRole("link", { name: "Edit Dune" }).getAttribute("href");
    const book = editHref!.split("/")[2];

    // A reading schedule for it, the owner's progress and a comment (the
    // member has finished nothing, so their discussion waits).
    const added = await page.request.post("/api/reading/sections/add", {
      form: { book, title: "Book one: Dune, chapters 1–22", target_date: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) },
    });
    expect(added.status(), await added.text()).toBe(200);
    const plan = await page.request.post("/api/reading/plan", { form: { book } });
    const section: string = (await plan.json()).sections[0].id;
    const progressed = await page.request.post("/api/reading/progress", { form: { book, through: section } });
    expect(progressed.status(), await progressed.text()).toBe(200);
    const posted = await page.request.post("/api/reading/comments/post", {
      form: { section, body: "The **spice** must flow, and so must the tea. See [the map](https://maps.example.org/arrakis)." },
    });
    expect(posted.status(), await posted.text()).toBe(200);

    // The owner takes turns hosting, so the event goes to them.
    const volunteered = await page.request.post("/api/hosting/volunteer", { form: { club, volunteer: "yes" } });
    expect(volunteered.status(), await volunteered.text()).toBe(200);

    // An event, with an agenda point and a task for the member.
    await page.goto(`/clubs/${club}/events/new`);
    await waitForHydration(page);
    await page.getByLabel("Title").fill("Dune, part one: Arrakis");
    await page.getByLabel("Description").fill("Chapters 1–22. Bring your questions about the Bene Gesserit.");
    await page
      .getByLabel("Where")
      .fill("https://meet.example.org/harbour-lighthouse-readers-monthly-discussion?passcode=arrakis-spice-2027");
    await page.getByLabel("Attendee limit (optional)").fill("12");
    await page.getByLabel(/Public: anyone can see it/).check();
    await page.getByRole("button", { name: "Create event" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Dune, part one: Arrakis" })).toBeVisible();
    const event = new URL(page.url()).pathname.split("/").pop()!;
    await waitForHydration(page);
    const add = page.getByRole("form", { name: "Add item" });
    await add.getByLabel("Item").fill("Opening thoughts on the desert planet");
    await add.getByLabel("Kind").selectOption("agenda");
    await add.getByRole("button", { name: "Add item" }).click();
    await expect(page.getByTestId("item")).toHaveCount(1);
    await add.getByLabel("Item").fill("Bring the tea urn and the spare cups");
    await add.getByLabel("Kind").selectOption("task");
    await add.getByLabel("Assigned to").selectOption({ label: "Ana Lindqvist" });
    await add.getByRole("button", { name: "Add item" }).click();
    await expect(page.getByTestId("item")).toHaveCount(2);
    for (const text of ["What does the desert teach Paul, and what does it cost him?", "Would you trust the Bene Gesserit?"]) {
      const asked = await page.request.post("/api/reading/questions/suggest", { form: { event, text } });
      expect(asked.status(), await asked.text()).toBe(200);
    }
    // The meeting's discussion: a comment, with a marked spoiler.
    const talk = await page.request.post("/api/reading/meeting-comments/post", {
      form: { event, body: "Shall we bring spice cake? ||Leto does not make it to book two.||" },
    });
    expect(talk.status(), await talk.text()).toBe(200);

    const openPoll = async (title: string, books: string[], options: { nominate?: boolean; live?: boolean } = {}) => {
      await page.goto(`/clubs/${club}/polls/new`);
      await waitForHydration(page);
      await page.getByLabel("Title").fill(title);
      for (const b of books) await page.getByRole("checkbox", { name: new RegExp(`^${b}\\b`) }).check();
      if (options.nominate) await page.getByRole("checkbox", { name: /Let members nominate books first/ }).check();
      if (options.live) await page.getByRole("checkbox", { name: /Show results while the poll is open/ }).check();
      await page.getByRole("button", { name: "Open the poll" }).click();
      await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
      return new URL(page.url()).pathname.split("/").pop()!;
    };
    const rank = async (p: Page, poll: string, order: string[]) => {
      await p.goto(`/polls/${poll}`);
      await waitForHydration(p);
      const ballot = p.getByRole("form", { name: "Your ballot" });
      for (const [i, title] of order.entries()) {
        await ballot.getByRole("combobox", { name: new RegExp(`^${title}\\b`) }).selectOption(String(i + 1));
      }
      await ballot.getByRole("button", { name: "Save my ballot" }).click();
      await expect(ballot.getByText("Your ballot is saved.")).toBeVisible();
    };

    const nominationPoll = await openPoll("Autumn nominations", ["Dune", "Emma"], { nominate: true });
    const votingPoll = await openPoll("What we read in spring", ["Dune", "Emma", "The Unbearable"], { live: true });
    await rank(page, votingPoll, ["Emma", "Dune"]);
    const closedPoll = await openPoll("What we read next", ["Dune", "Emma", "The Unbearable"]);
    await rank(page, closedPoll, ["The Unbearable", "Emma", "Dune"]);
    const memberPage = await memberContext.newPage();
    await rank(memberPage, closedPoll, ["Emma", "Dune"]);

    // The member reports the owner's comment, and the owner hides a second
    // one: the moderation page has something in each list.
    const aside = await page.request.post("/api/reading/comments/post", {
      form: { section, body: "Off topic: has anyone seen the new film adaptation with the long sandworm scene?" },
    });
    expect(aside.status(), await aside.text()).toBe(200);
    const thread = await (await page.request.post("/api/reading/thread", { form: { section, reveal: "false" } })).json();
    const [spice, film] = thread.comments.map((c: { id: string }) => c.id);
    const reported = await memberPage.request.post("/api/reading/comments/report", {
      form: { comment: spice, reason: "It names the ending of book three without a warning." },
    });
    expect(reported.status(), await reported.text()).toBe(200);
    const hidden = await page.request.post("/api/reading/comments/hide", { form: { comment: film, reason: "Off topic for this section." } });
    expect(hidden.status(), await hidden.text()).toBe(200);
    await page.goto(`/polls/${closedPoll}`);
    await waitForHydration(page);
    // Closing asks first (the confirmation step, a <details>).
    await page.getByText("Close the poll now", { exact: true }).click();
    await page.getByRole("button", { name: "Close the poll and count" }).click();
    await expect(page.getByTestId("winner")).toBeVisible();

    // A date poll, answered by the owner.
    await page.goto(`/clubs/${club}/polls/new-date`);
    await waitForHydration(page);
    const dates = page.getByRole("form", { name: "New date poll" });
    await dates.getByLabel("Where (optional)").fill("Médiathèque, 12 rue du Port");
    for (const [i, [date, time]] of [
      ["2099-03-05", "19:00"],
      ["2099-03-06", "19:00"],
      ["2099-03-12", "18:30"],
    ].entries()) {
      await dates.getByLabel(`Date ${i + 1}`, { exact: true }).fill(date);
      await dates.getByLabel(`Time ${i + 1}`, { exact: true }).fill(time);
    }
    await dates.getByRole("button", { name: "Open the poll" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "When shall we meet?" })).toBeVisible();
    const datePoll = new URL(page.url()).pathname.split("/").pop()!;
    await waitForHydration(page);
    const answers = page.getByRole("form", { name: "Your answers" });
    await answers.getByRole("group", { name: /^Thu 5 Mar 2099/ }).getByLabel("Yes").check();
    await answers.getByRole("group", { name: /^Fri 6 Mar 2099/ }).getByLabel("If need be").check();
    await answers.getByRole("group", { name: /^Thu 12 Mar 2099/ }).getByLabel("No").check();
    await answers.getByRole("button", { name: "Save my answers" }).click();
    await expect(answers.getByText("Your answers are saved.")).toBeVisible();
    const planHref = await page.getByRole("link", { name: "Plan the meeting on this date" }).first().getAttribute("href");
    const planOption = new URL(planHref!, baseURL).searchParams.get("option")!;

    // An invitation link.
    await page.goto(`/clubs/${club}/members`);
    await waitForHydration(page);
    await page.getByRole("button", { name: "Create link" }).click();
    const invitePath = await page.getByTestId("invite-link").textContent();
    const invite = invitePath!.split("/").pop()!;

    // A site admin, made with the documented command.
    const admin = { email: uniqueEmail("sweep-admin"), password: `admin pass ${unique()}` };
    const bin = process.env.BOOKWORK_BIN ?? path.resolve(__dirname, "../../target/release/bookwork");
    execFileSync(bin, ["create-admin", admin.email, "Site Admin"], {
      env: { ...process.env, BOOKWORK_ADMIN_PASSWORD: admin.password },
      cwd: path.resolve(__dirname, "../.."),
    });

    return {
      baseURL, club, event, book, section, nominationPoll, votingPoll, closedPoll, datePoll, planOption, invite,
      owner: ownerEmail, member: memberEmail, admin,
    };
  } finally {
    await context.close();
    await memberContext.close();
  }
}

/**
 * The world is built once per run, not once per worker: a failed test makes
 * Playwright start a fresh worker, which would otherwise build it again. The
 * first worker to get here writes it to a file named after the test runner's
 * process (every worker's parent); the others wait for that file.
 */
async function sharedWorld(browser: Browser, baseURL: string): Promise<World> {
  const file = path.join(os.tmpdir(), `bookwork-every-page-${process.ppid}.json`);
  const lock = `${file}.lock`;
  const deadline = Date.now() + 80_000;
  for (;;) {
    if (fs.existsSync(file)) {
      const world = JSON.parse(fs.readFileSync(file, "utf8")) as World;
      if (world.baseURL === baseURL) return world;
    }
    let mine = false;
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      mine = true;
    } catch {
      // Another worker is building it.
    }
    if (mine) {
      try {
        const world = await buildWorld(browser, baseURL);
        fs.writeFileSync(`${file}.tmp`, JSON.stringify(world));
        fs.renameSync(`${file}.tmp`, file);
        return world;
      } finally {
        fs.rmSync(lock, { force: true });
      }
    }
    if (Date.now() > deadline) throw new Error(`no test data in ${file} after 80 s (lock: ${lock})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

let world: World;
const contexts = new Map<Actor, BrowserContext>();

test.beforeAll(async ({ browser }, info) => {
  const baseURL = info.project.use.baseURL!;
  world = await sharedWorld(browser, baseURL);
  const as = async (actor: Actor, email?: string, password = PASSWORD) => {
    const context = await browser.newContext({ baseURL });
    if (email) await signIn(await context.newPage(), email, password);
    for (const p of context.pages()) await p.close();
    contexts.set(actor, context);
  };
  await Promise.all([
    as("visitor"),
    as("owner", world.owner),
    as("member", world.member),
    as("admin", world.admin.email, world.admin.password),
  ]);
});

test.afterAll(async () => {
  for (const context of contexts.values()) await context.close();
});

interface Route {
  name: string;
  as: Actor;
  /** Who that is, when the actor's name does not say it. */
  who?: string;
  path: (w: World) => string;
  /** Where the visit ends up, when not at `path` (the 404 page stays put too). */
  status?: number;
  /** A page with no script (nothing hydrates). */
  scriptless?: boolean;
}

const routes: Route[] = [
  { name: "home", as: "owner", path: () => "/" },
  { name: "home", as: "visitor", path: () => "/" },
  { name: "sign in", as: "visitor", path: () => "/login" },
  { name: "sign up", as: "visitor", path: () => "/register" },
  { name: "profile", as: "owner", path: () => "/me" },
  { name: "discover clubs", as: "owner", path: () => "/clubs" },
  { name: "discover clubs", as: "visitor", path: () => "/clubs" },
  { name: "new club", as: "owner", path: () => "/clubs/new" },
  { name: "club", as: "owner", path: (w) => `/clubs/${w.club}` },
  { name: "club", as: "visitor", path: (w) => `/clubs/${w.club}` },
  { name: "members", as: "owner", path: (w) => `/clubs/${w.club}/members` },
  { name: "bookshelf", as: "owner", path: (w) => `/clubs/${w.club}/books` },
  { name: "book", as: "owner", path: (w) => `/books/${w.book}` },
  { name: "book", as: "visitor", path: (w) => `/books/${w.book}` },
  { name: "edit book", as: "owner", path: (w) => `/books/${w.book}/edit` },
  { name: "reading schedule", as: "owner", path: (w) => `/books/${w.book}/reading` },
  { name: "reading schedule", as: "visitor", path: (w) => `/books/${w.book}/reading` },
  { name: "discussion", as: "owner", path: (w) => `/reading/${w.section}` },
  { name: "discussion, waiting", as: "member", path: (w) => `/reading/${w.section}` },
  { name: "new book poll", as: "owner", path: (w) => `/clubs/${w.club}/polls/new` },
  { name: "new date poll", as: "owner", path: (w) => `/clubs/${w.club}/polls/new-date` },
  { name: "book poll taking nominations", as: "owner", path: (w) => `/polls/${w.nominationPoll}` },
  { name: "book poll, voting", as: "owner", path: (w) => `/polls/${w.votingPoll}` },
  { name: "book poll, closed", as: "owner", path: (w) => `/polls/${w.closedPoll}` },
  { name: "book poll, closed", as: "visitor", path: (w) => `/polls/${w.closedPoll}` },
  { name: "date poll", as: "owner", path: (w) => `/polls/${w.datePoll}` },
  { name: "plan the meeting", as: "owner", path: (w) => `/polls/${w.datePoll}/plan?option=${w.planOption}` },
  { name: "edit club", as: "owner", path: (w) => `/clubs/${w.club}/edit` },
  { name: "new event", as: "owner", path: (w) => `/clubs/${w.club}/events/new` },
  { name: "event", as: "owner", path: (w) => `/events/${w.event}` },
  { name: "event", as: "visitor", path: (w) => `/events/${w.event}` },
  { name: "edit event", as: "owner", path: (w) => `/events/${w.event}/edit` },
  { name: "meeting questions", as: "owner", path: (w) => `/events/${w.event}/questions` },
  { name: "meeting discussion", as: "owner", path: (w) => `/events/${w.event}/discussion` },
  { name: "meeting discussion", as: "member", path: (w) => `/events/${w.event}/discussion` },
  { name: "hosting rotation", as: "owner", path: (w) => `/clubs/${w.club}/hosting` },
  { name: "hosting rotation", as: "member", path: (w) => `/clubs/${w.club}/hosting` },
  { name: "moderation", as: "owner", path: (w) => `/clubs/${w.club}/moderation` },
  { name: "invitation", as: "admin", who: "signed in, not a member", path: (w) => `/invite/${w.invite}` },
  { name: "notifications", as: "member", path: () => "/notifications" },
  { name: "unsubscribe", as: "visitor", path: () => "/unsubscribe" },
  { name: "admin: users", as: "admin", path: () => "/admin/users" },
  { name: "admin: system", as: "admin", path: () => "/admin/system" },
  { name: "not found", as: "visitor", path: () => "/no-such-page", status: 404 },
  // Written from the API's description, not by Leptos: no script to wait for.
  { name: "API reference", as: "visitor", path: () => "/api/docs", scriptless: true },
];

/** Opens the route as its actor, in the colour scheme and width given, once the page is live. */
async function open(route: Route, colorScheme: "light" | "dark", viewport: { width: number; height: number }) {
  const page = await contexts.get(route.as)!.newPage();
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme });
  const target = route.path(world);
  const response = await page.goto(target);
  expect(response?.status(), `${target} answered`).toBe(route.status ?? 200);
  // Not sent to sign in, or elsewhere: the page under test is the one asked for.
  expect(new URL(page.url()).pathname).toBe(new URL(target, world.baseURL).pathname);
  if (!route.scriptless) await waitForHydration(page);
  return page;
}

/** The elements that stick out past the right edge (not inside something that scrolls or clips). */
async function overflowReport(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : "";
      const classes = [...el.classList].map((c) => `.${c}`).join("");
      return `${el.tagName.toLowerCase()}${id}${classes}`;
    };
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") return true;
      }
      return false;
    };
    const past = [...document.body.querySelectorAll("*")]
      .map((el) => ({ el, rect: el.getBoundingClientRect() }))
      .filter(({ rect }) => rect.right > width + 0.5 && rect.width > 0);
    // Inside a scroller an element only widens the page when it escapes it
    // (an absolutely positioned one whose containing block is outside):
    // name those too when nothing else sticks out.
    const unclipped = past.filter(({ el }) => !clipped(el));
    const offenders = (unclipped.length > 0 ? unclipped : past)
      .sort((a, b) => b.rect.right - a.rect.right || b.rect.width - a.rect.width)
      .slice(0, 8)
      .map(({ el, rect }) => {
        const trail = [];
        for (let e: Element | null = el; e && e !== document.body && trail.length < 4; e = e.parentElement) {
          trail.unshift(describe(e));
        }
        const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 60);
        return `  ${trail.join(" > ")}: right ${Math.round(rect.right)} px, width ${Math.round(rect.width)} px${text ? ` ("${text}")` : ""}`;
      });
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: width,
      offenders,
    };
  });
}

async function axeReport(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.map(
    (v) =>
      `  ${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes
        .slice(0, 10)
        .map((n) => `    ${n.target.join(" ")}${n.any[0]?.message ? ` — ${n.any[0].message}` : ""}`)
        .join("\n") +
      (v.nodes.length > 10 ? `\n    … and ${v.nodes.length - 10} more` : ""),
  );
}

for (const route of routes) {
  const title = `${route.name} (${route.who ?? route.as})`;
  test.describe(title, () => {
    test("fits a 390 px phone without scrolling sideways", async () => {
      const page = await open(route, "light", PHONE);
      const r = await overflowReport(page);
      expect(
        r.scrollWidth,
        `page is ${r.scrollWidth} px wide in a ${r.innerWidth} px window; widest offenders:\n${r.offenders.join("\n")}`,
      ).toBeLessThanOrEqual(r.innerWidth);
      await page.close();
    });

    for (const scheme of ["light", "dark"] as const) {
      test(`has no axe violations, ${scheme} colour scheme`, async () => {
        const page = await open(route, scheme, PHONE);
        const phone = await axeReport(page);
        await page.setViewportSize(DESKTOP);
        const desktop = await axeReport(page);
        await page.close();
        expect.soft(phone, `axe at 390 px, ${scheme}:\n${phone.join("\n")}`).toEqual([]);
        expect.soft(desktop, `axe at 1280 px, ${scheme}:\n${desktop.join("\n")}`).toEqual([]);
      });
    }
  });
}
