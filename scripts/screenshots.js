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
} finally {
  await browser.close();
  await server.stop();
}
