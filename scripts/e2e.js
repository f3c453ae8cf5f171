// `npm run test:e2e`: the Playwright suite in a real Chromium, against the built bundles and server.
import { spawnSync } from "node:child_process";
import { findChromium } from "./find-chromium.js";

try {
  process.env.PARLEY_CHROMIUM = await findChromium();
} catch (err) {
  process.stderr.write(`e2e: ${err.message}\n`);
  process.exit(1);
}
const result = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], { stdio: "inherit", env: process.env });
process.exit(result.status ?? 1);
