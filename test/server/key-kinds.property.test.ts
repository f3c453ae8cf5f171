// "Each key signs one kind of proof" as a property: random claims are signed with a key of their
// kind, the MAC is re-shaped into every other kind of proof, and none verifies. Each re-shaped
// claim is first shown to be a real forgery — it does verify (or at least its MAC matches) under a
// key of the target kind with the same secret, which is what every key was before kinds — so the
// property cannot pass by re-shaping badly. Proofs are built with node:crypto, not server/sign.ts.
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KeyKind } from "../../contract/claim.ts";
import { verifyClaim } from "../../server/verify/verify.ts";

const APP = "app_kinds";
const NOW = 1_800_000_000;
const mac = (secret: string, text: string) => createHmac("sha256", Buffer.from(secret, "utf8")).update(Buffer.from(text, "utf8")).digest();
const b64u = (data: string | Buffer) => Buffer.from(data).toString("base64url");

interface Forgery {
  name: string;
  /** The kind of key the genuine proof was made with. */
  from: KeyKind;
  /** The kind of key the re-shaped claim would need. */
  to: KeyKind;
  claim: unknown;
}

/** Every way to carry one MAC into another proof's shape, from one set of claims. */
function forgeries(secret: string, claims: Record<string, unknown>): Forgery[] {
  const json = JSON.stringify(claims);
  const jwtInput = `${b64u(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64u(json)}`;
  const m = mac(secret, json);
  const mj = mac(secret, jwtInput);
  return [
    // A token's MAC over its claims JSON: the same bytes a signed payload or a hash signs.
    { name: "token → payload", from: "token", to: "payload", claim: { payload: json, signature: m.toString("hex") } },
    { name: "token → hash", from: "token", to: "hash", claim: { userId: json, userHash: m.toString("hex") } },
    // A hash of a crafted id: the id is a JWT's signing input, or a token's or payload's JSON.
    { name: "hash → JWT", from: "hash", to: "token", claim: { token: `${jwtInput}.${b64u(mj)}` } },
    { name: "hash → HMAC token", from: "hash", to: "token", claim: { token: `${b64u(json)}.${b64u(m)}` } },
    { name: "hash → payload", from: "hash", to: "payload", claim: { payload: json, signature: m.toString("hex") } },
    // A signed payload's MAC over its JSON text, re-sent as a token or a hash.
    { name: "payload → HMAC token", from: "payload", to: "token", claim: { token: `${b64u(json)}.${b64u(m)}` } },
    { name: "payload → hash", from: "payload", to: "hash", claim: { userId: json, userHash: m.toString("hex") } },
    // A JWT's MAC over its signing input, re-sent as a hash of that text.
    { name: "JWT → hash", from: "token", to: "hash", claim: { userId: jwtInput, userHash: mj.toString("hex") } },
  ];
}

const key = (secret: string, proof: KeyKind) => ({ id: `key_${proof}`, secret, revoked: false, proof });
const verify = (claim: unknown, secret: string, proof: KeyKind) => verifyClaim(claim, { appId: APP, mode: "required", keys: [key(secret, proof)], now: NOW });

// Short ids and attributes keep the re-shaped hash ids within the 255 characters an id may have.
const claimsArb = fc.record({
  sub: fc.stringMatching(/^[A-Za-z0-9_@.-]{1,24}$/),
  // Fresh, or expired up to a day ago: an expired token's MAC must not live on in another shape.
  age: fc.integer({ min: 0, max: 2 * 86400 }),
  ttl: fc.integer({ min: 60, max: 3600 }),
  plan: fc.constantFrom("free", "pro", "enterprise"),
});
const secretArb = fc.stringMatching(/^pk_[A-Za-z0-9_-]{20,43}$/);

describe("a MAC made for one kind of proof never passes as another", () => {
  it("every re-shaped MAC is rejected by the key that made it, though it matches a key of the target kind", async () => {
    await fc.assert(
      fc.asyncProperty(claimsArb, secretArb, async ({ sub, age, ttl, plan }, secret) => {
        const iat = NOW - age;
        const claims = { sub, app: APP, iat, exp: iat + ttl, plan };
        for (const forged of forgeries(secret, claims)) {
          // Before kinds, one key verified everything: this MAC matches a key of the target kind.
          expect((await verify(forged.claim, secret, forged.to)).keyId, forged.name).toBe(`key_${forged.to}`);
          const verdict = await verify(forged.claim, secret, forged.from);
          expect(verdict.status, forged.name).toBe("rejected");
          expect(verdict.keyId, forged.name).toBeUndefined();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a day-old token re-sent as a signed payload is not a proof that never expires", async () => {
    const secret = "pk_kinds_expired_token_secret_0001";
    const iat = NOW - 86400;
    const [toPayload] = forgeries(secret, { sub: "u_victim", app: APP, iat, exp: iat + 3600 });
    expect(toPayload!.name).toBe("token → payload");
    expect(await verify(toPayload!.claim, secret, "token")).toMatchObject({ status: "rejected", reason: "no_keys" });
    // Even with a payload key of the same secret, its exp now holds.
    expect(await verify(toPayload!.claim, secret, "payload")).toMatchObject({ status: "rejected", reason: "expired" });
  });
});
