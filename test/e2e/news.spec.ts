// What's new on the demo site: the announcements a visitor sees follow what their proof *signed*.
// The demo app ships one announcement for everyone and one for `plan: pro` (demo/site.ts); Ada is
// Pro and Bob Free. Ada sees both, Bob one, an anonymous visitor one, and Bob's proof tampered to
// say pro — rejected — one. Unread announcements count on the launcher until seen.
import { expect, test, type Page } from "@playwright/test";
import { chooseProof, identityStatus, openChat, signIn } from "./helpers.ts";

const EVERYONE = "Dark mode is here";
const PRO = "Pro: priority support";

/** Opens the chat, then What's new: the titles it shows, newest first, once `count` of them show. */
async function shownAnnouncements(page: Page, count: number): Promise<string[]> {
  await openChat(page);
  return whatsNew(page, count);
}

/** The open panel's What's new tab: the titles it shows, newest first, once `count` of them show. */
async function whatsNew(page: Page, count: number): Promise<string[]> {
  await page.getByRole("tab", { name: /^What's new/ }).click();
  const articles = page.getByRole("article");
  await expect(articles).toHaveCount(count);
  return articles.getByRole("heading").allTextContents();
}

/** Signs in as `user` with `proof`, and waits for the announcements their claim may read. */
async function signInWith(page: Page, user: "ada" | "bob", proof: "Signed payload" | "HMAC token") {
  await chooseProof(page, proof);
  const read = page.waitForResponse((r) => r.url().endsWith("/announcements/query") && (r.request().postData() ?? "").includes('"identity"'));
  await signIn(page, user);
  await read;
}

for (const proof of ["Signed payload", "HMAC token"] as const) {
  test(`${proof}: Ada (Pro) sees both announcements, Bob (Free) sees the one for everyone`, async ({ browser }) => {
    for (const [user, expected] of [
      ["ada", [PRO, EVERYONE]],
      ["bob", [EVERYONE]],
    ] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto("/");
      await signInWith(page, user, proof);
      await expect(identityStatus(page)).toHaveText(`verified · u_${user}`);
      expect(await shownAnnouncements(page, expected.length)).toEqual(expected);
      await context.close();
    }
  });

  test(`${proof}: Bob's proof tampered to say pro is rejected, and sees only the one for everyone`, async ({ page }) => {
    await page.goto("/");
    await page.getByLabel(/Tamper with the proof/).check();
    await signInWith(page, "bob", proof);
    await expect(identityStatus(page)).toHaveText("rejected · bad_signature");
    expect(await shownAnnouncements(page, 1)).toEqual([EVERYONE]);
  });
}

test("an anonymous visitor sees the one for everyone, as text with its link clickable", async ({ page }) => {
  await page.goto("/");
  expect(await shownAnnouncements(page, 1)).toEqual([EVERYONE]);
  const article = page.getByRole("article");
  await expect(article).toContainText("Acme Cloud now follows your system's light or dark setting");
  await expect(article.getByRole("link", { name: "https://example.com/changelog/dark-mode" })).toHaveAttribute("rel", /noopener/);
});

test("an unread announcement counts on the launcher until seen", async ({ page }) => {
  const loaded = page.waitForResponse((r) => r.url().endsWith("/announcements/query"));
  await page.goto("/");
  await loaded;
  await expect(page.getByRole("button", { name: "Open chat, 1 new", exact: true })).toBeVisible();
  await openChat(page);
  await expect(page.getByRole("tab", { name: /^What's new\s*, 1 new$/ })).toBeVisible();
  expect(await whatsNew(page, 1)).toEqual([EVERYONE]);
  await expect(page.getByRole("article").getByText("New", { exact: true })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Open chat", exact: true })).toBeVisible();
});

test("seen on one device, not new on another: read state follows the verified user", async ({ browser }) => {
  const device = async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("/");
    await signInWith(page, "bob", "Signed payload");
    return { context, page };
  };
  const laptop = await device();
  // The read is recorded when the server answers it: the phone must not load before that (an
  // earlier test may have had Bob read it already, and then no read is sent).
  const recorded = laptop.page.waitForResponse((r) => /\/announcements\/[^/]+\/read$/.test(r.url()), { timeout: 8000 }).catch(() => undefined);
  expect(await shownAnnouncements(laptop.page, 1)).toEqual([EVERYONE]);
  await recorded;
  // Shown is read: the laptop's launcher counts nothing once the panel closes.
  await laptop.page.keyboard.press("Escape");
  await expect(laptop.page.getByRole("button", { name: "Open chat", exact: true })).toBeVisible();

  const phone = await device();
  await expect(phone.page.getByRole("button", { name: "Open chat", exact: true })).toBeVisible();
  expect(await shownAnnouncements(phone.page, 1)).toEqual([EVERYONE]);
  await expect(phone.page.getByRole("article").getByText("New", { exact: true })).toHaveCount(0);
  await laptop.context.close();
  await phone.context.close();
});

// An anonymous reader's reads are kept under its visitor id: marking one read stores the visitor
// (a visitor who only looks leaves nothing in storage), so after a reload it is the same reader.
test("an anonymous visitor's read stays read after a reload", async ({ page }) => {
  await page.goto("/");
  expect(await shownAnnouncements(page, 1)).toEqual([EVERYONE]);
  await page.keyboard.press("Escape");
  const again = page.waitForResponse((r) => r.url().endsWith("/announcements/query"));
  await page.reload();
  await again;
  await expect(page.getByRole("button", { name: "Open chat", exact: true })).toBeVisible();
});
