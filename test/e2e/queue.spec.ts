// Calls a host page makes before anything of Parley has loaded are kept and replayed in order.
import { expect, test } from "@playwright/test";
import { API } from "./helpers.ts";

test("calls queued through the inline stub before the loader are replayed in order", async ({ page }) => {
  const warnings: string[] = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  // What a host page's own early script does, before the loader's <script async> has run.
  await page.addInitScript(() => {
    const w = window as unknown as { Parley: (...a: unknown[]) => void; calls: string[] };
    w.calls = [];
    w.Parley = function (...args: unknown[]) {
      const stub = w.Parley as unknown as { q?: unknown[] };
      (stub.q = stub.q || []).push(args);
    };
    w.Parley("on", "ready", () => w.calls.push("ready"));
    w.Parley("on", "open", () => w.calls.push("open"));
    w.Parley("not-a-command");
    w.Parley("open");
    w.Parley("on", "close", () => w.calls.push("close"));
    w.Parley("close");
    w.Parley("open");
  });
  await page.goto("/");
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  const calls = await page.evaluate(() => (window as unknown as { calls: string[] }).calls);
  // Replayed in the order queued: open, close, open; `ready` once the widget is mounted.
  expect(calls.filter((c) => c !== "ready")).toEqual(["open", "close", "open"]);
  expect(calls).toContain("ready");
  expect(warnings.some((w) => w.includes('unknown command "not-a-command"'))).toBe(true);
  // After the replay the real function runs calls at once.
  await page.evaluate(() => (window as unknown as { Parley: (c: string) => void }).Parley("close"));
  await expect(page.getByRole("textbox", { name: "Message" })).toBeHidden();
});

test("the loader does not block the page and fetches the widget from its own origin", async ({ page }) => {
  const widgetRequests: string[] = [];
  page.on("request", (r) => /\/widget-[\w-]+\.js$/.test(r.url()) && widgetRequests.push(r.url()));
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  expect(widgetRequests).toEqual([expect.stringMatching(new RegExp(`^${API.replaceAll(".", "\\.")}/widget-[\\w-]+\\.js$`))]);
});
