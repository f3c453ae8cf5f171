// server/sign.ts: what a customer's backend computes. Every helper's output must be a proof that
// verifyClaim accepts, and tokens must respect the contract's lifetime rules.
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createJwt, createToken, signPayload, userHash } from "../../server/sign.ts";
import { verifyClaim, type VerifyContext } from "../../server/verify/verify.ts";
import { everyKind } from "../support/keys.ts";

const NOW = 1_700_000_000;
const APP = "app_sign_test";
const SECRET = "pk_sign-test-secret-0123456789";
const ctx = (over: Partial<VerifyContext> = {}): VerifyContext => ({
  appId: APP,
  mode: "required",
  keys: everyKind({ id: "key_sign", secret: SECRET, revoked: false }),
  now: NOW,
  ...over,
});
const hmacTokenClaims = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")) as Record<string, unknown>;

afterEach(() => {
  vi.useRealTimers();
});

describe("userHash", () => {
  it("is 64 lower-case hex characters and verifies", async () => {
    const userId = "u_42";
    const hash = userHash(SECRET, userId);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyClaim({ userId, userHash: hash }, ctx())).toMatchObject({ status: "verified", proof: "hash", userId, keyId: "key_sign" });
  });

  it("verifies non-ASCII and numeric ids", async () => {
    for (const userId of ["Zoë", "用户🙂"]) {
      expect(await verifyClaim({ userId, userHash: userHash(SECRET, userId) }, ctx())).toMatchObject({ status: "verified", userId });
    }
    // A backend passing a number gets the hash of its decimal text.
    const hash = userHash(SECRET, 42 as unknown as string);
    expect(hash).toBe(userHash(SECRET, "42"));
    expect(await verifyClaim({ userId: 42, userHash: hash }, ctx())).toMatchObject({ status: "verified", userId: "42" });
  });

  it("does not verify under another secret", async () => {
    expect(await verifyClaim({ userId: "u_42", userHash: userHash("pk_other", "u_42") }, ctx())).toMatchObject({ status: "rejected", reason: "bad_signature" });
  });
});

describe("signPayload", () => {
  it("an object is signed as its compact JSON and verifies with every field", async () => {
    const claim = signPayload(SECRET, { id: "u_42", plan: "pro", email: "ada@example.com" });
    expect(claim.payload).toBe('{"id":"u_42","plan":"pro","email":"ada@example.com"}');
    expect(claim.signature).toMatch(/^[0-9a-f]{64}$/);
    const v = await verifyClaim(claim, ctx());
    expect(v).toMatchObject({ status: "verified", proof: "payload", userId: "u_42", email: "ada@example.com" });
    expect(v.data).toEqual({ id: "u_42", plan: "pro", email: "ada@example.com" });
  });

  it("a string is signed exactly as given, whitespace included", async () => {
    const text = '{ "sub": "u_7", "plan": "team" }';
    const claim = signPayload(SECRET, text);
    expect(claim.payload).toBe(text);
    expect(await verifyClaim(claim, ctx())).toMatchObject({ status: "verified", userId: "u_7" });
    expect(await verifyClaim({ ...claim, payload: JSON.stringify(JSON.parse(text)) }, ctx())).toMatchObject({ status: "rejected", reason: "bad_signature" });
  });
});

describe("createToken (HMAC token)", () => {
  it("verifies, with the extra claims as verified data", async () => {
    const token = createToken(SECRET, { sub: "u_42", app: APP, iat: NOW - 5, claims: { plan: "pro", name: "Ada" } });
    expect(token.split(".")).toHaveLength(2);
    const v = await verifyClaim({ token }, ctx());
    expect(v).toMatchObject({ status: "verified", proof: "token", userId: "u_42", name: "Ada" });
    expect(v.data).toMatchObject({ plan: "pro" });
  });

  it("defaults to a 1 h lifetime", () => {
    const c = hmacTokenClaims(createToken(SECRET, { sub: "u_42", app: APP, iat: NOW }));
    expect(c).toMatchObject({ sub: "u_42", app: APP, iat: NOW, exp: NOW + 3600 });
  });

  it("defaults iat to the current time", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(NOW * 1000 + 999));
    const c = hmacTokenClaims(createToken(SECRET, { sub: "u_42", app: APP }));
    expect(c).toMatchObject({ iat: NOW, exp: NOW + 3600 });
  });

  it("accepts a lifetime of exactly 24 h and refuses more, zero or negative", async () => {
    const token = createToken(SECRET, { sub: "u_42", app: APP, iat: NOW, ttl: 86_400 });
    expect(hmacTokenClaims(token).exp).toBe(NOW + 86_400);
    expect(await verifyClaim({ token }, ctx())).toMatchObject({ status: "verified" });
    for (const ttl of [86_401, 7 * 86_400, 0, -1, Number.NaN]) {
      expect(() => createToken(SECRET, { sub: "u_42", app: APP, iat: NOW, ttl })).toThrow(RangeError);
    }
  });

  it("extra claims cannot override sub, app, iat or exp", () => {
    const c = hmacTokenClaims(createToken(SECRET, { sub: "u_42", app: APP, iat: NOW, claims: { sub: "admin", app: "app_x", iat: 0, exp: 9e9 } }));
    expect(c).toMatchObject({ sub: "u_42", app: APP, iat: NOW, exp: NOW + 3600 });
  });

  it("an issued token expires after its lifetime (plus the 60 s skew)", async () => {
    const token = createToken(SECRET, { sub: "u_42", app: APP, iat: NOW });
    expect(await verifyClaim({ token }, ctx({ now: NOW + 3600 + 59 }))).toMatchObject({ status: "verified" });
    expect(await verifyClaim({ token }, ctx({ now: NOW + 3600 + 60 }))).toMatchObject({ status: "rejected", reason: "expired" });
  });
});

describe("createJwt (HS256 JWT)", () => {
  it("is an HS256 JWT that verifies, with the extra claims as verified data", async () => {
    const token = await createJwt(SECRET, { sub: "u_42", app: APP, iat: NOW - 5, claims: { plan: "pro" } });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    const v = await verifyClaim({ token }, ctx());
    expect(v).toMatchObject({ status: "verified", proof: "jwt", userId: "u_42" });
    expect(v.data).toMatchObject({ plan: "pro" });
  });

  it("defaults to a 1 h lifetime and to the current time", async () => {
    expect(decodeJwt(await createJwt(SECRET, { sub: "u_42", app: APP, iat: NOW }))).toMatchObject({ iat: NOW, exp: NOW + 3600 });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(NOW * 1000));
    expect(decodeJwt(await createJwt(SECRET, { sub: "u_42", app: APP }))).toMatchObject({ iat: NOW, exp: NOW + 3600 });
  });

  it("accepts exactly 24 h and refuses a longer lifetime", async () => {
    expect(decodeJwt(await createJwt(SECRET, { sub: "u_42", app: APP, iat: NOW, ttl: 86_400 })).exp).toBe(NOW + 86_400);
    expect(() => createJwt(SECRET, { sub: "u_42", app: APP, iat: NOW, ttl: 86_401 })).toThrow(RangeError);
    expect(() => createJwt(SECRET, { sub: "u_42", app: APP, iat: NOW, ttl: 0 })).toThrow(RangeError);
  });

  it("is wrong_app for another app and bad_signature under another secret", async () => {
    const token = await createJwt(SECRET, { sub: "u_42", app: APP, iat: NOW });
    expect(await verifyClaim({ token }, ctx({ appId: "app_other" }))).toMatchObject({ status: "rejected", reason: "wrong_app" });
    expect(await verifyClaim({ token }, ctx({ keys: everyKind({ id: "k", secret: "pk_other", revoked: false }) }))).toMatchObject({ status: "rejected", reason: "bad_signature" });
  });
});
