// The integration doctor names the likeliest mistake behind a failed proof.
import { createHmac } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createToken, signPayload, userHash } from "../../server/sign.ts";
import { diagnose } from "../../server/verify/diagnose.ts";
import type { VerifyContext } from "../../server/verify/verify.ts";
import { everyKind } from "../support/keys.ts";

const SECRET = "pk_doctor_current";
const OLD = "pk_doctor_revoked";
const OTHER = "pk_doctor_other_app";
const NOW = 1_800_000_000;
const ctx: VerifyContext = {
  appId: "app_doc",
  mode: "required",
  now: NOW,
  keys: [...everyKind({ id: "key_cur", secret: SECRET, revoked: false }), ...everyKind({ id: "key_old", secret: OLD, revoked: true })],
};
const others = [{ appId: "app_other", keys: everyKind({ id: "key_o", secret: OTHER, revoked: false }) }];
const cause = async (claim: unknown) => (await diagnose(claim, ctx, others)).cause;
const raw = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest();

describe("user hash", () => {
  it("says so when the proof is good", async () => {
    const d = await diagnose({ userId: "u_1", userHash: userHash(SECRET, "u_1") }, ctx, others);
    expect(d.ok).toBe(true);
    expect(d.cause).toMatch(/verified as user "u_1"/);
  });
  it.each([
    ["a trailing space", "u_1 ", /trailing space/],
    ["a JSON-quoted id", '"u_1"', /JSON string/],
    ["a number that changed the text", "1", /as a number/],
  ])("hashed %s", async (_, hashed, expected) => {
    const id = hashed === "1" ? "01" : "u_1";
    expect(await cause({ userId: id, userHash: userHash(SECRET, hashed) })).toMatch(expected);
  });
  it("hashed the email instead of the id", async () => {
    expect(await cause({ userId: "u_1", email: "ada@example.com", userHash: userHash(SECRET, "ada@example.com") })).toMatch(/email instead of their id/);
  });
  it("base64 instead of hex, and upper-case hex", async () => {
    expect(await cause({ userId: "u_1", userHash: raw(SECRET, "u_1").toString("base64") })).toMatch(/base64/);
    expect(await cause({ userId: "u_1", userHash: raw(SECRET, "u_1").toString("hex").toUpperCase() })).toMatch(/upper-case hex/);
  });
  it("a revoked key, and another app's key", async () => {
    expect(await cause({ userId: "u_1", userHash: userHash(OLD, "u_1") })).toMatch(/revoked/);
    expect(await cause({ userId: "u_1", userHash: userHash(OTHER, "u_1") })).toMatch(/another app \(app_other\)/);
  });
  it("a wrong secret altogether", async () => {
    expect(await cause({ userId: "u_1", userHash: userHash("pk_unknown", "u_1") })).toMatch(/none of this app's keys/);
  });
});

describe("signed payload", () => {
  it("signed one serialisation, sent another", async () => {
    const signed = signPayload(SECRET, { id: "u_1", plan: "pro" });
    expect(await cause({ payload: JSON.stringify({ id: "u_1", plan: "pro" }, null, 2), signature: signed.signature })).toMatch(/different serialisation/);
  });
});

describe("token", () => {
  it("expired, with when", async () => {
    const token = createToken(SECRET, { sub: "u_1", app: "app_doc", iat: NOW - 7200, ttl: 3600 });
    expect(await cause({ token })).toMatch(/expired at 2027-01-15T07:00:00.000Z/);
  });
  it("for another app", async () => {
    expect(await cause({ token: createToken(SECRET, { sub: "u_1", app: "app_other", iat: NOW }) })).toMatch(/for app "app_other", not app_doc/);
  });
  it("signed with another app's key", async () => {
    expect(await cause({ token: createToken(OTHER, { sub: "u_1", app: "app_doc", iat: NOW }) })).toMatch(/another app \(app_other\)/);
  });
  it("the wrong algorithm", async () => {
    const hs512 = await new SignJWT({ sub: "u_1", app: "app_doc", iat: NOW, exp: NOW + 60 }).setProtectedHeader({ alg: "HS512" }).sign(new TextEncoder().encode(SECRET));
    expect(await cause({ token: hs512 })).toMatch(/"HS512"; Parley accepts HS256 only/);
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"u_1"}').toString("base64url")}.`;
    expect(await cause({ token: none })).toMatch(/"none"/);
  });
});

describe("a MAC made with a key of another kind", () => {
  // One key of each kind, each its own secret, as `parley key create --proof …` makes them.
  const kinds: VerifyContext = {
    appId: "app_doc",
    mode: "required",
    now: NOW,
    keys: [
      { id: "key_h", secret: "pk_doc_hash", revoked: false, proof: "hash" },
      { id: "key_p", secret: "pk_doc_payload", revoked: false, proof: "payload" },
      { id: "key_t", secret: "pk_doc_token", revoked: false, proof: "token" },
    ],
  };
  const causeIn = async (claim: unknown, ctx = kinds) => (await diagnose(claim, ctx)).cause;

  it("a token signed with the hash key: names the key and the rule", async () => {
    const token = createToken("pk_doc_hash", { sub: "u_1", app: "app_doc", iat: NOW });
    expect(await causeIn({ token })).toMatch(/made with your hash key \(key_h\); keys sign one kind of proof, and this is a token/);
  });
  it("a signed payload made with the token key", async () => {
    expect(await causeIn(signPayload("pk_doc_token", { id: "u_1" }))).toMatch(/your token key \(key_t\).*signed payload/);
  });
  it("a user hash made with the payload key", async () => {
    expect(await causeIn({ userId: "u_1", userHash: userHash("pk_doc_payload", "u_1") })).toMatch(/your payload key \(key_p\)/);
  });
  it("an app with no key of the claim's kind says which kind to create", async () => {
    const onlyHash = { ...kinds, keys: kinds.keys.filter((k) => k.proof === "hash") };
    expect(await causeIn(signPayload("pk_unknown", { id: "u_1" }), onlyHash)).toMatch(/no payload key/);
    expect((await diagnose(signPayload("pk_unknown", { id: "u_1" }), onlyHash)).advice).toMatch(/--proof payload/);
  });
});

describe("times that are not seconds, and signed payload limits", () => {
  it("a token whose exp is in microseconds is explained, never a crash", async () => {
    const json = JSON.stringify({ sub: "u_1", app: "app_doc", iat: NOW * 1e6, exp: (NOW + 60) * 1e6 });
    const token = `${Buffer.from(json).toString("base64url")}.${raw(SECRET, json).toString("base64url")}`;
    expect(await cause({ token })).toMatch(/not a time in seconds/);
  });
  it("exp = 1e400 is explained, never a RangeError from the date", async () => {
    const json = `{"sub":"u_1","app":"app_doc","iat":${NOW},"exp":1e400}`;
    const token = `${Buffer.from(json).toString("base64url")}.${raw(SECRET, json).toString("base64url")}`;
    const d = await diagnose({ token }, ctx, others);
    expect(d.verdict).toMatchObject({ status: "rejected", reason: "malformed" });
    expect(d.cause).toMatch(/not a time in seconds/);
  });
  it("an expired signed payload and one for another app", async () => {
    expect(await cause(signPayload(SECRET, { id: "u_1", exp: NOW - 3600 }))).toMatch(/signed payload expired at/);
    expect(await cause(signPayload(SECRET, { id: "u_1", app: "app_other" }))).toMatch(/for app "app_other", not app_doc/);
  });
});

describe("the doctor explains the kind the verifier judged", () => {
  it("an object with both a token and a payload is a token: no payload explanation", async () => {
    const signed = signPayload(SECRET, { id: "u_1", exp: NOW + 600 });
    const d = await diagnose({ token: 1, ...signed }, ctx, others);
    expect(d.verdict).toMatchObject({ status: "rejected", reason: "malformed", proof: "token" });
    expect(d.cause).not.toMatch(/payload/);
  });
  it("a payload carrying a good exp, signed in upper-case hex, is about the hex, not the exp", async () => {
    const signed = signPayload(SECRET, { id: "u_1", exp: NOW + 600 });
    expect(await cause({ ...signed, signature: signed.signature.toUpperCase() })).toMatch(/upper-case hex/);
  });
});
