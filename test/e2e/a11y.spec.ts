// Accessible to everyone: axe finds nothing, the keyboard alone works, replies are announced,
// reduced motion is honoured, and contrast holds in light and dark.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { admin, expectStored, initWith, openChat, send, unique } from "./helpers.ts";


async function axeViolations(page: Page, withText = false) {
  const result = await new AxeBuilder({ page }).include("[data-parley]").analyze();
  // Proof that axe looked inside the shadow root: contrast was checked on the panel's text.
  if (withText) expect(result.passes.find((p) => p.id === "color-contrast")?.nodes.length ?? 0).toBeGreaterThan(3);
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const theme of ["light", "dark"] as const) {
  test(`axe finds no violation, launcher closed and panel open with messages (${theme})`, async ({ page }) => {
    await initWith(page, { theme });
    await page.goto("/");
    await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await openChat(page);
    const text = unique("hello");
    await send(page, text);
    const stored = await expectStored(text);
    await admin(`/conversations/${stored.conversationId}/replies`, { method: "POST", body: JSON.stringify({ text: "Hi! How can we help?" }) });
    await expect(page.getByRole("log")).toContainText("How can we help?");
    expect(await axeViolations(page, true)).toEqual([]);
  });
}

test("keyboard only: Tab reaches the launcher, Enter opens, focus is in the composer, Escape closes back to the launcher", async ({ page }) => {
  await page.goto("/");
  const launcher = page.getByRole("button", { name: "Open chat" });
  await expect(launcher).toBeVisible();
  for (let i = 0; i < 40 && !(await launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)); i++) await page.keyboard.press("Tab");
  await expect(launcher).toBeFocused();
  await page.keyboard.press("Enter");
  const composer = page.getByRole("textbox", { name: "Message" });
  await expect(composer).toBeFocused();
  await page.keyboard.type("typed with the keyboard");
  await page.keyboard.press("Escape");
  await expect(composer).toBeHidden();
  await expect(page.getByRole("button", { name: "Open chat" })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(composer).toBeFocused();
});

test("new messages are announced by a polite live region", async ({ page }) => {
  await page.goto("/");
  await openChat(page);
  const log = page.getByRole("log");
  await expect(log).toHaveAttribute("aria-live", "polite");
  const text = unique("announce me");
  await send(page, text);
  const stored = await expectStored(text);
  await admin(`/conversations/${stored.conversationId}/replies`, { method: "POST", body: JSON.stringify({ text: "announced reply" }) });
  await expect(log).toContainText("announced reply");
});

test("prefers-reduced-motion turns the panel's animation off", async ({ page }) => {
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto("/");
  await openChat(page);
  const animation = await page.locator("[data-parley]").evaluate((h) => getComputedStyle(h.shadowRoot!.querySelector(".panel")!).animationName);
  expect(animation).toBe("none");
  await page.emulateMedia({ reducedMotion: "no-preference" });
  const animated = await page.locator("[data-parley]").evaluate((h) => getComputedStyle(h.shadowRoot!.querySelector(".panel")!).animationName);
  expect(animated).not.toBe("none");
});
