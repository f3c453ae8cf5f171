// Each of the three proofs (four forms), signed by the demo site's backend, verifies end to end.
import { expect, test } from "@playwright/test";
import { chooseProof, expectStored, identityStatus, openChat, send, signIn, unique } from "./helpers.ts";

const PROOFS = [
  ["hash", "User hash"],
  ["payload", "Signed payload"],
  ["token", "HMAC token"],
  ["jwt", "JWT (HS256)"],
] as const;

for (const [kind, label] of PROOFS) {
  test(`a message through the ${kind} proof is stored as the verified user`, async ({ page }) => {
    await page.goto("/");
    await chooseProof(page, label);
    await signIn(page, "ada");
    await expect(identityStatus(page)).toHaveText("verified · u_ada");
    await openChat(page);
    await expect(page.getByRole("dialog").getByText("Signed in as Ada Lovelace")).toBeVisible();
    const text = unique(`via ${kind}`);
    await send(page, text);
    const stored = await expectStored(text);
    expect(stored.author).toMatchObject({ type: "visitor", userId: "u_ada", verified: true });
    expect(stored.identity).toEqual({ status: "verified" });
  });
}

test("a verified user's history follows them to another device, and a page load verifies from settings", async ({ page, browser }) => {
  await page.goto("/");
  await signIn(page, "bob");
  await expect(identityStatus(page)).toHaveText("verified · u_bob");
  await openChat(page);
  const text = unique("from the laptop");
  await send(page, text);
  await expectStored(text);

  // Another device: a fresh browser with no Parley state; the site renders ParleySettings for Bob.
  const phone = await browser.newContext();
  const other = await phone.newPage();
  await other.goto("/");
  await signIn(other, "bob");
  // Signed in (the demo's session is stored) before the reload, which must verify from settings alone.
  await expect(identityStatus(other)).toHaveText("verified · u_bob");
  await other.reload();
  await expect(identityStatus(other)).toHaveText("verified · u_bob");
  await openChat(other);
  await expect(other.getByRole("log").getByText(text)).toBeVisible();
  await phone.close();
});
