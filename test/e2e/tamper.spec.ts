// A tampered proof: the visitor keeps chatting, sees no error, and the operator console shows the
// rejection.
import { expect, test } from "@playwright/test";
import { expectStored, identityStatus, openChat, openInConsole, send, signIn, unique } from "./helpers.ts";

test("a tampered proof is rejected silently and the console shows the message as rejected", async ({ page, context }) => {
  const warnings: string[] = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await page.goto("/");
  await page.getByLabel(/Tamper with the proof/).check();
  await signIn(page, "ada");
  await expect(identityStatus(page)).toHaveText("rejected · bad_signature");

  await openChat(page);
  const first = unique("tampered");
  await send(page, first);
  const stored = await expectStored(first);
  expect(stored.identity).toEqual({ status: "rejected", reason: "bad_signature" });
  expect(stored.author.verified).toBe(false);
  expect(stored.author.userId).toBeUndefined();

  // The visitor keeps chatting, as an anonymous visitor, and is shown nothing alarming.
  const second = unique("still here");
  await send(page, second);
  expect((await expectStored(second)).identity).toEqual({ status: "anonymous" });
  const panel = page.getByRole("dialog");
  await expect(panel).not.toContainText(/rejected|error|not sent|signature/i);
  await expect(panel).not.toContainText("Signed in as");
  // The demo runs with debug on: the developer console explains.
  // Once, though every request carried the claim until it was dropped.
  expect(warnings.filter((w) => w.includes("identity rejected (bad_signature)"))).toHaveLength(1);

  const thread = await openInConsole(await context.newPage(), stored.conversationId);
  await expect(thread.locator("article.message", { hasText: first }).locator(".badge")).toHaveText("Rejected: bad_signature");
  await expect(thread.locator("article.message", { hasText: second }).locator(".badge")).toHaveText("Anonymous");
});
