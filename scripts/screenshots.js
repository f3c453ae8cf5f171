// `npm run screenshots`: the demo's key states, rendered by Playwright into docs/screenshots/.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { findChromium } from "./find-chromium.js";
import { startServer } from "./server-process.js";

const OUT = "docs/screenshots";
mkdirSync(OUT, { recursive: true });
const server = await startServer({ PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), "parley-shots-")), PARLEY_ADMIN_TOKEN: "shots" }, ["--demo", "--demo-port", "0"]);
const browser = await chromium.launch({ executablePath: await findChromium(), args: ["--no-sandbox", "--disable-gpu"] });
const site = server.siteUrl;

async function shot(name, { viewport = { width: 1100, height: 720 }, mobile = false, before, path = "/", act } = {}) {
  const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1, reducedMotion: "reduce" });
  const page = await context.newPage();
  if (before) await page.addInitScript(before);
  await page.goto(site + path);
  await page.getByRole("button", { name: /Open chat|Help/ }).waitFor();
  if (act) await act(page);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  await context.close();
  console.log(`${OUT}/${name}.png`);
}

const open = (page) => page.getByRole("button", { name: /Open chat/ }).click();
const write = async (page, text) => {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.keyboard.press("Enter");
  await page.getByRole("log").getByText(text).waitFor();
};
const signIn = async (page) => {
  await page.getByRole("button", { name: "Sign in as Ada (Pro)" }).click();
  await page.locator("#identity-status[data-status=verified]").waitFor();
};

try {
  await shot("closed");
  await shot("open", { act: async (p) => (await open(p), await write(p, "Hi! Is there a student discount?")) });
  await shot("verified", { act: async (p) => (await signIn(p), await open(p), await write(p, "Can I switch my plan to annual billing?")) });
  await shot("mobile", { viewport: { width: 390, height: 760 }, mobile: true, act: async (p) => (await p.getByRole("button", { name: "Open chat" }).tap(), await write(p, "Hello from my phone")) });
  await shot("dark", {
    before: () => {
      window.Parley = function () {
        (window.Parley.q = window.Parley.q || []).push(arguments);
      };
      window.Parley("init", { theme: "dark", accentColor: "#7c5cff" });
    },
    act: async (p) => (await open(p), await write(p, "Dark theme, custom accent")),
  });
  await shot("strict-csp", { path: "/strict-csp", act: async (p) => (await signIn(p), await open(p), await write(p, "Works under a strict CSP")) });
  await consoleShots();
} finally {
  await browser.close();
  await server.stop();
}

/** The operator console: its inbox, Settings and What's new, and the inbox on a phone. */
async function consoleShots() {
  // Visitors write first: Ada verified by a signed payload (her plan is a verified attribute),
  // someone sending Ada's proof tampered with, and an anonymous visitor.
  const visitor = async ({ proof, tamper = false, user = "ada", texts = [], votes = [] }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site + "/");
    if (proof) await page.getByLabel(proof).check();
    if (tamper) await page.getByLabel(/Tamper with the proof/).check();
    if (user) await page.getByRole("button", { name: user === "ada" ? "Sign in as Ada (Pro)" : "Sign in as Bob (Free)" }).click();
    await open(page);
    for (const text of texts) await write(page, text);
    if (votes.length) await page.getByRole("tab", { name: "Ideas" }).click();
    for (const title of votes) {
      const voted = page.waitForResponse((r) => r.url().endsWith("/vote"));
      await page.getByRole("button", { name: new RegExp(`^Vote for ${title}, `) }).click();
      await voted;
    }
    await context.close();
  };
  await visitor({ user: false, texts: ["Hi, do you ship to Canada?"] });
  await visitor({ proof: "Signed payload", user: "bob", votes: ["Export invoices as CSV"] });
  await visitor({ proof: "Signed payload", votes: ["Export invoices as CSV", "Two-factor sign-in with a security key"] });
  await visitor({ tamper: true, texts: ["I am Ada, please refund my last invoice to this card."] });
  await visitor({ proof: "Signed payload", texts: ["Hello! Can I switch my plan to annual billing?", "And will the invoices show our VAT number?"] });

  const signInConsole = async (page) => {
    await page.goto(server.url + "/console");
    await page.getByLabel("Operator token").fill("shots");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
  };
  const snap = async (page, name, fullPage = false) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
    console.log(`${OUT}/${name}.png`);
  };

  const desk = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1, reducedMotion: "reduce" });
  const page = await desk.newPage();
  await signInConsole(page);
  await page.locator(".conversation-item", { hasText: "VAT number" }).click();
  await page.getByRole("textbox", { name: "Reply" }).fill("Yes — switch in Billing → Plan, and the VAT number is on every invoice.");
  await page.keyboard.press("Enter");
  await page.locator("article.message", { hasText: "Billing → Plan" }).waitFor();
  await page.getByRole("textbox", { name: "Reply" }).blur();
  await snap(page, "console-inbox");
  await page.locator(".conversation-item", { hasText: "refund" }).click();
  await page.locator("article.message .claimed").waitFor();
  await snap(page, "console-rejected");

  await page.getByRole("link", { name: "Feedback" }).click();
  await page.getByText("2 verified voters").click();
  await snap(page, "console-feedback", true);

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Kind of proof").selectOption("payload");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("region", { name: /copy its secret now/ }).waitFor();
  await snap(page, "console-settings", true);

  await page.getByRole("link", { name: "What's new" }).click();
  await page.getByLabel("Title").fill("Annual billing, two months free");
  await page.getByLabel("Text").fill("Pro plans can now be billed yearly.\n\nSwitch in Billing → Plan: https://example.com/billing");
  await page.getByLabel("Verified users whose attributes match").check();
  await page.getByRole("group", { name: "plan" }).getByLabel(/^pro/).check();
  await page.locator(".reach", { hasText: "reaches" }).waitFor();
  await snap(page, "console-news", true);
  await desk.close();

  const phone = await browser.newContext({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1, reducedMotion: "reduce" });
  const mobile = await phone.newPage();
  await signInConsole(mobile);
  await mobile.locator(".conversation-item", { hasText: "VAT number" }).click();
  await mobile.locator("article.message", { hasText: "Billing → Plan" }).waitFor();
  await snap(mobile, "console-mobile");
  await phone.close();
}
