// Two server processes on one PostgreSQL behave as one: a visitor on one, an operator on the
// other, and idempotency holding across both. The API keeps nothing in memory that matters.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { Message } from "../../contract/wire.ts";
import { startPostgres } from "../../scripts/postgres.js";
import { startServer } from "../../scripts/server-process.js";

type ServerProcess = { url: string; siteUrl?: string; stop(): Promise<number | null> };
import { openChat, send, unique } from "./helpers.ts";

let pg: { url: string; stop(): void };
let a: ServerProcess;
let b: ServerProcess;
const ADMIN = "multi-process-admin";

test.beforeAll(async () => {
  test.setTimeout(120_000);
  pg = await startPostgres();
  // Both processes share the database and the master key, and nothing else.
  const shared = { DATABASE_URL: pg.url, PARLEY_MASTER_KEY: randomBytes(32).toString("hex"), PARLEY_ADMIN_TOKEN: ADMIN };
  a = await startServer({ ...shared, PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), "parley-a-")) }, ["--demo", "--demo-port", "0"]);
  b = await startServer({ ...shared, PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), "parley-b-")) });
});

test.afterAll(async () => {
  await a?.stop();
  await b?.stop();
  pg?.stop();
});

async function adminOn<T>(server: ServerProcess, appId: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/v1/admin/apps/${appId}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.json() as Promise<T>;
}

test("a conversation and an operator reply cross between two processes on one PostgreSQL, pushed over the stream", async ({ page }) => {
  // What the widget asks of A: a stream, and never a long-poll (its `wait`).
  const asked: string[] = [];
  page.on("request", (r) => r.url().includes("/v1/apps/") && asked.push(`${r.url().split("/").pop()}${(r.postData() ?? "").includes('"wait"') ? " wait" : ""}`));
  await page.goto(a.siteUrl + "/");
  const appId = await page.evaluate(() => (window as unknown as { ParleySettings: { appId: string } }).ParleySettings.appId);
  await openChat(page);
  const question = unique("asked through process A");
  await send(page, question);

  // Process B sees what process A stored…
  let conversationId = "";
  await expect
    .poll(async () => {
      const { conversations } = await adminOn<{ conversations: { id: string }[] }>(b, appId, "/conversations");
      for (const c of conversations) {
        const { messages } = await adminOn<{ messages: Message[] }>(b, appId, `/conversations/${c.id}/messages`);
        if (messages.some((m) => m.text === question)) conversationId = c.id;
      }
      return conversationId;
    })
    .not.toBe("");
  // …and the reply written through B reaches the visitor, whose widget talks only to A.
  const answer = unique("answered through process B");
  await adminOn(b, appId, `/conversations/${conversationId}/replies`, { text: answer });
  await expect(page.getByRole("log").getByText(answer)).toBeVisible();
  // B told A over LISTEN/NOTIFY, and A pushed it down the stream the widget held open.
  expect(asked).toContain("stream");
  expect(asked.filter((r) => r.endsWith(" wait"))).toEqual([]);
});

test("the same clientId through both processes stores one message", async ({ page }) => {
  await page.goto(a.siteUrl + "/");
  const appId = await page.evaluate(() => (window as unknown as { ParleySettings: { appId: string } }).ParleySettings.appId);
  const payload = JSON.stringify({ visitorId: `v_${randomBytes(8).toString("hex")}`, clientId: `c_${randomBytes(8).toString("hex")}`, text: unique("once") });
  const post = (server: ServerProcess) => fetch(`${server.url}/v1/apps/${appId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: payload });
  const [first, second] = await Promise.all([post(a), post(b)]);
  expect([first.status, second.status].sort()).toEqual([200, 201]);
  const [m1, m2] = [(await first.json()).message as Message, (await second.json()).message as Message];
  expect(m1.id).toBe(m2.id);
  const conv = await fetch(`${b.url}/v1/apps/${appId}/conversation`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ visitorId: JSON.parse(payload).visitorId }) });
  expect(((await conv.json()).messages as Message[]).filter((m) => m.clientId === JSON.parse(payload).clientId)).toHaveLength(1);
});
