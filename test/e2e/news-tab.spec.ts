// The What's new tab in Chromium against the demo app (which ships an announcement for everyone):
// its lazy chunk loads under the strict-CSP page with no violation, and axe finds nothing with
// the tab open, in both themes.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { initWith, openChat } from "./helpers.ts";

async function showNews(page: Page) {
  await openChat(page);
  await page.getByRole("tab", { name: "What's new" }).click();
  await expect(page.getByRole("tab", { name: "What's new" })).toHaveAttribute("aria-selected", "true");
  await expect(page.locator("[data-parley] article").first()).toBeVisible();
}

test("the What's new chunk loads under a strict CSP with no violation", async ({ page }) => {
  const chunks: string[] = [];
  page.on("request", (r) => /\/news-tab-[\w-]+\.js$/.test(r.url()) && chunks.push(r.url()));
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto("/strict-csp");
  await showNews(page);
  expect(chunks).toHaveLength(1);
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
});

for (const theme of ["light", "dark"] as const) {
  test(`axe finds no violation with What's new open (${theme})`, async ({ page }) => {
    await initWith(page, { theme });
    await page.goto("/");
    await showNews(page);
    const result = await new AxeBuilder({ page }).include("[data-parley]").analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
}
