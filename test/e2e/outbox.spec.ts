// Never lose, never duplicate, never misfile: the outbox against a real network and server.
// Each test checks the exact set of messages the server stored and whom they are filed under.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startServer } from "../../scripts/server-process.js";
import { API, expectStored, identityStatus, openChat, parleyStorage, signIn, storedMessages, unique } from "./helpers.ts";

const pending = (page: import("@playwright/test").Page, text: string) => page.getByRole("log").locator(".msg", { hasText: text });

async function write(page: import("@playwright/test").Page, text: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.keyboard.press("Enter");
  await expect(pending(page, text)).toBeVisible();
}

test("offline then online: shown at once, kept as pending, delivered exactly once when back", async ({ page, context }) => {
  await page.goto("/");
  await openChat(page);
  await context.setOffline(true);
  const texts = [unique("offline one"), unique("offline two")];
  for (const t of texts) await write(page, t);
  for (const t of texts) await expect(pending(page, t)).toContainText("Sending…");
  expect(await parleyStorage(page)).toContain(texts[1]);

  await context.setOffline(false);
  for (const t of texts) await expect(pending(page, t)).not.toContainText("Sending…");
  const stored = await Promise.all(texts.map(expectStored));
  expect(new Set(stored.map((m) => m.conversationId)).size).toBe(1);
  expect(stored.map((m) => m.identity?.status)).toEqual(["anonymous", "anonymous"]);
  await expect.poll(() => parleyStorage(page)).not.toContain(texts[0]);
});

test("a reload with pending messages keeps them and delivers them once", async ({ page, context }) => {
  await page.goto("/");
  await openChat(page);
  // The API is unreachable (the site itself still loads).
  await context.route(`${API}/v1/**`, (route) => route.abort("connectionrefused"));
  const text = unique("written before a reload");
  await write(page, text);
  await page.reload();
  await openChat(page);
  await expect(pending(page, text)).toContainText("Sending…");
  await context.unroute(`${API}/v1/**`);
  await expect(pending(page, text)).not.toContainText("Sending…", { timeout: 30_000 });
  await expectStored(text);
  expect(await storedMessages(text)).toHaveLength(1);
});

test("logout with a pending message: delivered as the user who wrote it, shown to nobody after, then gone", async ({ page, context }) => {
  await page.goto("/");
  await signIn(page, "ada");
  await expect(identityStatus(page)).toHaveText("verified · u_ada");
  await openChat(page);
  await context.route(`${API}/v1/**`, (route) => route.abort("connectionrefused"));
  const text = unique("ada, pending at logout");
  await write(page, text);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(identityStatus(page)).toHaveText("anonymous");
  await expect(page.getByRole("log")).not.toContainText(text);
  await context.unroute(`${API}/v1/**`);

  const stored = await expectStored(text);
  expect(stored.author).toMatchObject({ userId: "u_ada", verified: true });
  expect(stored.identity).toEqual({ status: "verified" });
  await expect.poll(() => parleyStorage(page), { timeout: 30_000 }).not.toContain("u_ada");
  expect(await parleyStorage(page)).not.toContain(text);
  await expect(page.getByRole("log")).not.toContainText(text);
});

test.describe("a server killed and restarted mid-conversation", () => {
  test("loses nothing and duplicates nothing", async ({ page }) => {
    test.setTimeout(120_000);
    const dataDir = mkdtempSync(join(tmpdir(), "parley-restart-"));
    const args = ["--demo", "--port", "4330", "--demo-port", "4331"];
    const env = { PARLEY_DATA_DIR: dataDir, PARLEY_ADMIN_TOKEN: "restart-admin" };
    let server = await startServer(env, args);
    try {
      await page.goto(`${server.siteUrl}/`);
      await openChat(page);
      const before = unique("before the crash");
      await write(page, before);
      await expect(pending(page, before)).not.toContainText("Sending…");

      await server.stop("SIGKILL");
      const during = [unique("while down 1"), unique("while down 2")];
      for (const t of during) await write(page, t);
      for (const t of during) await expect(pending(page, t)).toContainText("Sending…");

      server = await startServer(env, args);
      for (const t of during) await expect(pending(page, t)).not.toContainText("Sending…", { timeout: 60_000 });

      const visitorId = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.endsWith(":visitor"))!)!).id);
      const appId = await page.evaluate(() => (window as unknown as { ParleySettings: { appId: string } }).ParleySettings.appId);
      const res = await fetch(`${server.url}/v1/apps/${appId}/conversation`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.siteUrl! },
        body: JSON.stringify({ visitorId }),
      });
      const { messages } = (await res.json()) as { messages: { text: string }[] };
      expect(messages.map((m) => m.text)).toEqual([before, ...during]);
    } finally {
      await server.stop();
    }
  });
});
