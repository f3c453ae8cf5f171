// vitest globalSetup: build dist/ once before any project runs. The size budgets measure the
// built bundles, and the shutdown, slow-client and npm-start tests run the built CLI as an operator
// does — so `npm run test:unit` builds too, and can never test a stale dist/ that `npm test` would
// have rebuilt (the two commands cannot disagree). The build takes a few seconds.
import { execFileSync } from "node:child_process";

export default function build() {
  execFileSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"] });
}
