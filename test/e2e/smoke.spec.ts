import { expect, test } from "@playwright/test";
import { expectStored, openChat, send, unique } from "./helpers.ts";

test("an anonymous visitor's message reaches the server", async ({ page }) => {
  page.on("console", (m) => console.log("console:", m.text()));
  await page.goto("/");
  await openChat(page);
  const text = unique("hello");
  await send(page, text);
  const stored = await expectStored(text);
  expect(stored.identity?.status).toBe("anonymous");
  await page.screenshot({ path: "/tmp/smoke.png" });
});
