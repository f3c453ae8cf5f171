// The Ideas board on the demo site, in Chromium against the real server: everyone reads it, only a
// verified user writes on it. An anonymous visitor sees the board and the sign-in sentence, and
// their vote changes nothing; Ada's vote counts once, stays after a reload and shows on her other
// device; Bob's suggestion shows for Ada; a tampered proof votes nothing; the operator's status
// change shows in the widget; a suggestion made offline arrives once; the keyboard alone does all of
// it, the focus following into a thread and back, and axe finds nothing. Each test posts its own idea
// (the operator API), so none reads what another left.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import type { OperatorIdea } from "../../contract/operator.ts";
import type { VerificationRequired } from "../../contract/wire.ts";
import { DEMO_IDEAS } from "../../demo/site.ts";
import { admin, API, demoApp, identityStatus, openChat, signIn, unique } from "./helpers.ts";

const SIGN_IN = "Sign in to suggest ideas, vote and comment. What you typed is kept.";

const ideas = async () => (await admin<{ ideas: OperatorIdea[] }>("/ideas")).ideas;
const votesOf = async (id: string) => (await ideas()).find((i) => i.id === id)?.votes;
/** An idea the operator posts, fresh for this test. */
async function posted(label: string): Promise<OperatorIdea> {
  const { idea } = await admin<{ idea: OperatorIdea }>("/ideas", { method: "POST", body: JSON.stringify({ title: unique(label) }) });
  return idea;
}

/** The open panel's Ideas tab, once the board has been read. */
async function openIdeas(page: Page) {
  const read = page.waitForResponse((r) => r.url().endsWith("/ideas/query"));
  await openChat(page);
  await page.getByRole("tab", { name: "Ideas" }).click();
  await read;
}
const voteButton = (page: Page, title: string) => page.getByRole("button", { name: new RegExp(`^Vote for ${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, `) });
const expectVote = async (page: Page, title: string, votes: number, voted: boolean) => {
  await expect(voteButton(page, title)).toHaveAccessibleName(`Vote for ${title}, ${votes} votes`);
  await expect(voteButton(page, title)).toHaveAttribute("aria-pressed", String(voted));
};
/** Clicks the vote button and waits for the server's answer. */
async function clickVote(page: Page, title: string) {
  const answered = page.waitForResponse((r) => r.url().endsWith("/vote"));
  await voteButton(page, title).click();
  return answered;
}

/** A browser of its own (a device), on the demo site, signed in as `user` — verified. */
async function device(browser: Browser, user: "ada" | "bob") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/");
  await signIn(page, user);
  await expect(identityStatus(page)).toHaveText(`verified · u_${user}`);
  return { context, page };
}

test("an anonymous visitor sees the board and the sign-in sentence; their vote changes nothing", async ({ page }) => {
  const idea = await posted("Anonymous vote");
  await page.goto("/");
  await openIdeas(page);
  for (const seeded of DEMO_IDEAS) await expect(page.getByRole("button", { name: seeded.title, exact: true })).toBeVisible();
  await expect(page.getByText(SIGN_IN)).toBeVisible();
  await expect(page.getByRole("button", { name: "Suggest" })).toHaveCount(0);
  await expectVote(page, idea.title, 0, false);

  const refused = await clickVote(page, idea.title);
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as VerificationRequired).error.code).toBe("verification_required");
  await expectVote(page, idea.title, 0, false);
  expect(await votesOf(idea.id)).toBe(0);
  // What they typed stays where they typed it.
  await page.getByRole("textbox", { name: "Your idea" }).fill("Kept while I sign in");
  await expect(page.getByRole("textbox", { name: "Your idea" })).toHaveValue("Kept while I sign in");
});

test("Ada votes: the count goes up by one, stays after a reload, and shows as hers on her other device", async ({ browser }) => {
  const idea = await posted("Ada's vote");
  const laptop = await device(browser, "ada");
  await openIdeas(laptop.page);
  await expect(laptop.page.getByText(SIGN_IN)).toHaveCount(0);
  await expectVote(laptop.page, idea.title, 0, false);
  expect((await clickVote(laptop.page, idea.title)).status()).toBe(200);
  await expectVote(laptop.page, idea.title, 1, true);
  expect(await votesOf(idea.id)).toBe(1);

  await laptop.page.reload();
  await openIdeas(laptop.page);
  await expectVote(laptop.page, idea.title, 1, true);

  const phone = await device(browser, "ada");
  await openIdeas(phone.page);
  await expectVote(phone.page, idea.title, 1, true);
  // Voting again from the phone takes her one vote back: never a second one.
  expect((await clickVote(phone.page, idea.title)).status()).toBe(200);
  await expectVote(phone.page, idea.title, 0, false);
  expect(await votesOf(idea.id)).toBe(0);
  await laptop.context.close();
  await phone.context.close();
});

test("Bob suggests an idea, and it shows on Ada's board", async ({ browser }) => {
  const title = unique("Bob's idea");
  const bob = await device(browser, "bob");
  await openIdeas(bob.page);
  await bob.page.getByRole("textbox", { name: "Your idea" }).fill(title);
  await bob.page.getByRole("textbox", { name: "Details (optional)" }).fill("A dark theme for the dashboard.");
  const sent = bob.page.waitForResponse((r) => r.url().endsWith("/ideas") && r.request().method() === "POST");
  await bob.page.getByRole("button", { name: "Suggest" }).click();
  expect((await sent).status()).toBe(201);
  // Its author's vote counts.
  await expectVote(bob.page, title, 1, true);
  const stored = (await ideas()).filter((i) => i.title === title);
  expect(stored.map((i) => [i.author, i.body, i.voters.map((v) => v.userId)])).toEqual([[{ type: "visitor", userId: "u_bob" }, "A dark theme for the dashboard.", ["u_bob"]]]);

  const ada = await device(browser, "ada");
  await openIdeas(ada.page);
  await expectVote(ada.page, title, 1, false);
  await ada.page.getByRole("button", { name: title, exact: true }).click();
  await expect(ada.page.getByRole("heading", { name: title })).toBeVisible();
  await expect(ada.page.getByText("A dark theme for the dashboard.")).toBeVisible();
  await bob.context.close();
  await ada.context.close();
});

test("a tampered proof cannot vote: the widget's vote is refused and counts nothing, and so is the proof sent by hand", async ({ page }) => {
  const idea = await posted("Tampered vote");
  await page.goto("/");
  await page.getByLabel(/Tamper with the proof/).check();
  await signIn(page, "bob");
  await expect(identityStatus(page)).toHaveText("rejected · bad_signature");
  await openIdeas(page);
  await expect(page.getByText(SIGN_IN)).toBeVisible();
  expect((await clickVote(page, idea.title)).status()).toBe(403);
  await expectVote(page, idea.title, 0, false);

  // The tampered proof itself, as this page's backend signs it, sent straight to the API.
  const answer = await page.evaluate(
    async ({ api, appId, ideaId }) => {
      const { identity } = await (await fetch("/parley-identity")).json();
      const res = await fetch(`${api}/v1/apps/${appId}/ideas/${ideaId}/vote`, { method: "POST", body: JSON.stringify({ visitorId: "v_tampered_by_hand", identity, up: true }) });
      return { status: res.status, body: await res.json() };
    },
    { api: API, appId: demoApp().appId, ideaId: idea.id },
  );
  expect(answer.status).toBe(403);
  expect(answer.body.error.code).toBe("verification_required");
  expect(answer.body.identity).toMatchObject({ status: "rejected", reason: "bad_signature" });
  expect(await votesOf(idea.id)).toBe(0);
});

test("the operator changes an idea's status, and the widget shows it", async ({ page }) => {
  const idea = await posted("Status change");
  await page.goto("/");
  await openIdeas(page);
  const row = page.getByRole("listitem").filter({ has: page.getByRole("button", { name: idea.title, exact: true }) });
  await expect(row).toContainText("Open");
  await admin(`/ideas/${idea.id}`, { method: "PATCH", body: JSON.stringify({ status: "planned" }) });
  // Back to the board: it is read again.
  await page.getByRole("tab", { name: "Chat" }).click();
  const read = page.waitForResponse((r) => r.url().endsWith("/ideas/query"));
  await page.getByRole("tab", { name: "Ideas" }).click();
  await read;
  await expect(row).toContainText("Planned");
  await expect(row).not.toContainText("Open");
});

test("a suggestion made offline arrives once when back online", async ({ browser }) => {
  const title = unique("Offline idea");
  const bob = await device(browser, "bob");
  await openIdeas(bob.page);
  await bob.context.setOffline(true);
  await bob.page.getByRole("textbox", { name: "Your idea" }).fill(title);
  await bob.page.getByRole("button", { name: "Suggest" }).click();
  // Shown at once, on its way; tried (and failed) at least once while offline.
  await expect(bob.page.getByRole("listitem").filter({ hasText: title })).toContainText("Sending");
  await expect
    .poll(() => bob.page.evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? "[]") as { attempts: number }[])[0]?.attempts ?? 0, `parley:${demoApp().appId}:ideas-outbox`))
    .toBeGreaterThan(0);
  expect((await ideas()).filter((i) => i.title === title)).toHaveLength(0);

  await bob.context.setOffline(false);
  await expectVote(bob.page, title, 1, true);
  await expect.poll(async () => (await ideas()).filter((i) => i.title === title).length, { timeout: 20_000 }).toBe(1);
  await expect(bob.page.getByRole("listitem").filter({ hasText: title })).toHaveCount(1);
  // A reload sends nothing again: the outbox is empty, and the server has it once.
  await bob.page.reload();
  await openIdeas(bob.page);
  await expect(bob.page.getByRole("listitem").filter({ hasText: title })).toHaveCount(1);
  expect((await ideas()).filter((i) => i.title === title)).toHaveLength(1);
  await bob.context.close();
});

/** Presses Tab until `target` has the focus (inside the widget's shadow root), or fails. */
async function tabTo(page: Page, target: import("@playwright/test").Locator) {
  for (let i = 0; i < 30; i++) {
    if (await target.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

test("keyboard and screen reader: Ada votes, reads an idea's thread, comments and comes back, with the keyboard alone; axe finds nothing on the board or the thread", async ({ page }) => {
  const idea = await posted("Keyboard idea");
  await page.goto("/");
  await signIn(page, "ada");
  await expect(identityStatus(page)).toHaveText("verified · u_ada");
  await openChat(page);
  // The tabs: arrow keys move between them (WAI-ARIA), Enter is not needed.
  const read = page.waitForResponse((r) => r.url().endsWith("/ideas/query"));
  await tabTo(page, page.getByRole("tab", { name: "Chat" }));
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: "Ideas" })).toHaveAttribute("aria-selected", "true");
  await read;
  const axe = async () => (await new AxeBuilder({ page }).include("[data-parley]").analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(await axe()).toEqual([]);

  await tabTo(page, voteButton(page, idea.title));
  const voted = page.waitForResponse((r) => r.url().endsWith("/vote"));
  await page.keyboard.press("Space");
  expect((await voted).status()).toBe(200);
  await expectVote(page, idea.title, 1, true);

  await page.keyboard.press("Tab");
  const title = page.getByRole("button", { name: idea.title, exact: true });
  await expect(title).toBeFocused();
  await page.keyboard.press("Enter");
  const heading = page.getByRole("heading", { name: idea.title });
  await expect(heading).toBeVisible();
  // The thread takes the focus, so a screen reader says where the visitor is.
  await expect(page.getByRole("button", { name: /All ideas/ })).toBeFocused();
  expect(await axe()).toEqual([]);
  const text = unique("typed, not clicked");
  await tabTo(page, page.getByRole("textbox", { name: "Add a comment" }));
  await page.keyboard.type(text);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page.locator(".comments")).toContainText(text);
  await tabTo(page, page.getByRole("button", { name: /All ideas/ }));
  await page.keyboard.press("Enter");
  // Back on the board, where they left it.
  await expect(title).toBeFocused();

  // A thread still open when the tab is shown again keeps the focus on the tab (WAI-ARIA tabs).
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: /All ideas/ })).toBeFocused();
  const ideasTab = page.getByRole("tab", { name: "Ideas" });
  await ideasTab.focus();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowRight");
  await expect(heading).toBeVisible();
  await expect(ideasTab).toBeFocused();
});
