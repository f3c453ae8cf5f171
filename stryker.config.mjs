// `npm run test:mutation` (scripts/mutation.js) runs StrykerJS once per area, each against the
// tests at the lowest level that can see it; PARLEY_MUTATION_AREA picks the area (see scripts/mutation-areas.js). Not part of `npm test`: it takes hours on two cores.
import { AREAS } from "./scripts/mutation-areas.js";

const area = AREAS[process.env.PARLEY_MUTATION_AREA ?? "verify"];
if (!area) throw new Error(`PARLEY_MUTATION_AREA must be one of ${Object.keys(AREAS).join(", ")}`);

export default {
  // The vitest runner, reading a test file's failed setup as a kill (scripts/stryker-vitest.js).
  plugins: ["@stryker-mutator/vitest-runner", "./scripts/stryker-vitest.js"],
  testRunner: "vitest-setup-failures",
  vitest: { configFile: "vitest.mutation.config.ts" },
  coverageAnalysis: "perTest",
  mutate: area.mutate,
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: `reports/mutation/${process.env.PARLEY_MUTATION_AREA ?? "verify"}.json` },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  // Names no file on purpose: TypeScript 7 has no JS API for Stryker's tsconfig rewriting, which
  // this project (no project references) does not need.
  tsconfigFile: "tsconfig.stryker-none.json",
  ignoreStatic: true,
};
