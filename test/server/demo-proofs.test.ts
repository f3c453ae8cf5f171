// The demo site's backend: each proof it signs verifies, and its "tamper" switch never does.
import { describe, expect, it } from "vitest";
import { proofFor, tamper } from "../../demo/proofs.ts";
import { DEMO_USERS, PROOF_KINDS } from "../../demo/users.ts";
import { verifyClaim } from "../../server/verify/verify.ts";

const ctx = { appId: "app_demo", mode: "required" as const, keys: [{ id: "key_demo", secret: "pk_demo_secret", revoked: false }], now: Math.floor(Date.now() / 1000) };

describe("demo proofs", () => {
  for (const kind of PROOF_KINDS) {
    it(`${kind}: signed → verified as the user; tampered → bad_signature`, async () => {
      const claim = await proofFor(DEMO_USERS.ada!, kind, "pk_demo_secret", "app_demo");
      expect(await verifyClaim(claim, ctx)).toMatchObject({ status: "verified", userId: "u_ada" });
      expect(await verifyClaim(tamper(claim), ctx)).toMatchObject({ status: "rejected", reason: "bad_signature" });
    });
  }
});
