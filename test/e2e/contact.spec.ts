// The demo inbox shows a verified user's contact: the verified attributes of their latest proof,
// and apart from them the hints a user hash carries unproven.
import { expect, test } from "@playwright/test";
import { chooseProof, expectStored, identityStatus, openChat, send, signIn, unique } from "./helpers.ts";

test("the inbox shows the verified attributes of Ada's latest proof, apart from the hints", async ({ page, context }) => {
  await page.goto("/");
  await chooseProof(page, "Signed payload");
  await signIn(page, "ada");
  await expect(identityStatus(page)).toHaveText("verified · u_ada");
  await openChat(page);
  const text = unique("ada, signed payload");
  await send(page, text);
  const stored = await expectStored(text);

  const inbox = await context.newPage();
  await inbox.goto("/inbox");
  await inbox.locator(`button[data-id="${stored.conversationId}"]`).click();
  const panel = inbox.getByRole("complementary", { name: "Contact" });
  await expect(panel.getByRole("heading", { name: "Contact u_ada" })).toBeVisible();
  const attributes = panel.locator("dl").first();
  await expect(attributes.locator("dt", { hasText: "plan" }).locator("+ dd")).toHaveText("pro");
  await expect(attributes.locator("dt", { hasText: "email" }).locator("+ dd")).toHaveText("ada@example.com");
  // Hints stay apart, whatever earlier tests' user-hash sign-ins left there (the e2e data is shared).
  await expect(panel.getByText("Hints (unverified, from a user hash)")).toBeVisible();

  // Her latest proof a user hash: it proves the id alone, and its name and email are hints.
  await page.getByLabel("User hash").check();
  const again = unique("ada, user hash");
  await send(page, again);
  await expectStored(again);
  await expect(panel).toContainText("None: the latest proof was a user hash, which proves the id alone.");
  const hints = panel.getByText("Hints (unverified, from a user hash)").locator("+ dl");
  await expect(hints.locator("dt", { hasText: "name" }).locator("+ dd")).toHaveText("Ada Lovelace");
});
