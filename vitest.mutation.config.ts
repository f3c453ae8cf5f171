// The tests StrykerJS runs against each mutant (`npm run test:mutation`): the unit suite and the
// server suite on embedded storage, from the sources. Not the PostgreSQL copy of the server suite
// (the same tests again), not the size budgets, and not the tests that spawn the built CLI (a
// mutant of the source never reaches dist/).
import { defineConfig } from "vitest/config";

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    projects: [
      { extends: true, test: { name: "unit", environment: "happy-dom", include: ["test/unit/**/*.test.ts?(x)"] } },
      {
        extends: true,
        test: {
          name: "server",
          environment: "node",
          include: ["test/server/**/*.test.ts"],
          exclude: ["test/server/shutdown.test.ts", "test/server/slow-client.test.ts", "test/server/regression/npm-start.test.ts", "test/server/snippets.test.ts", "test/server/data-folder.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
