// Replies pushed over the stream, in Chromium against the real server: the stream follows the
// person (re-opened with the new claim on sign-in, closed on logout, nothing of the last user
// after it), and a server killed mid-stream costs the visitor nothing once it is back.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page, type Request } from "@playwright/test";
import type { Message } from "../../contract/wire.ts";
import { startServer } from "../../scripts/server-process.js";
import { admin, expectStored, identityStatus, openChat, send, signIn, unique } from "./helpers.ts";

/** The streams the page opens, as they are asked for, and those that have ended (closed or aborted). */
function streams(page: Page) {
  const opened: Request[] = [];
  const ended = new Set<Request>();
  page.on("request", (r) => r.url().endsWith("/stream") && opened.push(r));
  page.on("requestfinished", (r) => ended.add(r));
  page.on("requestfailed", (r) => ended.add(r));
  return Object.assign(opened, { ended });
}
const claimOf = (r: Request) => JSON.parse(r.postData() ?? "{}").identity as { userId?: string } | undefined;

test("sign-in re-opens the stream with the new claim; logout closes it, and nothing of the user follows", async ({ page }) => {
  const opened = streams(page);
  await page.goto("/");
  await openChat(page);
  const question = unique("asked before signing in");
  await send(page, question);
  await expect.poll(() => opened.length).toBe(1);
  expect(claimOf(opened[0]!)).toBeUndefined();

  await signIn(page, "ada");
  await expect(identityStatus(page)).toHaveText("verified · u_ada");
  await expect.poll(() => opened.filter((r) => claimOf(r)?.userId === "u_ada").length).toBeGreaterThan(0);
  // The anonymous stream ended when the person changed.
  await expect.poll(() => opened.ended.has(opened[0]!)).toBe(true);

  const stored = await expectStored(question);
  const answer = unique("for Ada, pushed");
  await admin(`/conversations/${stored.conversationId}/replies`, { method: "POST", body: JSON.stringify({ text: answer }) });
  await expect(page.getByRole("log").getByText(answer)).toBeVisible();

  const adaStreams = opened.length;
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(identityStatus(page)).toHaveText("anonymous");
  await expect(page.getByRole("log")).not.toContainText(answer);
  // Every stream that carried Ada's claim is closed, and none with it is opened again.
  await expect.poll(() => opened.filter((r) => claimOf(r)?.userId === "u_ada").every((r) => opened.ended.has(r))).toBe(true);
  const later = unique("for Ada, after logout");
  await admin(`/conversations/${stored.conversationId}/replies`, { method: "POST", body: JSON.stringify({ text: later }) });
  // The page's next read (a reload) is the anonymous visitor's: Ada's reply is nowhere.
  await page.reload();
  await openChat(page);
  await expect(page.getByRole("log")).not.toContainText(later);
  expect(opened.slice(adaStreams).some((r) => claimOf(r)?.userId === "u_ada")).toBe(false);
});

test.describe("a server killed mid-stream", () => {
  test("the widget reconnects from its last message, and the reply sent while it was away arrives once", async ({ page }) => {
    test.setTimeout(120_000);
    const dataDir = mkdtempSync(join(tmpdir(), "parley-stream-restart-"));
    const args = ["--demo", "--port", "4334", "--demo-port", "4335"];
    const env = { PARLEY_DATA_DIR: dataDir, PARLEY_ADMIN_TOKEN: "stream-admin" };
    let server = await startServer(env, args);
    const opened = streams(page);
    try {
      await page.goto(`${server.siteUrl}/`);
      await openChat(page);
      const question = unique("asked before the crash");
      await send(page, question);
      await expect.poll(() => opened.length).toBeGreaterThan(0);
      const appId = await page.evaluate(() => (window as unknown as { ParleySettings: { appId: string } }).ParleySettings.appId);
      const operator = (path: string, body?: unknown) =>
        fetch(`${server.url}/v1/admin/apps/${appId}${path}`, { method: body ? "POST" : "GET", headers: { authorization: "Bearer stream-admin", "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined }).then((r) => r.json());
      const { conversations } = await operator("/conversations");
      const conversationId = conversations[0].id as string;
      const first = unique("a reply before the crash");
      await operator(`/conversations/${conversationId}/replies`, { text: first });
      await expect(page.getByRole("log").getByText(first)).toBeVisible();

      await server.stop("SIGKILL");
      const before = opened.length;
      server = await startServer(env, args);
      // Sent the moment the server is back, likely before the widget has reconnected: the cursor brings it.
      const during = unique("a reply while the widget was away");
      await operator(`/conversations/${conversationId}/replies`, { text: during });
      await expect(page.getByRole("log").getByText(during)).toBeVisible({ timeout: 60_000 });
      const reopened = opened.slice(before).map((r) => JSON.parse(r.postData() ?? "{}").after as string | undefined);
      expect(reopened.length).toBeGreaterThan(0);
      // Each re-open asked only for what came after the last message it had.
      const { messages } = (await operator(`/conversations/${conversationId}/messages`)) as { messages: Message[] };
      const firstId = messages.find((m) => m.text === first)!.id;
      expect(reopened.every((after) => after === firstId || after === messages.find((m) => m.text === during)?.id)).toBe(true);
      // Once each.
      for (const text of [question, first, during]) await expect(page.getByRole("log").getByText(text)).toHaveCount(1);
    } finally {
      await server.stop();
    }
  });
});
