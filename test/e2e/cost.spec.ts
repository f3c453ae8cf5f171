// What Parley costs the host page: nothing before its own `load`, and no layout shift.
import { expect, test } from "@playwright/test";

test("the widget is fetched only after the host page's load event", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const widget = performance.getEntriesByType("resource").find((r) => /\/widget-[\w-]+\.js$/.test(r.name))!;
    return { load: nav.loadEventStart, widgetStart: widget.startTime };
  });
  expect(timing.widgetStart).toBeGreaterThanOrEqual(timing.load);
});

test("the launcher appears without shifting the page's layout", async ({ page }) => {
  // Two measures: the browser's layout-shift entries, and where each of the page's own elements
  // starts (its top) at the page's load, before any of the widget exists, against the same after the panel
  // opened. A fixed, out-of-flow host cannot move them; a widget in the page's flow would.
  await page.addInitScript(() => {
    const w = window as unknown as { shifts: number; boxesAtLoad: string; atLoad: Element[] };
    w.shifts = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.shifts += (e as unknown as { value: number }).value;
    }).observe({ type: "layout-shift", buffered: true });
    addEventListener("load", () => {
      w.atLoad = [...document.querySelectorAll("body *:not([data-parley])")];
      w.boxesAtLoad = JSON.stringify(w.atLoad.map((el) => Math.round(el.getBoundingClientRect().top)));
    });
  });
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  await page.getByRole("button", { name: "Open chat" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  const after = await page.evaluate(() => {
    const w = window as unknown as { shifts: number; boxesAtLoad: string; atLoad: Element[] };
    const host = document.querySelector("[data-parley]")!;
    return {
      shifts: w.shifts,
      boxesAtLoad: w.boxesAtLoad,
      // The same elements as at load (the demo adds lines to its event log below them since).
      boxesNow: JSON.stringify(w.atLoad.map((el) => Math.round(el.getBoundingClientRect().top))),
      hostPosition: getComputedStyle(host).position,
    };
  });
  expect(after.hostPosition).toBe("fixed");
  expect(JSON.parse(after.boxesAtLoad).length).toBeGreaterThan(3);
  expect(after.boxesNow).toBe(after.boxesAtLoad);
  expect(after.shifts).toBe(0);
});
