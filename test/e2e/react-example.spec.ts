// examples/react, built here with Vite as a site builds it (against `parley` and `parley/react` as
// `npm run build` wrote them) and served on the demo site's origin — an origin the demo app allows,
// whose backend signs the signed-in user — then driven in Chromium against the real server.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { build } from "vite";
import { API, admin, demoApp, expectStored, SITE, unique } from "./helpers.ts";

const PAGE = "/examples/react/";
let outDir: string;
let files: { url: string; close: () => Promise<void> };

test.beforeAll(async () => {
  // The demo answers once its app exists (the API's health check, which the runner waits for, can come first).
  await expect.poll(async () => (await fetch(SITE).catch(() => undefined))?.status, { timeout: 30_000 }).toBe(200);
  outDir = mkdtempSync(join(tmpdir(), "parley-react-example-"));
  await build({
    configFile: "examples/react/vite.config.ts",
    logLevel: "warn",
    define: { "import.meta.env.VITE_PARLEY_HOST": JSON.stringify(API), "import.meta.env.VITE_PARLEY_APP_ID": JSON.stringify(demoApp().appId) },
    build: { outDir, emptyOutDir: true },
  });
  files = await serveFiles(outDir);
});
test.afterAll(async () => {
  await files?.close();
  rmSync(outDir, { recursive: true, force: true });
});

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

async function serveFiles(dir: string): Promise<typeof files> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname.slice(1) || "index.html";
    const file = join(dir, path);
    if (!file.startsWith(dir + "/") || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/**
 * The built example at /examples/react/ on the demo's origin: Chromium asks for it there, and the
 * request goes to a static server of the built files on another loopback port. (A response made
 * up by the test would have no address, and Chromium's Local Network Access would then refuse the
 * page's requests to the loopback API.) Every other request goes to the real demo and API.
 */
async function open(page: Page) {
  await page.route(`**${PAGE}**`, (route) => {
    const { pathname, search } = new URL(route.request().url());
    return route.continue({ url: `${files.url}/${pathname.slice(PAGE.length)}${search}` });
  });
  await page.goto(PAGE);
}

const status = (page: Page) => page.getByRole("status").filter({ hasText: "Chat identity" });
const help = (page: Page) => page.getByRole("button", { name: /^Help/ });

test("the provider loads Parley once; the app's own Help button opens it; logging in and out becomes identify and logout", async ({ page }) => {
  await open(page);
  await expect(page.getByText("Not signed in.")).toBeVisible();
  // StrictMode runs the provider's effect twice: one loader all the same, and no launcher of ours.
  await expect(page.locator('script[src$="/loader.js"]')).toHaveCount(1);
  await expect(page.getByRole("button", { name: /Open chat/ })).toHaveCount(0);

  await page.getByRole("button", { name: "Log in as Ada" }).click();
  await expect(status(page)).toHaveText("Chat identity: verified as u_ada");

  await help(page).click();
  const box = page.getByRole("textbox", { name: "Message" });
  await expect(box).toBeFocused();
  const text = unique("from the React app");
  await box.fill(text);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("log").getByText(text)).toBeVisible();
  const stored = await expectStored(text);
  expect(stored.author).toMatchObject({ userId: "u_ada", verified: true });
  await page.keyboard.press("Escape");
  await expect(box).toBeHidden();
  await expect(help(page)).toBeFocused();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(status(page)).toHaveText("Chat identity: anonymous");
  await help(page).click();
  // A fresh anonymous visitor: Ada's conversation is not on this device any more.
  await expect(page.getByRole("textbox", { name: "Message" })).toBeFocused();
  await expect(page.getByRole("log")).not.toContainText(text);
});

test("open({ message }) pre-fills the chat; useUnreadCount puts a reply's count on the app's Help button", async ({ page }) => {
  await open(page);
  const draft = "I have a question about invoice #1042";
  await page.getByRole("button", { name: "Ask about my invoice" }).click();
  const box = page.getByRole("textbox", { name: "Message" });
  await expect(box).toHaveValue(draft);
  const text = unique(draft);
  await box.fill(text);
  await page.keyboard.press("Enter");
  const stored = await expectStored(text);
  await page.keyboard.press("Escape");
  await expect(box).toBeHidden();

  // The count is replies and announcements: this new visitor has read none of those for everyone.
  const { announcements } = await admin<{ announcements: { audience: unknown }[] }>("/announcements");
  const before = announcements.filter((a) => a.audience === null).length;
  await expect(help(page)).toHaveAccessibleName(before ? `Help, ${before} unread` : "Help");
  await admin(`/conversations/${stored.conversationId}/replies`, { method: "POST", body: JSON.stringify({ text: unique("happy to help") }) });
  await expect(help(page)).toHaveAccessibleName(`Help, ${before + 1} unread`);
  await expect(help(page)).toHaveText(`Help (${before + 1})`);
});
