// One person, one thread: a visitor asks anonymously, the operator answers "sign in and I'll
// check", the visitor signs in (SPA identify, no reload) — the question and the reply stay in
// view, and the operator finds them in the signed-in user's conversation.
import { expect, test } from "@playwright/test";
import { admin, expectStored, identityStatus, openChat, send, signIn, unique } from "./helpers.ts";

test("an anonymous question and its reply survive sign-in, in the user's thread", async ({ page }) => {
  await page.goto("/");
  await openChat(page);
  const question = unique("where is my order?");
  await send(page, question);
  const asked = await expectStored(question);
  expect(asked.identity).toEqual({ status: "anonymous" });
  const reply = unique("sign in and I'll check");
  await admin(`/conversations/${asked.conversationId}/replies`, { method: "POST", body: JSON.stringify({ text: reply }) });
  await expect(page.getByRole("log")).toContainText(reply);

  await signIn(page, "ada");
  await expect(identityStatus(page)).toHaveText("verified · u_ada");
  await expect(page.getByRole("log")).toContainText(question);
  await expect(page.getByRole("log")).toContainText(reply);

  const merged = await expectStored(question);
  const { conversations } = await admin<{ conversations: { id: string; contact: { userId: string | null } }[] }>("/conversations");
  expect(conversations.find((c) => c.id === merged.conversationId)?.contact.userId).toBe("u_ada");
  // It keeps the verdict it arrived with: asked anonymously.
  expect(merged.identity).toEqual({ status: "anonymous" });
});
