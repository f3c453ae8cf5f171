// Parley under `default-src 'self'; script-src 'nonce-…'; style-src 'self'; connect-src …`:
// it works fully and the browser reports no violation.
import { expect, test } from "@playwright/test";
import { expectStored, identityStatus, openChat, send, signIn, unique } from "./helpers.ts";

test("Parley works fully on a page with a strict CSP, with no violation", async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto("/strict-csp");
  expect(response!.headers()["content-security-policy"]).toMatch(/script-src 'nonce-[^']+'; style-src 'self'/);
  await signIn(page, "ada");
  await expect(identityStatus(page)).toHaveText("verified · u_ada");
  await openChat(page);
  // Styled, not unstyled: the adopted stylesheet applies.
  const launcherBg = await page.locator("[data-parley]").evaluate((h) => getComputedStyle(h.shadowRoot!.querySelector(".launcher")!).backgroundColor);
  expect(launcherBg).toBe("rgb(52, 81, 209)");
  const text = unique("under a strict csp");
  await send(page, text);
  expect((await expectStored(text)).author).toMatchObject({ userId: "u_ada", verified: true });
  await page.keyboard.press("Escape");
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
});
