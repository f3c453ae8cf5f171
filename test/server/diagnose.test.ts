// The integration doctor names the likeliest mistake behind a failed proof.
import { createHmac } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createToken, signPayload, userHash } from "../../server/sign.ts";
import { diagnose } from "../../server/verify/diagnose.ts";
import type { VerifyContext } from "../../server/verify/verify.ts";

const SECRET = "pk_doctor_current";
const OLD = "pk_doctor_revoked";
const OTHER = "pk_doctor_other_app";
const NOW = 1_800_000_000;
const ctx: VerifyContext = {
  appId: "app_doc",
  mode: "required",
  now: NOW,
  keys: [
    { id: "key_cur", secret: SECRET, revoked: false },
    { id: "key_old", secret: OLD, revoked: true },
  ],
};
const others = [{ appId: "app_other", keys: [{ id: "key_o", secret: OTHER, revoked: false }] }];
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
