// SPA identify then logout, without a reload: the next person sees nothing of the last one.
import { expect, test, type Page } from "@playwright/test";
import { expectStored, identityStatus, openChat, send, signIn, unique } from "./helpers.ts";

/** Everything a page keeps for Parley, as text: storage of every kind and the widget's DOM. */
async function everythingStored(page: Page) {
  return page.evaluate(async () => {
    const dump = (s: Storage) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`).join("\n");
    const host = document.querySelector("[data-parley]");
    const dbs = "databases" in indexedDB ? await indexedDB.databases() : [];
    return [dump(localStorage), dump(sessionStorage), document.cookie, JSON.stringify(dbs), host?.shadowRoot?.innerHTML ?? ""].join("\n");
  });
}

test("identify then logout switches users without a reload and leaves nothing of the last one", async ({ page }) => {
  await page.goto("/");
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await openChat(page);
  await signIn(page, "ada");
  await expect(identityStatus(page)).toHaveText("verified · u_ada");
  const adaText = unique("ada's secret plan");
  await send(page, adaText);
  const stored = await expectStored(adaText);
  expect(stored.author).toMatchObject({ userId: "u_ada", verified: true });
  const adaVisitor = stored.author.visitorId!;

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(identityStatus(page)).toHaveText("anonymous");
  await expect(page.getByRole("log")).not.toContainText(adaText);
  const after = await everythingStored(page);
  expect(after).not.toContain("u_ada");
  expect(after).not.toContain(adaVisitor);
  expect(after).not.toContain(adaText);

  await signIn(page, "bob");
  await expect(identityStatus(page)).toHaveText("verified · u_bob");
  await expect(page.getByRole("log")).not.toContainText(adaText);
  const bobText = unique("bob here");
  await send(page, bobText);
  const bob = await expectStored(bobText);
  expect(bob.author).toMatchObject({ userId: "u_bob", verified: true });
  expect(bob.author.visitorId).not.toBe(adaVisitor);
  // Never reloaded.
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
});
