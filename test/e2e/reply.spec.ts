// An operator's reply from the console reaches the visitor while the panel is open.
import { expect, test } from "@playwright/test";
import { expectStored, openChat, openInConsole, send, unique } from "./helpers.ts";

test("an operator reply from the console appears in the visitor's open panel", async ({ page, context }) => {
  await page.goto("/");
  await openChat(page);
  const question = unique("is anyone there?");
  await send(page, question);
  const stored = await expectStored(question);

  const operator = await context.newPage();
  const thread = await openInConsole(operator, stored.conversationId);
  await expect(thread).toContainText(question);
  const answer = unique("yes, how can we help?");
  await operator.getByRole("textbox", { name: "Reply" }).fill(answer);
  await operator.getByRole("button", { name: "Send", exact: true }).click();

  const line = page.getByRole("log").locator(".msg", { hasText: answer });
  await expect(line).toBeVisible();
  await expect(line).toContainText("Support");
});
