// What Parley costs the host page: nothing before its own `load`, and no layout shift.
import { expect, test } from "@playwright/test";

test("the widget is fetched only after the host page's load event", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const widget = performance.getEntriesByType("resource").find((r) => r.name.endsWith("/widget.js"))!;
    return { load: nav.loadEventStart, widgetStart: widget.startTime };
  });
  expect(timing.widgetStart).toBeGreaterThanOrEqual(timing.load);
});

test("the launcher appears without shifting the page's layout", async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { shifts: number }).shifts = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) (window as unknown as { shifts: number }).shifts += (e as unknown as { value: number }).value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  await page.getByRole("button", { name: "Open chat" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { shifts: number }).shifts)).toBe(0);
});
