// What `npm run test:mutation` mutates, area by area, and which tests run against each area's
// mutants (read by stryker.config.mjs and vitest.mutation.config.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The test files under `dir` whose text matches `uses`, but those in `except`. */
function testFiles(dir, uses, except) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith(".test.ts") && !except.includes(f) && uses.test(readFileSync(f, "utf8")))
    .sort();
}

/** @type {Record<string, { mutate: string[], include: string[], exclude?: string[], isolate?: boolean, storage?: boolean }>} */
export const AREAS = {
  verify: {
    mutate: ["server/verify/**/*.ts", "server/policy/**/*.ts", "contract/claim.ts"],
    include: [
      "test/server/verify.test.ts",
      "test/server/diagnose.test.ts",
      "test/server/key-kinds.property.test.ts",
      "test/server/hmac-vectors.test.ts",
      "test/server/jwt-rfc7515.test.ts",
      "test/server/equal-bytes.test.ts",
      "test/server/constant-time.test.ts",
      "test/server/public-verdict.test.ts",
      "test/server/vectors.test.ts",
      "test/server/sign.test.ts",
      "test/server/verify-edges.test.ts",
      "test/server/diagnose-causes.test.ts",
      "test/server/claim-helpers.test.ts",
      "test/server/policy.test.ts",
      // The rules added since (attributes, audiences, ideas, read state): each has its pure tests.
      "test/server/attributes.test.ts",
      "test/server/audience.test.ts",
      "test/server/audience-reach.test.ts",
      "test/server/idea-writer.test.ts",
      "test/server/read-state.test.ts",
    ],
  },
  // The server tests that drive the API in-process (they import it, or test/support/api.ts): the
  // files that can see server/http, found afresh each run so a new one is never left out. Not
  // fuzz.test.ts: random inputs at every route, slow, and what it finds is pinned elsewhere. A
  // mutant costs about a second for every file whose tests cover it: each opens its own embedded
  // database (from one cluster made up front, storage: true, test/support/pglite-cluster.ts), and
  // the files share modules (isolate: false; none mocks a module or leaves a fake timer behind).
  http: {
    mutate: ["server/http/**/*.ts"],
    storage: true,
    isolate: false,
    include: testFiles("test/server", /server\/http\/|support\/api\.ts/, ["test/server/fuzz.test.ts"]),
  },
  // The core, and the live chunk it loads (stream or long-poll, one listening tab per site).
  widget: { mutate: ["widget/core/**/*.ts", "widget/live/**/*.ts"], include: ["test/unit/**/*.test.ts?(x)"] },
};
