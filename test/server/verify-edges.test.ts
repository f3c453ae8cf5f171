// verifyClaim at its edges: the exact size limit of a token, the exact limits of a time and an id,
// which proof a malformed claim is labelled with, input that is not what its type says, and how
// display hints are cleaned. Proofs are built with node:crypto, never with server/sign.ts.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_EPOCH_S } from "../../server/verify/claims.ts";
import type { VerifyKey } from "../../server/verify/keys.ts";
import { verifyClaim, type VerifyContext } from "../../server/verify/verify.ts";

const NOW = 1_700_000_000;
const APP = "app_edges";
const HASH_KEY: VerifyKey = { id: "key_h", secret: "pk_edges_hash_secret", revoked: false, proof: "hash" };
const PAYLOAD_KEY: VerifyKey = { id: "key_p", secret: "pk_edges_payload_secret", revoked: false, proof: "payload" };
const TOKEN_KEY: VerifyKey = { id: "key_t", secret: "pk_edges_token_secret", revoked: false, proof: "token" };
const ctx: VerifyContext = { appId: APP, mode: "required", now: NOW, keys: [HASH_KEY, PAYLOAD_KEY, TOKEN_KEY] };
const verify = (claim: unknown, over: Partial<VerifyContext> = {}) => verifyClaim(claim, { ...ctx, ...over });

const mac = (secret: string, data: string | Buffer) => createHmac("sha256", Buffer.from(secret, "utf8")).update(data).digest();
const hex = (secret: string, text: string) => mac(secret, Buffer.from(text, "utf8")).toString("hex");
const b64u = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const hashClaim = (userId: string, extra: Record<string, unknown> = {}) => ({ userId, userHash: hex(HASH_KEY.secret, userId), ...extra });
const payloadClaim = (data: Record<string, unknown> | string) => {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return { payload, signature: hex(PAYLOAD_KEY.secret, payload) };
};
const hmacToken = (claims: Record<string, unknown> | string) => {
  const json = typeof claims === "string" ? claims : JSON.stringify(claims);
  return `${b64u(json)}.${b64u(mac(TOKEN_KEY.secret, json))}`;
};
const jwt = (claims: Record<string, unknown>) => {
  const input = `${b64u(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(mac(TOKEN_KEY.secret, input))}`;
};
const claims = (over: Record<string, unknown> = {}) => ({ sub: "u_42", app: APP, iat: NOW - 10, exp: NOW + 3590, ...over });

/** A good token of exactly `length` characters, its claims padded; throws when no padding reaches it. */
function tokenOfLength(make: (c: Record<string, unknown>) => string, length: number): string {
  // Every 3 characters of padding add 4 to the token: start just short of the estimate.
  const start = Math.max(0, Math.floor(((length - make(claims({ pad: "" })).length) * 3) / 4) - 8);
  for (let pad = start; pad < start + 32; pad++) {
    const token = make(claims({ pad: "x".repeat(pad) }));
    if (token.length === length) return token;
    if (token.length > length) break;
  }
  throw new Error(`no token of ${length} characters`);
}

describe("a claim that is no proof at all is malformed, labelled with no proof", () => {
  it.each([
    ["a string", "u_42"],
    ["a number", 42],
    ["true", true],
    ["an array", [{ userId: "u_42" }]],
    ["an empty object", {}],
    ["an object of unknown fields", { user: "u_42", hash: "00" }],
  ])("%s", async (_label, claim) => {
    expect(await verify(claim)).toEqual({ status: "rejected", reason: "malformed" });
  });
});

describe("a malformed proof is labelled with its kind", () => {
  it("a hash proof whose userId cannot be read: proof hash", async () => {
    expect(await verify({ userId: "", userHash: hex(HASH_KEY.secret, "") })).toEqual({ status: "rejected", reason: "malformed", proof: "hash" });
  });
  it("a bare userId in mode required: missing_proof, proof hash", async () => {
    expect(await verify({ userId: "u_42" })).toEqual({ status: "rejected", reason: "missing_proof", proof: "hash" });
  });
  it("a token of four parts: proof token", async () => {
    expect(await verify({ token: "a.b.c.d" })).toEqual({ status: "rejected", reason: "malformed", proof: "token" });
  });
  it("a JWT whose header is not JSON: proof jwt", async () => {
    expect(await verify({ token: `${b64u("not json")}.${b64u("{}")}.sig` })).toEqual({ status: "rejected", reason: "malformed", proof: "jwt" });
  });
});

describe("a token is read up to 8,192 characters", () => {
  it("a JWT exactly 8,192 characters long is verified; one character more is malformed", async () => {
    const longest = tokenOfLength(jwt, 8192);
    expect(await verify({ token: longest })).toMatchObject({ status: "verified", proof: "jwt", userId: "u_42", keyId: TOKEN_KEY.id });
    const over = tokenOfLength(jwt, 8193);
    // Correctly signed and current: only its length refuses it, before it is even split.
    expect(await verify({ token: over })).toEqual({ status: "rejected", reason: "malformed", proof: "token" });
  });

  it("an HMAC token exactly 8,192 characters long is verified; the next longer one (8,194) is malformed", async () => {
    expect(await verify({ token: tokenOfLength(hmacToken, 8192) })).toMatchObject({ status: "verified", proof: "token", userId: "u_42" });
    expect(await verify({ token: tokenOfLength(hmacToken, 8194) })).toEqual({ status: "rejected", reason: "malformed", proof: "token" });
  });
});

describe("an HMAC token with one unreadable part is malformed, never a crash", () => {
  const json = JSON.stringify(claims());
  const goodMac = b64u(mac(TOKEN_KEY.secret, json));
  it("claims outside base64url, with a well-formed 32-byte MAC", async () => {
    expect(goodMac).toHaveLength(43);
    expect(await verify({ token: `!!!.${goodMac}` })).toEqual({ status: "rejected", reason: "malformed", proof: "token" });
  });
  it("good claims, with a MAC outside base64url", async () => {
    expect(await verify({ token: `${b64u(json)}.!!!` })).toEqual({ status: "rejected", reason: "malformed", proof: "token" });
  });
});

describe("a signed payload must be text", () => {
  it("an array holding the JSON text is malformed, even with the MAC its coercion would have", async () => {
    const text = JSON.stringify({ id: "u_42" });
    // What the bytes of such an array would be, were it hashed: one 0 byte (Buffer.from(["…"])).
    const coerced = mac(PAYLOAD_KEY.secret, Buffer.from([text] as unknown as number[])).toString("hex");
    expect(await verify({ payload: [text], signature: coerced })).toEqual({ status: "rejected", reason: "malformed", proof: "payload" });
    expect(await verify({ payload: [text], signature: hex(PAYLOAD_KEY.secret, text) })).toEqual({ status: "rejected", reason: "malformed", proof: "payload" });
  });
});

describe("a time is whole seconds from 0 up to (not including) MAX_EPOCH_S", () => {
  it("a signed payload's exp of 0 is a time (long expired), not malformed", async () => {
    expect(await verify(payloadClaim({ id: "u_42", exp: 0 }))).toEqual({ status: "rejected", reason: "expired", proof: "payload", keyId: PAYLOAD_KEY.id });
  });
  it("a signed payload's exp of MAX_EPOCH_S is malformed; one second less verifies", async () => {
    expect(MAX_EPOCH_S).toBe(1e11);
    expect(await verify(payloadClaim({ id: "u_42", exp: MAX_EPOCH_S }))).toMatchObject({ status: "rejected", reason: "malformed", proof: "payload" });
    expect(await verify(payloadClaim({ id: "u_42", exp: MAX_EPOCH_S - 1 }))).toMatchObject({ status: "verified", userId: "u_42" });
  });
  it("a token's exp of MAX_EPOCH_S is malformed, whatever its iat", async () => {
    expect(await verify({ token: hmacToken(claims({ iat: MAX_EPOCH_S - 3600, exp: MAX_EPOCH_S })) })).toMatchObject({ status: "rejected", reason: "malformed" });
  });
  it("a token's iat of 0 is a time: its lifetime is then too long, not malformed", async () => {
    expect(await verify({ token: hmacToken(claims({ iat: 0 })) })).toMatchObject({ status: "rejected", reason: "lifetime_too_long" });
  });
  it("a signed payload's exp exactly 60 s ago is expired (the skew allows up to 59 s)", async () => {
    expect(await verify(payloadClaim({ id: "u_42", exp: NOW - 60 }))).toMatchObject({ status: "rejected", reason: "expired" });
    expect(await verify(payloadClaim({ id: "u_42", exp: NOW - 59 }))).toMatchObject({ status: "verified" });
  });
});

describe("a user id is 1 to 255 characters, or a safe integer", () => {
  it("an id of exactly 255 characters verifies; 256 is malformed", async () => {
    const id = "u".repeat(255);
    expect(await verify(hashClaim(id))).toMatchObject({ status: "verified", userId: id });
    expect(await verify(hashClaim(id + "u"))).toMatchObject({ status: "rejected", reason: "malformed", proof: "hash" });
  });
  it("the largest safe integer is an id; the next is not", async () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(await verify({ userId: big, userHash: hex(HASH_KEY.secret, String(big)) })).toMatchObject({ status: "verified", userId: "9007199254740991" });
    expect(await verify({ userId: big + 1, userHash: hex(HASH_KEY.secret, String(big + 1)) })).toMatchObject({ status: "rejected", reason: "malformed" });
  });
});

describe("display hints: text only, control characters dropped, at most 255 characters", () => {
  it("a 300-character name is cut to its first 255", async () => {
    const name = "N".repeat(200) + "m".repeat(100);
    const v = await verify(hashClaim("u_42", { name, email: "e".repeat(300) }));
    expect(v).toMatchObject({ status: "verified", name: name.slice(0, 255), email: "e".repeat(255) });
  });
  it.each([
    ["a number", 42],
    ["an object", { first: "Ada" }],
    ["an empty string", ""],
    ["only control characters", "\u0000\n\t\u007f"],
  ])("a name or email that is %s is no hint at all", async (_label, hint) => {
    const v = await verify(hashClaim("u_42", { name: hint, email: hint }));
    expect(v).toMatchObject({ status: "verified", userId: "u_42" });
    expect(v.name).toBeUndefined();
    expect(v.email).toBeUndefined();
  });
  it("the same rules hold for a signed payload's and a token's name and email", async () => {
    const long = "A".repeat(256);
    const p = await verify(payloadClaim({ id: "u_42", name: long, email: 7 }));
    expect(p).toMatchObject({ status: "verified", proof: "payload", name: "A".repeat(255) });
    expect(p.email).toBeUndefined();
    const t = await verify({ token: hmacToken(claims({ name: "\n", email: "a\u0000@example.com" })) });
    expect(t).toMatchObject({ status: "verified", proof: "token", email: "a@example.com" });
    expect(t.name).toBeUndefined();
  });
  it("hints of a bare userId in mode optional are cleaned the same way", async () => {
    const v = await verify({ userId: "u_42", name: "\u0007", email: "x".repeat(256) }, { mode: "optional" });
    expect(v).toEqual({ status: "unverified", userId: "u_42", email: "x".repeat(255) });
  });
});
