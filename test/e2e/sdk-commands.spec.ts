// The commands a front-end developer reaches for first, in Chromium against the real server:
// open({ message }) pre-fills without sending, the unread event counts a reply and the unread
// announcements, and with launcher: false the site's own button opens the panel, anchored in view,
// and gets focus back on close.
import { expect, test, type Page } from "@playwright/test";
import { admin, expectStored, send, unique } from "./helpers.ts";

/** Calls queued through the inline stub before the loader runs, as a host page's own script does. */
async function queue(page: Page, fn: () => void) {
  await page.addInitScript(() => {
    const w = window as unknown as { Parley: { (...a: unknown[]): void; q?: unknown[] } };
    w.Parley = w.Parley || Object.assign((...a: unknown[]) => (w.Parley.q = w.Parley.q || []).push(a), {});
  });
  await page.addInitScript(fn);
}

test("open({ message }) opens with the draft in the composer; nothing is sent until the visitor sends it", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  const draft = unique("about my invoice");
  await page.evaluate((text) => (window as unknown as { Parley: (...a: unknown[]) => void }).Parley("open", { message: text }), draft);
  const box = page.getByRole("textbox", { name: "Message" });
  await expect(box).toBeFocused();
  await expect(box).toHaveValue(draft);
  await expect(page.getByRole("log")).not.toContainText(draft);
  await page.keyboard.press("Enter");
  await expectStored(draft);
});

test("the unread event tells the page how many replies and announcements wait", async ({ page }) => {
  await queue(page, () => {
    const w = window as unknown as { Parley: (...a: unknown[]) => void; counts: number[] };
    w.counts = [];
    w.Parley("on", "unread", (e: { count: number }) => w.counts.push(e.count));
  });
  await page.goto("/");
  await page.getByRole("button", { name: "Open chat" }).click();
  const question = unique("any news?");
  await send(page, question);
  const stored = await expectStored(question);
  await page.getByRole("button", { name: "Close chat" }).first().click();
  // The demo app may have announcements this visitor has not read: they count too.
  const last = () => page.evaluate(() => (window as unknown as { counts: number[] }).counts.at(-1) ?? 0);
  const before = await last();
  await admin(`/conversations/${stored.conversationId}/replies`, { method: "POST", body: JSON.stringify({ text: unique("yes") }) });
  await expect.poll(last).toBe(before + 1);
  await expect(page.getByRole("button", { name: `Open chat, ${before + 1} new` })).toBeVisible();
  await page.getByRole("button", { name: `Open chat, ${before + 1} new` }).click();
  await expect.poll(last).toBe(before);
  // What is left are the announcements (the demo app has one for everyone): shown, they are read.
  expect(before).toBeGreaterThan(0);
  await page.getByRole("tab", { name: /^What's new/ }).click();
  await expect.poll(last).toBe(0);
});

test("launcher: false — no launcher of ours; the site's own button opens the panel, and Escape gives it focus back", async ({ page }) => {
  await queue(page, () => {
    (window as unknown as { Parley: (...a: unknown[]) => void }).Parley("init", { launcher: false });
    document.addEventListener("DOMContentLoaded", () => {
      const help = document.createElement("button");
      help.textContent = "Help";
      help.id = "site-help";
      help.addEventListener("click", () => (window as unknown as { Parley: (...a: unknown[]) => void }).Parley("open"));
      document.body.prepend(help);
    });
  });
  await page.goto("/");
  const help = page.locator("#site-help");
  await expect(help).toBeVisible();
  await page.waitForFunction(() => (window as unknown as { Parley?: { booted?: boolean } }).Parley?.booted === true);
  await expect(page.getByRole("button", { name: "Open chat" })).toHaveCount(0);
  await help.click();
  const box = page.getByRole("textbox", { name: "Message" });
  await expect(box).toBeFocused();
  // Anchored where the launcher would be, not above an empty space: the whole panel in view, its
  // foot near the bottom of the window.
  const panel = (await page.getByRole("dialog").boundingBox())!;
  const view = page.viewportSize()!;
  expect(panel.y).toBeGreaterThanOrEqual(0);
  expect(panel.x + panel.width).toBeLessThanOrEqual(view.width);
  expect(view.height - (panel.y + panel.height)).toBeLessThanOrEqual(24);
  await page.keyboard.press("Escape");
  await expect(box).toBeHidden();
  await expect(help).toBeFocused();
});

test("open({ tab }) opens the panel on that tab", async ({ page }) => {
  // The demo app has an announcement for everyone, so What's new is one of the tabs once read.
  const announced = page.waitForResponse((r) => r.url().endsWith("/announcements/query"));
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  await announced;
  await page.evaluate(() => (window as unknown as { Parley: (...a: unknown[]) => void }).Parley("open", { tab: "news" }));
  await expect(page.getByRole("tab", { name: "What's new" })).toHaveAttribute("aria-selected", "true");
  await expect(page.locator("[data-parley] article").first()).toBeVisible();
});
