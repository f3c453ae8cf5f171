// policy/attributes.ts: what a verdict vouches for about its user — the verified attributes a
// contact keeps, and the hints kept apart. Pure: verdicts in, no database.
import { describe, expect, it } from "vitest";
import { contactHints, verifiedAttributes } from "../../server/policy/attributes.ts";
import type { Verdict } from "../../server/verify/verify.ts";

const verified = (proof: Verdict["proof"], data?: Record<string, unknown>, extra: Partial<Verdict> = {}): Verdict => ({ status: "verified", proof, userId: "u_1", data, ...extra });

describe("verifiedAttributes", () => {
  it("a signed payload: every field but the id", () => {
    expect(verifiedAttributes(verified("payload", { id: "u_1", name: "Ada", email: "ada@example.com", plan: "pro", seats: 3, exp: 1 }))).toEqual({
      name: "Ada",
      email: "ada@example.com",
      plan: "pro",
      seats: 3,
      exp: 1,
    });
  });

  it("a payload naming its user with sub: every field but sub (then `id` is not there)", () => {
    expect(verifiedAttributes(verified("payload", { sub: "u_1", plan: "pro" }))).toEqual({ plan: "pro" });
  });

  it("a token (HMAC or JWT): every claim but the registered ones", () => {
    const claims = { sub: "u_1", iat: 1, exp: 2, nbf: 1, app: "app_1", project_key: "app_1", aud: "x", iss: "y", jti: "z", plan: "pro", company: "acme" };
    for (const proof of ["token", "jwt"] as const) expect(verifiedAttributes(verified(proof, claims))).toEqual({ plan: "pro", company: "acme" });
  });

  it("a user hash proves the id alone: no attributes, whatever the claim carried", () => {
    expect(verifiedAttributes(verified("hash", undefined, { name: "Ada", email: "ada@example.com" }))).toEqual({});
  });

  it("a user hash vouches for no attribute even with data beside it; a token without data, none either", () => {
    expect(verifiedAttributes(verified("hash", { plan: "pro" }))).toEqual({});
    expect(verifiedAttributes(verified("token"))).toEqual({});
  });

  it("numbers, booleans and null as signed; nested objects kept; a field whose value is cut is not there at all", () => {
    const nest = (levels: number): unknown => (levels === 0 ? "leaf" : { a: nest(levels - 1) });
    const attributes = verifiedAttributes(verified("token", { sub: "u_1", seats: 3, beta: false, none: null, org: { name: "acme", size: { n: 5 } }, ok: nest(16), cut: nest(17) }))!;
    expect(attributes).toMatchObject({ seats: 3, beta: false, none: null, org: { name: "acme", size: { n: 5 } } });
    // Sixteen levels of objects are kept; the seventeenth is not, and leaves no key behind.
    expect(JSON.stringify(attributes.ok)).toContain("leaf");
    expect(JSON.stringify(attributes.cut)).not.toContain("leaf");
    let innermost = attributes.cut as Record<string, unknown>;
    for (let i = 0; i < 15; i++) innermost = innermost.a as Record<string, unknown>;
    expect(Object.keys(innermost)).toEqual([]);
  });

  it("nothing at all for anything not verified: it vouches for nothing", () => {
    expect(verifiedAttributes({ status: "anonymous" })).toBeUndefined();
    expect(verifiedAttributes({ status: "unverified", userId: "u_1", name: "Ada" })).toBeUndefined();
    expect(verifiedAttributes({ status: "rejected", reason: "bad_signature", proof: "payload", data: { id: "u_1", plan: "pro" } })).toBeUndefined();
  });

  it("kept as storage can hold it: no U+0000 or lone surrogate in names or texts, deep nesting cut, __proto__ an own field", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 40; i++) deep = [deep];
    const data = JSON.parse('{"id":"u_1","__proto__":{"x":1},"nul\\u0000name":"a\\u0000b","lone":"\\ud800x","pair":"\\ud83d\\ude00","list":[1,"\\u0000"]}');
    const attributes = verifiedAttributes(verified("payload", { ...data, deep }))!;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(attributes, "__proto__")).toBe(true);
    expect(attributes.nulname).toBe("ab");
    expect(attributes.lone).toBe("\ufffdx");
    expect(attributes.pair).toBe("😀");
    expect(attributes.list).toEqual([1, ""]);
    expect(JSON.stringify(attributes.deep).length).toBeLessThan(60);
  });
});

describe("contactHints", () => {
  it("a verified user hash's name and email, as the page gave them", () => {
    expect(contactHints(verified("hash", undefined, { name: "Ada", email: "ada@example.com" }))).toEqual({ name: "Ada", email: "ada@example.com" });
    expect(contactHints(verified("hash"))).toEqual({});
  });

  it("none from a payload or token (their name and email are verified attributes) or from anything not verified", () => {
    expect(contactHints(verified("payload", { id: "u_1", name: "Ada" }, { name: "Ada" }))).toBeUndefined();
    expect(contactHints({ status: "unverified", userId: "u_1", name: "Mallory" })).toBeUndefined();
    expect(contactHints({ status: "rejected", reason: "bad_signature" })).toBeUndefined();
    // A rejected user hash still says it was one: its name is no hint of anything.
    expect(contactHints({ status: "rejected", reason: "bad_signature", proof: "hash", userId: "u_1", name: "Mallory" })).toBeUndefined();
  });
});
