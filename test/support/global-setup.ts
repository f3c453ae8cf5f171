// vitest globalSetup, once before every project:
// - a current dist/: the size budgets measure the built bundles, and the shutdown, slow-client,
//   key-rotation, crash and npm-start tests run the built CLI as an operator does — so
//   `npm run test:unit` builds too and can never test a stale dist/ that `npm test` would have
//   rebuilt. Built when any source is newer than the oldest output (a few seconds), not on every
//   run: a second test run beside the first must not empty dist/ under it;
// - installs the backend snippets' interpreters when missing (scripts/interpreters.js), once,
//   rather than in each of the two server projects at the same time.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ensureInterpreters } from "../../scripts/interpreters.js";

const SOURCES = ["contract", "loader", "widget", "server", "demo", "sdk", "vite.config.ts", "package.json", "package-lock.json"];
const OUTPUTS = ["dist/.vite/manifest.json", "dist/loader.js", "dist/server/cli.js", "dist/server/demo.js", "dist/server/index.js", "dist/sdk/sdk/index.js"];

export default function setup() {
  // As `npm run build` runs outside the tests: vitest's NODE_ENV=test must not reach the build.
  if (stale()) execFileSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
  ensureInterpreters();
}

function stale(): boolean {
  if (!OUTPUTS.every((f) => existsSync(f))) return true;
  const built = Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
  return SOURCES.some((path) => newest(path) > built);
}

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}
