// The shared test vectors (test/vectors/proofs.json): the Node helpers reproduce every output
// byte for byte, and the server verifies every one at the vectors' own clock.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// The source of `parley/server` (its built copy is the same module, bundled): testing the source means
// a broken helper fails `npm run test:unit` too, not only a run after a build.
import { createJwt, createToken, signPayload, userHash } from "../../server/index.ts";
import { verifyClaim } from "../../server/verify/verify.ts";
import { everyKind } from "../support/keys.ts";

const v = JSON.parse(readFileSync(new URL("../vectors/proofs.json", import.meta.url), "utf8"));
const ctx = { appId: v.app, mode: "required" as const, keys: everyKind({ id: "key_vectors", secret: v.secret, revoked: false }), now: v.verifyAt };

describe("hash vectors", () => {
  for (const h of v.hash) {
    it(`${h.note}: ${h.userId}`, async () => {
      expect(userHash(v.secret, h.userId)).toBe(h.userHash);
      expect(await verifyClaim({ userId: h.userId, userHash: h.userHash }, ctx)).toMatchObject({ status: "verified", userId: h.userId });
    });
  }
});

describe("signed payload vectors", () => {
  for (const p of v.payload) {
    it(p.note, async () => {
      expect(signPayload(v.secret, p.payload)).toEqual({ payload: p.payload, signature: p.signature });
      expect(await verifyClaim({ payload: p.payload, signature: p.signature }, ctx)).toMatchObject({ status: "verified" });
    });
  }
  it(v.payloadRule.note, async () => {
    expect(await verifyClaim({ payload: v.payloadRule.payload, signature: v.payloadRule.signature }, ctx)).toMatchObject({ status: "rejected", reason: v.payloadRule.expect });
  });
});

describe("token vectors", () => {
  const helperOptions = (claimsJson: string) => {
    const { sub, app, iat, exp, ...claims } = JSON.parse(claimsJson);
    return { sub, app, iat, ttl: exp - iat, claims };
  };
  for (const t of v.token) {
    it(`HMAC token, ${t.note}`, async () => {
      expect(createToken(v.secret, helperOptions(t.claims))).toBe(t.token);
      expect(await verifyClaim({ token: t.token }, ctx)).toMatchObject({ status: "verified", userId: JSON.parse(t.claims).sub });
    });
  }
  for (const t of v.jwt) {
    it(`JWT, ${t.note}`, async () => {
      expect(await createJwt(v.secret, helperOptions(t.claims))).toBe(t.jwt);
      expect(await verifyClaim({ token: t.jwt }, ctx)).toMatchObject({ status: "verified", userId: JSON.parse(t.claims).sub });
    });
  }
});

describe("conversion vectors: a MAC of one kind re-shaped into another is rejected", () => {
  for (const c of v.conversions.cases) {
    it(c.note, async () => {
      const own = { ...ctx, keys: [{ id: "key_vectors", secret: v.secret, revoked: false, proof: c.keyKind }] };
      const verdict = await verifyClaim(c.claim, own);
      expect(verdict.status).toBe("rejected");
      expect(verdict.keyId).toBeUndefined();
      // The same MAC under a key of every kind (the rule before kinds) matches: the case is a real forgery.
      expect((await verifyClaim(c.claim, ctx)).keyId).toBe("key_vectors");
    });
  }
});
