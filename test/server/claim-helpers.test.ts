// contract/claim.ts on its own: which proof a claim is shaped as, whose id it names (unverified),
// and the claims text of either token form. The widget, the verifier and the doctor all read
// claims through these, so each rule is pinned here, independently of verification. Tokens are
// built with node:crypto.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { claimKind, claimSubject, keyKindFor, tokenClaimsText } from "../../contract/claim.ts";

const b64u = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const mac = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest();
const hmacToken = (json: string) => `${b64u(json)}.${b64u(mac("pk_claim_helpers", json))}`;
const jwt = (json: string) => {
  const input = `${b64u(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64u(json)}`;
  return `${input}.${b64u(mac("pk_claim_helpers", input))}`;
};

describe("claimKind: the shape decides, in the verifier's order", () => {
  it.each([
    ["a token of three dot-separated parts is a JWT", { token: "a.b.c" }, "jwt"],
    ["a token of two parts is an HMAC token", { token: "a.b" }, "token"],
    ["a token of one part is still a token (malformed later, not another kind)", { token: "abc" }, "token"],
    ["a token of four parts is a token, not a JWT", { token: "a.b.c.d" }, "token"],
    ["a non-string token is a token", { token: 123 }, "token"],
    ["an array of three strings is no JWT: only a string token can be", { token: ["a", "b", "c"] }, "token"],
    ["a token wins over a payload and a userId in the same object", { token: "a.b", payload: "{}", userId: "u_1" }, "token"],
    ["payload alone is a signed payload", { payload: '{"id":"u_1"}' }, "payload"],
    ["signature alone is a signed payload", { signature: "00" }, "payload"],
    ["payload wins over a userId", { payload: "{}", signature: "00", userId: "u_1" }, "payload"],
    ["userId alone is a hash proof", { userId: "u_1" }, "hash"],
    ["userId with a hash and hints is a hash proof", { userId: "u_1", userHash: "00", name: "Ada" }, "hash"],
  ])("%s", (_label, claim, kind) => {
    expect(claimKind(claim)).toBe(kind);
  });

  it.each([
    ["an empty object", {}],
    ["an object of unknown fields", { user: "u_1", hash: "00" }],
    ["an array", [{ userId: "u_1" }]],
    ["a string", "u_1"],
    ["null", null],
    ["undefined", undefined],
    ["a number", 42],
  ])("%s is no proof at all", (_label, claim) => {
    expect(claimKind(claim)).toBeUndefined();
  });

  it("an HMAC token and a JWT need a token key; each other kind its own", () => {
    expect(keyKindFor("jwt")).toBe("token");
    expect(keyKindFor("token")).toBe("token");
    expect(keyKindFor("payload")).toBe("payload");
    expect(keyKindFor("hash")).toBe("hash");
  });
});

describe("claimSubject: the id a claim names, unverified", () => {
  it.each([
    ["a hash proof's userId", { userId: "u_1", userHash: "not even checked" }, "u_1"],
    ["a hash proof's numeric userId, as its decimal text", { userId: 42 }, "42"],
    ["a payload's id", { payload: '{"id":"u_1","sub":"u_sub"}', signature: "x" }, "u_1"],
    ["a payload's sub when it has no id", { payload: '{"sub":"u_sub"}', signature: "x" }, "u_sub"],
    ["a payload's numeric id", { payload: '{"id":7}' }, "7"],
    ["an HMAC token's sub", { token: hmacToken('{"sub":"u_tok","id":"u_not_this"}') }, "u_tok"],
    ["a JWT's sub (its second part)", { token: jwt('{"sub":"u_jwt"}') }, "u_jwt"],
  ])("%s", (_label, claim, subject) => {
    expect(claimSubject(claim)).toBe(subject);
  });

  it.each([
    ["no claim", undefined],
    ["an object that is no proof", { user: "u_1" }],
    ["a hash proof whose userId is an object", { userId: { id: "u_1" } }],
    ["a hash proof whose userId is a boolean", { userId: true }],
    ["a hash proof whose userId is Infinity", { userId: Infinity }],
    ["a hash proof whose userId is NaN", { userId: Number.NaN }],
    ["a payload that is not JSON", { payload: "id=u_1" }],
    ["a payload that is a JSON array", { payload: '["u_1"]' }],
    ["a payload that is not a string", { payload: { id: "u_1" } }],
    // An array holding the JSON text would parse once coerced to a string: it is still not text.
    ["a payload that is an array holding JSON text", { payload: ['{"id":"u_1"}'] }],
    ["a payload that is a number", { payload: 42 }],
    ["a payload naming neither id nor sub", { payload: '{"name":"Ada"}' }],
    ["a payload whose id is an object", { payload: '{"id":{"x":1}}' }],
    ["a token whose claims are not base64url", { token: "!!!.mac" }],
    ["a token whose claims have no sub", { token: hmacToken('{"id":"u_1"}') }],
    ["a token that is not a string", { token: 42 }],
  ])("%s names nobody", (_label, claim) => {
    expect(claimSubject(claim)).toBeUndefined();
  });
});

describe("tokenClaimsText: the claims JSON of either token form, unverified", () => {
  it("an HMAC token's claims are its first part", () => {
    expect(tokenClaimsText(hmacToken('{"sub":"u_1"}'))).toBe('{"sub":"u_1"}');
  });

  it("a JWT's claims are its second part, not its header", () => {
    expect(tokenClaimsText(jwt('{"sub":"u_1"}'))).toBe('{"sub":"u_1"}');
  });

  it("base64url's own letters (- and _) decode as + and / would in base64", () => {
    const json = '{"sub":"~~~?"}';
    expect(b64u(json)).toMatch(/-/);
    expect(b64u(json)).toMatch(/_/);
    expect(tokenClaimsText(`${b64u(json)}.x`)).toBe(json);
  });

  it.each([
    ["a number", 42],
    ["undefined", undefined],
    ["an object", { sub: "u_1" }],
  ])("a token that is %s has no claims text: exactly the empty string, never a throw", (_label, token) => {
    expect(tokenClaimsText(token)).toBe("");
  });

  it.each([
    ["characters outside base64url", "!!!.x"],
    ["a base64 length that cannot be (one character)", "e.x"],
  ])("a token with %s reads as the empty string", (_label, token) => {
    expect(tokenClaimsText(token)).toBe("");
  });
});
