// An operator's reply from the inbox reaches the visitor while the panel is open.
import { expect, test } from "@playwright/test";
import { expectStored, openChat, send, unique } from "./helpers.ts";

test("an operator reply from the inbox appears in the visitor's open panel", async ({ page, context }) => {
  await page.goto("/");
  await openChat(page);
  const question = unique("is anyone there?");
  await send(page, question);
  const stored = await expectStored(question);

  const inbox = await context.newPage();
  await inbox.goto("/inbox");
  await inbox.locator(`button[data-id="${stored.conversationId}"]`).click();
  await expect(inbox.getByRole("log")).toContainText(question);
  const answer = unique("yes, how can we help?");
  await inbox.getByRole("textbox", { name: "Reply" }).fill(answer);
  await inbox.getByRole("button", { name: "Send reply" }).click();

  const line = page.getByRole("log").locator(".msg", { hasText: answer });
  await expect(line).toBeVisible();
  await expect(line).toContainText("Support");
});
