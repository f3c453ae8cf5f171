// What `npm run test:mutation` mutates, area by area, and which tests run against each area's
// mutants (read by stryker.config.mjs and vitest.mutation.config.ts).
/** @type {Record<string, { mutate: string[], include: string[], exclude?: string[] }>} */
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
    ],
  },
  http: {
    mutate: ["server/http/**/*.ts"],
    include: ["test/server/**/*.test.ts"],
    exclude: ["test/server/shutdown.test.ts", "test/server/slow-client.test.ts", "test/server/regression/npm-start.test.ts", "test/server/snippets.test.ts", "test/server/data-folder.test.ts", "test/server/crash.test.ts", "test/server/key-rotation.test.ts"],
  },
  widget: { mutate: ["widget/core/**/*.ts"], include: ["test/unit/**/*.test.ts?(x)"] },
};
