// vitest globalSetup, once before every project:
// - builds dist/: the size budgets measure the built bundles, and the shutdown, slow-client and
//   npm-start tests run the built CLI as an operator does — so `npm run test:unit` builds too and
//   can never test a stale dist/ that `npm test` would have rebuilt (a few seconds);
// - installs the backend snippets' interpreters when missing (scripts/interpreters.js), once,
//   rather than in each of the two server projects at the same time.
import { execFileSync } from "node:child_process";
import { ensureInterpreters } from "../../scripts/interpreters.js";

export default function setup() {
  execFileSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  ensureInterpreters();
}
