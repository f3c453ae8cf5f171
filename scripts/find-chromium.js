// Finds a Chromium for the end-to-end tests and never downloads a browser build:
// $PARLEY_CHROMIUM or $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then a Chromium that
// Playwright already has; failing all, installs Debian's `chromium` when run as root with apt.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export async function findChromium({ install = true } = {}) {
  const fromEnv = process.env.PARLEY_CHROMIUM || process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`PARLEY_CHROMIUM/CHROMIUM_PATH is ${fromEnv}, which does not exist`);
  }
  for (const path of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (existsSync(path)) return path;
  try {
    const { chromium } = await import("@playwright/test");
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    /* Playwright has no browser of its own here: expected */
  }
  if (install && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    process.stderr.write("No Chromium found: installing Debian's chromium package…\n");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
    if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  }
  throw new Error("No Chromium found. Install one (Debian: apt-get install chromium) or set PARLEY_CHROMIUM to its path.");
}
