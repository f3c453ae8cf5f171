// The console shows a verified user's contact: the verified attributes of their latest proof, and
// apart from them the hints a user hash carries unproven.
import { expect, test } from "@playwright/test";
import { chooseProof, expectStored, identityStatus, openChat, openInConsole, send, signIn, unique } from "./helpers.ts";

test("the console shows the verified attributes of Ada's latest proof, apart from the hints", async ({ page, context }) => {
  await page.goto("/");
  await chooseProof(page, "Signed payload");
  await signIn(page, "ada");
  await expect(identityStatus(page)).toHaveText("verified · u_ada");
  await openChat(page);
  const text = unique("ada, signed payload");
  await send(page, text);
  const stored = await expectStored(text);

  const operator = await context.newPage();
  await openInConsole(operator, stored.conversationId);
  const panel = operator.getByRole("complementary", { name: "Contact" });
  await expect(panel).toContainText("Verified user u_ada");
  const attributes = panel.getByRole("heading", { name: "Verified attributes" }).locator("+ dl");
  await expect(attributes.locator("dt", { hasText: "plan" }).locator("+ dd")).toHaveText("pro");
  await expect(attributes.locator("dt", { hasText: "email" }).locator("+ dd")).toHaveText("ada@example.com");
  // Hints stay apart, whatever earlier tests' user-hash sign-ins left there (the e2e data is shared).
  await expect(panel.getByRole("heading", { name: "Hints (unverified)" })).toBeVisible();

  // Her latest proof a user hash: it proves the id alone, and its name and email are hints. The
  // open console reads her contact anew when her message arrives.
  await page.getByLabel("User hash").check();
  const again = unique("ada, user hash");
  await send(page, again);
  await expectStored(again);
  await expect(panel).toContainText("None: the latest proof was a user hash, which proves the id alone.");
  const hints = panel.getByRole("heading", { name: "Hints (unverified)" }).locator("+ dl");
  await expect(hints.locator("dt", { hasText: "name" }).locator("+ dd")).toHaveText("Ada Lovelace");
});
