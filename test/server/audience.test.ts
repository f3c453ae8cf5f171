// policy/audience.ts: who sees an announcement. Pure: an audience and the request's own verified
// attributes in, yes or no out — no database, no server.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { audienceMatches } from "../../server/policy/audience.ts";

describe("audienceMatches", () => {
  it("no audience (absent, null or empty) is everyone, whatever the claim verified, nothing included", () => {
    for (const audience of [undefined, null, {}]) {
      expect(audienceMatches(audience, undefined)).toBe(true);
      expect(audienceMatches(audience, {})).toBe(true);
      expect(audienceMatches(audience, { plan: "free" })).toBe(true);
    }
  });

  it("an audience is nobody's when the claim verified nothing (anonymous, unverified, rejected)", () => {
    expect(audienceMatches({ plan: ["pro"] }, undefined)).toBe(false);
  });

  it("any listed value matches", () => {
    const audience = { plan: ["pro", "enterprise"] };
    expect(audienceMatches(audience, { plan: "pro" })).toBe(true);
    expect(audienceMatches(audience, { plan: "enterprise" })).toBe(true);
    expect(audienceMatches(audience, { plan: "free" })).toBe(false);
    expect(audienceMatches(audience, {})).toBe(false);
  });

  it("every key must match", () => {
    const audience = { plan: ["pro"], company: ["acme"] };
    expect(audienceMatches(audience, { plan: "pro", company: "acme", extra: "x" })).toBe(true);
    expect(audienceMatches(audience, { plan: "pro" })).toBe(false);
    expect(audienceMatches(audience, { plan: "pro", company: "globex" })).toBe(false);
    expect(audienceMatches(audience, { company: "acme" })).toBe(false);
  });

  it("values compare as text: numbers and booleans as they print; no case folding, no trimming", () => {
    expect(audienceMatches({ seats: ["10"] }, { seats: 10 })).toBe(true);
    expect(audienceMatches({ beta: ["true"] }, { beta: true })).toBe(true);
    expect(audienceMatches({ beta: ["true"] }, { beta: "true" })).toBe(true);
    expect(audienceMatches({ beta: ["true"] }, { beta: false })).toBe(false);
    expect(audienceMatches({ plan: ["pro"] }, { plan: "Pro" })).toBe(false);
    expect(audienceMatches({ plan: ["pro"] }, { plan: " pro" })).toBe(false);
  });

  it("a list attribute matches when any of its items does; objects and null never match", () => {
    expect(audienceMatches({ role: ["admin"] }, { role: ["member", "admin"] })).toBe(true);
    expect(audienceMatches({ role: ["admin"] }, { role: ["member"] })).toBe(false);
    expect(audienceMatches({ role: ["admin"] }, { role: [["admin"]] })).toBe(false);
    expect(audienceMatches({ plan: ["[object Object]"] }, { plan: { name: "pro" } })).toBe(false);
    expect(audienceMatches({ plan: ["null"] }, { plan: null })).toBe(false);
  });

  it("only the attributes' own fields count: not Object.prototype's", () => {
    const attributes = JSON.parse('{"plan":"free"}');
    expect(audienceMatches({ constructor: ["function Object() { [native code] }"] }, attributes)).toBe(false);
    expect(audienceMatches({ toString: ["function toString() { [native code] }"] }, attributes)).toBe(false);
    expect(audienceMatches({ __proto__: ["[object Object]"] } as never, attributes)).toBe(true); // a literal __proto__ sets no key: no audience
  });

  it("property: an attribute set holding a listed value for every key matches; removing any key's match does not", () => {
    const text = fc.string({ minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.dictionary(text, fc.array(text, { minLength: 1, maxLength: 4 }), { minKeys: 1, maxKeys: 5 }), fc.nat(), (audience, pick) => {
        const names = Object.keys(audience);
        const attributes: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, audience[n]![pick % audience[n]!.length]]));
        expect(audienceMatches(audience, attributes)).toBe(true);
        const dropped = names[pick % names.length]!;
        const without = { ...attributes, [dropped]: "\u0000not listed" };
        expect(audienceMatches(audience, without)).toBe(false);
      }),
    );
  });
});
