// Hostile host pages: broken storage, aggressive CSS, a page's own `Parley`, the snippet twice.
import { expect, test } from "@playwright/test";
import { API, expectStored, openChat, send, unique } from "./helpers.ts";

test("storage that throws: the widget still chats, for this page", async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    });
  });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/");
  await openChat(page);
  const text = unique("no storage");
  await send(page, text);
  expect((await expectStored(text)).identity?.status).toBe("anonymous");
  expect(errors).toEqual([]);
});

test("a full storage: the widget still chats", async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException("quota", "QuotaExceededError");
    };
  });
  await page.goto("/");
  await openChat(page);
  const text = unique("storage full");
  await send(page, text);
  await expectStored(text);
});

test("aggressive page CSS does not reach the widget, and the widget stays on top and clickable", async ({ page }) => {
  await page.addInitScript(() => {
    document.addEventListener("DOMContentLoaded", () => {
      const style = document.createElement("style");
      style.textContent = "* { all: unset !important; } div { position: fixed !important; inset: 0 !important; z-index: 2147483647 !important; } button { font-size: 40px !important; color: red !important; }";
      document.head.append(style);
    });
  });
  await page.goto("/");
  const launcher = page.getByRole("button", { name: "Open chat" });
  await expect(launcher).toBeVisible();
  const box = (await launcher.boundingBox())!;
  expect(box.width).toBe(56);
  expect(box.height).toBe(56);
  await launcher.click();
  const text = unique("despite the css");
  await send(page, text);
  await expectStored(text);
  const color = await page.getByRole("button", { name: "Send", exact: true }).evaluate((b) => getComputedStyle(b).color);
  expect(color).toBe("rgb(255, 255, 255)");
});

test("a page that defines its own Parley before the loader gets a clear warning and a working widget", async ({ page }) => {
  const warnings: string[] = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await page.addInitScript(() => {
    (window as unknown as { Parley: unknown }).Parley = { version: "the page's own" };
  });
  await page.goto("/");
  await openChat(page);
  expect(warnings.some((w) => w.includes("window.Parley was already defined by this page"))).toBe(true);
  await page.evaluate(() => (window as unknown as { Parley: (c: string) => void }).Parley("close"));
  await expect(page.getByRole("textbox", { name: "Message" })).toBeHidden();
});

test("the snippet included twice loads one widget", async ({ page }) => {
  const widgetLoads: string[] = [];
  page.on("request", (r) => /\/widget-[\w-]+\.js$/.test(r.url()) && widgetLoads.push(r.url()));
  await page.addInitScript((api) => {
    document.addEventListener("DOMContentLoaded", () => {
      const again = document.createElement("script");
      again.src = `${api}/loader.js`;
      again.async = true;
      again.onload = () => ((window as unknown as { secondLoaderRan: boolean }).secondLoaderRan = true);
      document.head.append(again);
    });
  }, API);
  await page.goto("/");
  await openChat(page);
  // Both loaders have run (the second one's script executed), and the page's load event — when a
  // loader fetches the widget — is behind us: a second widget request would have been made by now.
  await page.waitForFunction(() => (window as unknown as { secondLoaderRan?: boolean }).secondLoaderRan === true && document.readyState === "complete");
  expect(await page.locator("[data-parley]").count()).toBe(1);
  expect(widgetLoads).toHaveLength(1);
});
