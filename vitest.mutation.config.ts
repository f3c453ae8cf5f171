// The tests StrykerJS runs against each mutant, per area (`npm run test:mutation`). Each area is
// tested at the lowest level that sees it: pure verification by its pure tests (no storage, so a
// mutant costs milliseconds), the HTTP layer by the server suite on embedded storage, the widget's
// core by the unit suite. Never the tests that spawn the built CLI: a mutant never reaches dist/.
import { defineConfig } from "vitest/config";
import { AREAS } from "./scripts/mutation-areas.js";

const area = AREAS[process.env.PARLEY_MUTATION_AREA ?? "verify"]!;
const unit = area.include.some((p) => p.startsWith("test/unit"));
// A run of part of an area may name the test files that see it (comma-separated): a mutant in code
// every file runs (a route's registration) is then tried against those only — cheaper, and a
// survivor there is checked against the area's other files by hand. docs/mutation.md says which runs did.
const only = process.env.PARLEY_MUTATION_TESTS?.split(",").filter(Boolean);

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  define: { __PARLEY_WIDGET__: JSON.stringify("widget.js") },
  test: {
    name: "mutation",
    environment: unit ? "happy-dom" : "node",
    include: only?.length ? only : area.include,
    exclude: area.exclude ?? [],
    // An area may share modules between its files (scripts/mutation-areas.js says which and why).
    isolate: area.isolate ?? true,
    // Areas on storage start each file's embedded database from one cluster made up front.
    globalSetup: area.storage ? ["test/support/pglite-cluster.ts"] : [],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
