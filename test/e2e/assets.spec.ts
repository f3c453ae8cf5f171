// The widget as a visitor's browser really fetches it: the first chunk (core + launcher) after the
// host's load, compressed as served and revalidated with a 304; the panel as a lazy chunk that the
// launcher does not wait for — a click while it is on its way is kept and focus lands in the
// composer; a panel that cannot be fetched is said, and the next open fetches it again.
import { expect, test, type Route } from "@playwright/test";

const PANEL = /\/panel-[\w-]+\.js$/;
const FIRST = /\/widget-[\w-]+\.js$/;

test("the first chunk and the panel arrive compressed, content-hashed and cached for good", async ({ page }) => {
  const seen = new Map<string, { encoding?: string; cache?: string; cors?: string; tao?: string }>();
  page.on("response", async (r) => {
    if (FIRST.test(r.url()) || PANEL.test(r.url()) || r.url().endsWith("/loader.js")) {
      const h = await r.allHeaders();
      seen.set(r.url().replace(/.*\//, ""), { encoding: h["content-encoding"], cache: h["cache-control"], cors: h["access-control-allow-origin"], tao: h["timing-allow-origin"] });
    }
  });
  await page.goto("/");
  await page.getByRole("button", { name: "Open chat" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeFocused();
  const files = [...seen.keys()];
  expect(files).toEqual(expect.arrayContaining(["loader.js", expect.stringMatching(/^widget-/), expect.stringMatching(/^panel-/)]));
  for (const [file, h] of seen) {
    expect(h.encoding, file).toBe("br");
    expect(h.cors, file).toBe("*");
    expect(h.tao, file).toBe("*");
    expect(h.cache, file).toBe(file === "loader.js" ? "public, max-age=300" : "public, max-age=31536000, immutable");
  }
  // Resource Timing sees the real transfer across origins (Timing-Allow-Origin), the loader included.
  const sizes = await page.evaluate(() => performance.getEntriesByType("resource").filter((r) => /\/(loader|widget-|panel-)/.test(r.name)).map((r) => (r as PerformanceResourceTiming).transferSize));
  expect(sizes.length).toBe(3);
  expect(sizes.every((n) => n > 0)).toBe(true);
});

test("a click while the panel is on its way is kept, and focus lands in the composer", async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let requested = false;
  await page.route(PANEL, async (route: Route) => {
    requested = true;
    await held;
    await route.continue();
  });
  await page.goto("/");
  // The launcher is there while the panel chunk is held back: it paints without it.
  const launcher = page.getByRole("button", { name: "Open chat" });
  await expect(launcher).toBeVisible();
  await launcher.click();
  await expect(page.getByRole("button", { name: "Close chat" })).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("textbox", { name: "Message" })).toHaveCount(0);
  await expect.poll(() => requested).toBe(true);
  release();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeFocused();
});

test("a panel that cannot be fetched: a warning, the launcher closed again, and the next open fetches it", async ({ page }) => {
  const warnings: string[] = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  page.on("pageerror", (e) => warnings.push("pageerror " + e.message));
  let offline = true;
  await page.route(PANEL, (route) => (offline ? route.abort() : route.continue()));
  await page.goto("/");
  await page.getByRole("button", { name: "Open chat" }).click();
  await expect.poll(() => warnings.some((w) => w.includes("[Parley] could not load the chat panel"))).toBe(true);
  const launcher = page.getByRole("button", { name: "Open chat" });
  await expect(launcher).toHaveAttribute("aria-expanded", "false");
  offline = false;
  await launcher.click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeFocused();
  expect(warnings.filter((w) => w.startsWith("pageerror"))).toEqual([]);
});
