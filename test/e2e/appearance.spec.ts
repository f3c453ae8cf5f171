// Theming, placement, locales, who-am-I, the unread badge, phones, and the CSS wall both ways.
import { expect, test, type Page } from "@playwright/test";
import { admin, expectStored, identityStatus, initWith, openChat, send, signIn, unique } from "./helpers.ts";

const inShadow = (page: Page, selector: string, prop: string) =>
  page.locator("[data-parley]").evaluate((h, [sel, p]) => getComputedStyle(h.shadowRoot!.querySelector(sel!)!).getPropertyValue(p!), [selector, prop]);

test("accent colour, left placement, a launcher label and the dark theme come from settings", async ({ page }) => {
  await initWith(page, { accentColor: "#ffcc00", position: "left", launcherLabel: "Help", theme: "dark" });
  await page.goto("/");
  const launcher = page.getByRole("button", { name: "Help" });
  await expect(launcher).toBeVisible();
  await expect(launcher).toContainText("Help");
  expect(await inShadow(page, ".launcher", "background-color")).toBe("rgb(255, 204, 0)");
  // A light accent gets dark text, so the label stays readable.
  expect(await inShadow(page, ".launcher", "color")).toBe("rgb(17, 17, 17)");
  const box = (await launcher.boundingBox())!;
  expect(box.x).toBeLessThan(100);
  await launcher.click();
  expect(await inShadow(page, ".panel", "background-color")).toBe("rgb(27, 31, 42)");
});

test("bad appearance settings are warned about and ignored", async ({ page }) => {
  const warnings: string[] = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await initWith(page, { accentColor: "red; } * { display: none", position: "top", theme: "pink" });
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  expect(await inShadow(page, ".launcher", "background-color")).toBe("rgb(52, 81, 209)");
  for (const field of ["accentColor", "position", "theme"]) expect(warnings.some((w) => w.includes(`init.${field}`))).toBe(true);
});

test("strings follow the locale setting, else the page's lang", async ({ page, browser }) => {
  await initWith(page, { locale: "fr" });
  await page.goto("/");
  await page.getByRole("button", { name: "Ouvrir le chat" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toHaveAttribute("placeholder", "Écrivez un message…");
  await expect(page.getByRole("button", { name: "Envoyer" })).toBeVisible();

  const other = await (await browser.newContext()).newPage();
  await other.addInitScript(() => document.addEventListener("DOMContentLoaded", () => (document.documentElement.lang = "fr-CA")));
  await other.goto("/");
  await expect(other.getByRole("button", { name: "Ouvrir le chat" })).toBeVisible();
  await other.context().close();
});

test("verified: the header names the user; rejected: nothing alarming; a reply while closed shows an unread badge", async ({ page }) => {
  await page.goto("/");
  await signIn(page, "bob");
  await expect(identityStatus(page)).toHaveText("verified · u_bob");
  await openChat(page);
  await expect(page.getByRole("dialog")).toContainText("Signed in as Bob Builder");
  // The demo app's announcements count on the launcher too: seen first, so the badge below is the reply's.
  await page.getByRole("tab", { name: "What's new" }).click();
  await expect(page.locator("[data-parley] article").first()).toBeVisible();
  await page.getByRole("tab", { name: "Chat" }).click();
  const text = unique("bob asks");
  await send(page, text);
  const stored = await expectStored(text);
  await page.keyboard.press("Escape");

  await admin(`/conversations/${stored.conversationId}/replies`, { method: "POST", body: JSON.stringify({ text: "Bob, we're on it." }) });
  const badged = page.getByRole("button", { name: "Open chat, 1 new" });
  await expect(badged).toBeVisible({ timeout: 15_000 });
  await expect(badged.locator(".count")).toHaveText("1");
  await badged.click();
  await expect(page.getByRole("log")).toContainText("Bob, we're on it.");
  await page.getByRole("dialog").getByRole("button", { name: "Close chat" }).click();
  // Read: the badge is gone.
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  await expect(page.locator("[data-parley]").locator(".count")).toHaveCount(0);

  await page.getByLabel(/Tamper with the proof/).check();
  await expect(identityStatus(page)).toHaveText("rejected · bad_signature");
  await openChat(page);
  await expect(page.getByRole("dialog")).not.toContainText(/Signed in|rejected|error|signature/i);
});

test("the widget's CSS does not touch the host page", async ({ page }) => {
  const snapshot = () =>
    page.evaluate(() =>
      ["body", "h2", "button", "p", ".card", "fieldset", "label"].map((sel) => {
        const cs = getComputedStyle(document.querySelector(sel)!);
        return [sel, cs.fontFamily, cs.fontSize, cs.color, cs.backgroundColor, cs.margin, cs.padding, cs.borderRadius, cs.display].join("|");
      }),
    );
  await page.goto("/");
  await page.waitForLoadState("domcontentloaded");
  const before = await snapshot();
  await openChat(page);
  expect(await snapshot()).toEqual(before);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });

  test("the panel is full-screen, the composer in view, and touch works", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "Open chat" }).tap();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await expect.poll(async () => (await dialog.boundingBox())?.height).toBe(760);
    const box = (await dialog.boundingBox())!;
    expect([box.x, box.y, box.width]).toEqual([0, 0, 390]);
    const composer = (await page.getByRole("textbox", { name: "Message" }).boundingBox())!;
    expect(composer.y + composer.height).toBeLessThanOrEqual(760);
    // The launcher steps aside rather than cover the composer.
    await expect(page.getByRole("button", { name: "Close chat" }).first()).toBeVisible();
    expect(await page.locator("[data-parley]").evaluate((h) => getComputedStyle(h.shadowRoot!.querySelector(".launcher")!).display)).toBe("none");
    const text = unique("from a phone");
    await page.getByRole("textbox", { name: "Message" }).fill(text);
    await page.getByRole("button", { name: "Send", exact: true }).tap();
    await expectStored(text);
  });
});
