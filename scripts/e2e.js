// `npm run test:e2e`: the Playwright suite in a real Chromium, against the built bundles and server.
import { spawnSync } from "node:child_process";
import { findChromium } from "./find-chromium.js";

// The end-to-end tests drive the built bundles and CLI: build them, so this command alone never
// tests a stale dist/ (npm test builds too; it takes a few seconds).
const built = spawnSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"] });
if (built.status !== 0) process.exit(built.status ?? 1);
try {
  process.env.PARLEY_CHROMIUM = await findChromium();
} catch (err) {
  process.stderr.write(`e2e: ${err.message}\n`);
  process.exit(1);
}
const result = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], { stdio: "inherit", env: process.env });
process.exit(result.status ?? 1);
