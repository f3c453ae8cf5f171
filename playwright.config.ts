// End-to-end: real Chromium, the built loader and widget, the real server on embedded storage,
// and the demo site (on its own origin) as the host page.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

// Set once in the runner process; the workers it starts inherit them. PARLEY_E2E_PORT moves the
// API (and the demo site, one above it) so that two checkouts can run their suites at once.
process.env.PARLEY_E2E_PORT ??= "4310";
export const API_PORT = Number(process.env.PARLEY_E2E_PORT);
export const SITE_PORT = API_PORT + 1;
process.env.PARLEY_E2E_DATA ??= mkdtempSync(join(tmpdir(), "parley-e2e-"));
process.env.PARLEY_E2E_ADMIN ??= "e2e-admin-token";

export default defineConfig({
  testDir: "test/e2e",
  workers: 1,
  fullyParallel: false,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${SITE_PORT}`,
    launchOptions: {
      executablePath: process.env.PARLEY_CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `node dist/server/demo.js --port ${API_PORT} --demo-port ${SITE_PORT}`,
    url: `http://127.0.0.1:${API_PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 90_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { PARLEY_DATA_DIR: process.env.PARLEY_E2E_DATA!, PARLEY_ADMIN_TOKEN: process.env.PARLEY_E2E_ADMIN! },
  },
});
