// A site set up wrong — its page on an origin the app does not list (www vs apex, localhost vs
// 127.0.0.1), or a mistyped app id — sees its message marked not sent, never "Sending…" forever,
// and its developer reads in the console what to fix. The page is a fixture served from its own
// origin (another port of loopback); the loader, widget and server are the real ones.
import { createServer, type Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { API, demoApp, openChat, storedMessages, unique } from "./helpers.ts";

let site: Server;
let origin: string;
test.beforeAll(async () => {
  site = createServer((req, res) => {
    const appId = new URL(req.url!, "http://x").searchParams.get("app") ?? "";
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Elsewhere</title>
      <script>window.ParleySettings = ${JSON.stringify({ appId }).replace(/</g, "\\u003c")};</script>
      <script src="${API}/loader.js" async></script></head><body><h1>A page Parley was not told about</h1></body></html>`);
  });
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  origin = `http://localhost:${(site.address() as { port: number }).port}`;
});
test.afterAll(() => new Promise((r) => site.close(r)));

async function pageOn(page: Page, appId: string) {
  const warnings: string[] = [];
  page.on("console", (m) => void (m.type() === "warning" && warnings.push(m.text())));
  await page.goto(`${origin}/?app=${encodeURIComponent(appId)}`);
  return warnings;
}

async function write(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send", exact: true }).click();
}

test("an origin the app does not allow: not sent, and the console names the origin to add", async ({ page }) => {
  const { appId } = demoApp();
  const warnings = await pageOn(page, appId);
  await openChat(page);
  const text = unique("from www");
  await write(page, text);
  const line = page.getByRole("log").locator("p", { hasText: text });
  await expect(line).toContainText("Not sent.");
  await expect(line).not.toContainText("Sending…");
  expect(warnings).toContain(
    `[Parley] add this page's origin, ${origin}, to app ${appId}'s origins: nothing is sent until then`,
  );
  expect(await storedMessages(text)).toEqual([]);
});

test("an app id that does not exist: not sent, and the console says to check the snippet", async ({ page }) => {
  const warnings = await pageOn(page, "app_mistyped_123");
  await openChat(page);
  const text = unique("wrong app");
  await write(page, text);
  await expect(page.getByRole("log").locator("p", { hasText: text })).toContainText("Not sent.");
  expect(warnings).toContain(`[Parley] no app app_mistyped_123 at ${API}: check the snippet's appId`);
});
