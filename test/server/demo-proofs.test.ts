// The demo site's backend: each proof it signs verifies, and its "tamper" switch never does.
import { KEY_KINDS, tokenClaimsText } from "../../contract/claim.ts";
import { describe, expect, it } from "vitest";
import { proofFor, tamper } from "../../demo/proofs.ts";
import { DEMO_USERS, PROOF_KINDS } from "../../demo/users.ts";
import { verifyClaim } from "../../server/verify/verify.ts";

// One key of each kind, each its own secret, as the demo app has them.
const SECRETS = { hash: "pk_demo_hash", payload: "pk_demo_payload", token: "pk_demo_token" };
const ctx = { appId: "app_demo", mode: "required" as const, keys: KEY_KINDS.map((proof) => ({ id: `key_${proof}`, secret: SECRETS[proof], revoked: false, proof })), now: Math.floor(Date.now() / 1000) };

describe("demo proofs", () => {
  for (const kind of PROOF_KINDS) {
    it(`${kind}: signed → verified as the user; tampered → bad_signature`, async () => {
      const claim = await proofFor(DEMO_USERS.ada!, kind, SECRETS, "app_demo");
      expect(await verifyClaim(claim, ctx)).toMatchObject({ status: "verified", userId: "u_ada" });
      expect(await verifyClaim(tamper(claim), ctx)).toMatchObject({ status: "rejected", reason: "bad_signature" });
    });
  }
});

describe("the tamper switch on a signed plan", () => {
  for (const kind of ["payload", "token", "jwt"] as const) {
    it(`${kind}: Bob's free plan edited to pro, the signature kept — and rejected`, async () => {
      const claim = await proofFor(DEMO_USERS.bob!, kind, SECRETS, "app_demo");
      const forged = tamper(claim);
      const text = "payload" in forged ? forged.payload : tokenClaimsText((forged as { token: string }).token);
      expect(JSON.parse(text)).toMatchObject({ plan: "pro" });
      expect("payload" in forged ? forged.signature : (forged as { token: string }).token.split(".").at(-1)).toBe("payload" in claim ? claim.signature : (claim as { token: string }).token.split(".").at(-1));
      expect(await verifyClaim(forged, ctx)).toMatchObject({ status: "rejected", reason: "bad_signature" });
    });
  }
});
