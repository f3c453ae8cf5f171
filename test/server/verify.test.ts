// verifyClaim: every verdict and reject reason of the contract ("The three proofs", "Server
// verdict"), with a fixed clock. Proofs are built here with node:crypto, independently of
// server/sign.ts, so a shared mistake in the signing helpers cannot hide a verifier bug.
import { createHmac } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { claimKind, keyKindFor, type KeyKind } from "../../contract/claim.ts";
import { verifyClaim, type Mode, type VerifyContext } from "../../server/verify/verify.ts";
import type { VerifyKey } from "../../server/verify/keys.ts";

const NOW = 1_700_000_000;
const APP = "app_verify_test";
/** A key whose kind, unless given, is the kind of the claim under test (see `verify`). */
type TestKey = Omit<VerifyKey, "proof"> & { proof?: KeyKind };
const K1: TestKey = { id: "key_one", secret: "pk_first-secret-0123456789abcdef", revoked: false };
const K2: TestKey = { id: "key_two", secret: "pk_second-secret-fedcba9876543210", revoked: false };
const KR: TestKey = { id: "key_old", secret: "pk_revoked-secret-aaaaaaaaaaaaaaa", revoked: true };
const OTHER = "pk_not-a-key-of-this-app-000000000";

type Over = Omit<Partial<VerifyContext>, "keys"> & { keys?: TestKey[] };
const ctx = (over: Over = {}, kind: KeyKind = "hash"): VerifyContext => ({ appId: APP, mode: "required", now: NOW, ...over, keys: (over.keys ?? [K1]).map((k) => ({ proof: kind, ...k })) });
/**
 * Verifies with keys of the claim's own kind unless a key names its kind: every rule below but
 * the kinds' own is about one proof and its keys. "A key verifies only its own kind" is tested apart.
 */
const verify = (claim: unknown, over: Over = {}) => {
  const kind = claimKind(claim);
  return verifyClaim(claim, ctx(over, kind ? keyKindFor(kind) : "hash"));
};

// ---- independent proof builders ----------------------------------------------------------
const mac = (secret: string, data: string | Buffer) => createHmac("sha256", Buffer.from(secret, "utf8")).update(data).digest();
const hexMac = (secret: string, text: string) => mac(secret, Buffer.from(text, "utf8")).toString("hex");
const b64u = (data: string | Buffer) => Buffer.from(data).toString("base64url");

const hashClaim = (secret: string, userId: string, extra: Record<string, unknown> = {}) => ({ userId, userHash: hexMac(secret, userId), ...extra });
const payloadClaim = (secret: string, payload: string) => ({ payload, signature: hexMac(secret, payload) });
/** The HMAC token: base64url(json) "." base64url(HMAC(secret, json)), the MAC over the JSON text. */
const hmacToken = (secret: string, claims: Record<string, unknown> | string) => {
  const json = typeof claims === "string" ? claims : JSON.stringify(claims);
  return `${b64u(json)}.${mac(secret, Buffer.from(json, "utf8")).toString("base64url")}`;
};
/** A JWT assembled by hand, so headers jose would refuse to sign (alg none, RS256) can be built. */
const jwt = (secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "HS256", typ: "JWT" }) => {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${mac(secret, input).toString("base64url")}`;
};
const claims = (over: Record<string, unknown> = {}) => ({ sub: "u_42", app: APP, iat: NOW - 10, exp: NOW - 10 + 3600, ...over });

type ProofKind = "hash" | "payload" | "token" | "jwt";
/** A good proof of each kind for user u_42, signed with `secret`. */
const proofs: Record<ProofKind, (secret: string) => unknown> = {
  hash: (s) => hashClaim(s, "u_42"),
  payload: (s) => payloadClaim(s, JSON.stringify({ id: "u_42", plan: "pro" })),
  token: (s) => ({ token: hmacToken(s, claims()) }),
  jwt: (s) => ({ token: jwt(s, claims()) }),
};
const KINDS = Object.keys(proofs) as ProofKind[];

describe("anonymous", () => {
  it.each([undefined, null])("no claim (%s) is anonymous, with no reason and no user", async (claim) => {
    expect(await verify(claim)).toEqual({ status: "anonymous" });
  });
});

describe("verified, one test per proof", () => {
  it("hash: { userId, userHash } with name and email as unverified display hints", async () => {
    const v = await verify(hashClaim(K1.secret, "u_42", { name: "Ada", email: "ada@example.com" }));
    expect(v).toMatchObject({ status: "verified", proof: "hash", userId: "u_42", name: "Ada", email: "ada@example.com", keyId: K1.id });
    expect(v.reason).toBeUndefined();
    // Only userId is vouched for by the hash: nothing lands in the verified data.
    expect(v.data).toBeUndefined();
  });

  it("signed payload: { payload, signature }, every field verified", async () => {
    const payload = JSON.stringify({ id: "u_42", name: "Ada", email: "ada@example.com", plan: "pro" });
    const v = await verify(payloadClaim(K1.secret, payload));
    expect(v).toMatchObject({ status: "verified", proof: "payload", userId: "u_42", name: "Ada", email: "ada@example.com", keyId: K1.id });
    expect(v.data).toEqual({ id: "u_42", name: "Ada", email: "ada@example.com", plan: "pro" });
  });

  it("signed payload may name the user by sub instead of id", async () => {
    const v = await verify(payloadClaim(K1.secret, JSON.stringify({ sub: "u_7" })));
    expect(v).toMatchObject({ status: "verified", proof: "payload", userId: "u_7" });
  });

  it("HMAC token: base64url(json).base64url(mac)", async () => {
    const v = await verify({ token: hmacToken(K1.secret, claims({ plan: "pro", name: "Ada" })) });
    expect(v).toMatchObject({ status: "verified", proof: "token", userId: "u_42", name: "Ada", keyId: K1.id });
    expect(v.data).toMatchObject({ plan: "pro", sub: "u_42", app: APP });
  });

  it("HS256 JWT (hand-built)", async () => {
    const v = await verify({ token: jwt(K1.secret, claims({ plan: "pro" })) });
    expect(v).toMatchObject({ status: "verified", proof: "jwt", userId: "u_42", keyId: K1.id });
    expect(v.data).toMatchObject({ plan: "pro" });
  });

  it("HS256 JWT signed by jose", async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(K1.secret));
    expect(await verify({ token })).toMatchObject({ status: "verified", proof: "jwt", userId: "u_42" });
  });

  it("a numeric sub in a token is read as its decimal text", async () => {
    expect(await verify({ token: hmacToken(K1.secret, claims({ sub: 1234 })) })).toMatchObject({ status: "verified", userId: "1234" });
    expect(await verify({ token: jwt(K1.secret, claims({ sub: 1234 })) })).toMatchObject({ status: "verified", userId: "1234" });
  });
});

describe("hash proof: the HMAC is over the UTF-8 text of the id string", () => {
  it.each(["Zoë", "用户-42", "emoji-🙂-user", "Ærøskøbing ß"])("non-ASCII user id %s verifies", async (id) => {
    expect(await verify(hashClaim(K1.secret, id))).toMatchObject({ status: "verified", userId: id });
  });

  it("a hash over another encoding of the same id (Latin-1, UTF-16) is a bad signature", async () => {
    const id = "Zoë";
    for (const encoding of ["latin1", "utf16le"] as const) {
      const userHash = mac(K1.secret, Buffer.from(id, encoding)).toString("hex");
      expect(await verify({ userId: id, userHash })).toMatchObject({ status: "rejected", reason: "bad_signature" });
    }
  });

  it("the id is hashed exactly as sent: NFC and NFD forms are different users", async () => {
    const nfc = "Zo\u00eb";
    const nfd = "Zoe\u0308";
    expect(await verify({ userId: nfd, userHash: hexMac(K1.secret, nfc) })).toMatchObject({ status: "rejected", reason: "bad_signature" });
    expect(await verify({ userId: nfd, userHash: hexMac(K1.secret, nfd) })).toMatchObject({ status: "verified", userId: nfd });
  });

  it("a numeric user id is hashed as its decimal text and verified as a string", async () => {
    const v = await verify({ userId: 42, userHash: hexMac(K1.secret, "42") });
    expect(v).toMatchObject({ status: "verified", proof: "hash", userId: "42" });
    expect(typeof v.userId).toBe("string");
  });

  it("a hash for another user id is a bad signature", async () => {
    expect(await verify({ userId: "u_43", userHash: hexMac(K1.secret, "u_42") })).toMatchObject({ status: "rejected", reason: "bad_signature", proof: "hash" });
  });
});

describe("unverified and missing_proof: a bare userId", () => {
  it.each([{}, { userHash: "" }, { userHash: null }])("mode optional: unverified, carrying the user id (%o)", async (extra) => {
    const v = await verify({ userId: "u_42", name: "Ada", ...extra }, { mode: "optional" });
    expect(v).toMatchObject({ status: "unverified", userId: "u_42", name: "Ada" });
    expect(v.reason).toBeUndefined();
    expect(v.keyId).toBeUndefined();
  });

  it.each([{}, { userHash: "" }, { userHash: null }])("mode required: rejected as missing_proof, naming nobody (%o)", async (extra) => {
    const v = await verify({ userId: "u_42", ...extra }, { mode: "required" });
    expect(v).toMatchObject({ status: "rejected", reason: "missing_proof" });
    expect(v.userId).toBeUndefined();
  });

  it("mode optional still rejects a proof that fails: optional is not lenient about bad proofs", async () => {
    const v = await verify({ userId: "u_42", userHash: hexMac(OTHER, "u_42") }, { mode: "optional" });
    expect(v).toMatchObject({ status: "rejected", reason: "bad_signature" });
    expect(v.userId).toBeUndefined();
  });

  it.each<Mode>(["required", "optional"])("a good proof is verified in mode %s", async (mode) => {
    expect(await verify(hashClaim(K1.secret, "u_42"), { mode })).toMatchObject({ status: "verified" });
  });
});

describe("bad_signature", () => {
  it.each(KINDS)("%s signed with a secret the app does not have", async (kind) => {
    const v = await verify(proofs[kind](OTHER));
    expect(v).toMatchObject({ status: "rejected", reason: "bad_signature", proof: kind });
    expect(v.userId).toBeUndefined();
  });

  it("a signed payload whose text was changed after signing", async () => {
    const good = payloadClaim(K1.secret, JSON.stringify({ id: "u_42", plan: "free" }));
    const tampered = { ...good, payload: good.payload.replace("free", "pro") };
    expect(await verify(tampered)).toMatchObject({ status: "rejected", reason: "bad_signature" });
  });

  it("an HMAC token whose payload was swapped", async () => {
    const [, macPart] = hmacToken(K1.secret, claims()).split(".");
    const forged = `${b64u(JSON.stringify(claims({ sub: "admin" })))}.${macPart}`;
    expect(await verify({ token: forged })).toMatchObject({ status: "rejected", reason: "bad_signature" });
  });

  it("a JWT whose claims were swapped", async () => {
    const [h, , s] = jwt(K1.secret, claims()).split(".");
    const forged = `${h}.${b64u(JSON.stringify(claims({ sub: "admin" })))}.${s}`;
    expect(await verify({ token: forged })).toMatchObject({ status: "rejected", reason: "bad_signature", proof: "jwt" });
  });

  it("a correct hash with one hex digit changed", async () => {
    const good = hashClaim(K1.secret, "u_42");
    const last = good.userHash.at(-1) === "0" ? "1" : "0";
    expect(await verify({ ...good, userHash: good.userHash.slice(0, -1) + last })).toMatchObject({ status: "rejected", reason: "bad_signature" });
  });
});

describe("signed payload: the signature is over the exact text", () => {
  it("re-serialised JSON (with spaces) keeps the data but fails the compact text's signature", async () => {
    const compact = JSON.stringify({ id: "u_42", plan: "pro" });
    const { signature } = payloadClaim(K1.secret, compact);
    const spaced = JSON.stringify(JSON.parse(compact), null, 2);
    expect(spaced).not.toBe(compact);
    expect(JSON.parse(spaced)).toEqual(JSON.parse(compact));
    expect(await verify({ payload: spaced, signature })).toMatchObject({ status: "rejected", reason: "bad_signature", proof: "payload" });
    expect(await verify({ payload: compact, signature })).toMatchObject({ status: "verified" });
  });

  it("key order matters too: the same object with its keys reordered fails", async () => {
    const { signature } = payloadClaim(K1.secret, `{"id":"u_42","plan":"pro"}`);
    expect(await verify({ payload: `{"plan":"pro","id":"u_42"}`, signature })).toMatchObject({ status: "rejected", reason: "bad_signature" });
  });

  it("a payload signed with whitespace verifies as that exact text", async () => {
    const text = `{ "id": "u_42",\n  "plan": "pro" }`;
    expect(await verify(payloadClaim(K1.secret, text))).toMatchObject({ status: "verified", userId: "u_42", data: { plan: "pro" } });
  });
});

describe("expired, not_yet_valid, lifetime_too_long, and the 60 s clock skew", () => {
  const both = [
    ["token", (c: Record<string, unknown>) => ({ token: hmacToken(K1.secret, c) })],
    ["jwt", (c: Record<string, unknown>) => ({ token: jwt(K1.secret, c) })],
  ] as const;

  describe.each(both)("%s", (proof, make) => {
    it("expired: exp well in the past", async () => {
      const v = await verify(make(claims({ iat: NOW - 7200, exp: NOW - 3600 })));
      expect(v).toMatchObject({ status: "rejected", reason: "expired", proof });
      expect(v.userId).toBeUndefined();
    });

    it("skew at the expiry end: 59 s past exp is still accepted, 60 s past is expired", async () => {
      expect(await verify(make(claims({ iat: NOW - 3659, exp: NOW - 59 })))).toMatchObject({ status: "verified" });
      expect(await verify(make(claims({ iat: NOW - 3660, exp: NOW - 60 })))).toMatchObject({ status: "rejected", reason: "expired" });
    });

    it("skew at the issue end: iat 60 s ahead is accepted, 61 s ahead is not_yet_valid", async () => {
      expect(await verify(make(claims({ iat: NOW + 60, exp: NOW + 60 + 3600 })))).toMatchObject({ status: "verified" });
      expect(await verify(make(claims({ iat: NOW + 61, exp: NOW + 61 + 3600 })))).toMatchObject({ status: "rejected", reason: "not_yet_valid", proof });
    });

    it("not_yet_valid: iat far in the future", async () => {
      expect(await verify(make(claims({ iat: NOW + 3600, exp: NOW + 7200 })))).toMatchObject({ status: "rejected", reason: "not_yet_valid" });
    });

    it("lifetime: exactly 24 h is accepted, a second more is lifetime_too_long", async () => {
      expect(await verify(make(claims({ iat: NOW - 10, exp: NOW - 10 + 86_400 })))).toMatchObject({ status: "verified" });
      expect(await verify(make(claims({ iat: NOW - 10, exp: NOW - 10 + 86_401 })))).toMatchObject({ status: "rejected", reason: "lifetime_too_long", proof });
    });

    it("a year-long token is lifetime_too_long even though it is current", async () => {
      expect(await verify(make(claims({ iat: NOW - 10, exp: NOW + 365 * 86_400 })))).toMatchObject({ status: "rejected", reason: "lifetime_too_long" });
    });
  });
});

describe("wrong_app", () => {
  const forms = [
    ["token", (c: Record<string, unknown>) => ({ token: hmacToken(K1.secret, c) })],
    ["jwt", (c: Record<string, unknown>) => ({ token: jwt(K1.secret, c) })],
  ] as const;

  describe.each(forms)("%s", (proof, make) => {
    it("app naming another app", async () => {
      expect(await verify(make(claims({ app: "app_someone_else" })))).toMatchObject({ status: "rejected", reason: "wrong_app", proof });
    });

    it("project_key naming another app", async () => {
      const { app: _app, ...rest } = claims();
      expect(await verify(make({ ...rest, project_key: "app_someone_else" }))).toMatchObject({ status: "rejected", reason: "wrong_app" });
    });

    it("project_key equal to the app id is accepted in place of app", async () => {
      const { app: _app, ...rest } = claims();
      expect(await verify(make({ ...rest, project_key: APP }))).toMatchObject({ status: "verified", userId: "u_42" });
    });

    it("neither app nor project_key: the app claim is required", async () => {
      const { app: _app, ...rest } = claims();
      expect(await verify(make(rest))).toMatchObject({ status: "rejected", reason: "wrong_app" });
    });

    it("the same token is wrong_app for a different app", async () => {
      expect(await verify(make(claims()), { appId: "app_other" })).toMatchObject({ status: "rejected", reason: "wrong_app" });
    });
  });
});

describe("malformed", () => {
  it.each([["a string", "u_42"], ["a number", 42], ["an array", [{ userId: "u_42" }]], ["true", true], ["an empty object", {}], ["unknown fields", { user: "u_42", hash: "00" }]])(
    "a claim that is %s",
    async (_label, claim) => {
      expect(await verify(claim)).toMatchObject({ status: "rejected", reason: "malformed" });
    },
  );

  describe("hash proof", () => {
    const good = hashClaim(K1.secret, "u_42");
    it.each([
      ["not hex", "zz".repeat(32)],
      ["upper-case hex", good.userHash.toUpperCase()],
      ["too short", good.userHash.slice(0, 62)],
      ["too long", good.userHash + "00"],
      ["0x-prefixed", "0x" + good.userHash.slice(2)],
      ["with whitespace", " " + good.userHash.slice(1)],
      ["base64 instead of hex", Buffer.from(good.userHash, "hex").toString("base64")],
      ["a number", 1234],
      ["an object", { hex: good.userHash }],
    ])("userHash %s", async (_label, userHash) => {
      expect(await verify({ userId: "u_42", userHash })).toMatchObject({ status: "rejected", reason: "malformed", proof: "hash" });
    });

    it("upper-case hex is malformed even though it spells the right MAC", async () => {
      expect(/^[0-9A-F]{64}$/.test(good.userHash.toUpperCase())).toBe(true);
      expect(await verify({ userId: "u_42", userHash: good.userHash.toUpperCase() })).toMatchObject({ reason: "malformed" });
    });

    it.each([["empty", ""], ["null", null], ["an object", { id: 1 }], ["a fraction", 1.5], ["too long", "x".repeat(256)], ["boolean", true]])(
      "userId %s",
      async (_label, userId) => {
        expect(await verify({ userId, userHash: good.userHash })).toMatchObject({ status: "rejected", reason: "malformed" });
      },
    );
  });

  describe("signed payload", () => {
    it.each([
      ["not JSON", "id=u_42"],
      ["truncated JSON", `{"id":"u_42"`],
      ["a JSON array", `["u_42"]`],
      ["a JSON string", `"u_42"`],
      ["JSON null", "null"],
      ["an object without id or sub", `{"name":"Ada","plan":"pro"}`],
      ["an id that is an object", `{"id":{"x":1}}`],
      ["an empty id", `{"id":""}`],
    ])("payload %s (even correctly signed)", async (_label, payload) => {
      expect(await verify(payloadClaim(K1.secret, payload))).toMatchObject({ status: "rejected", reason: "malformed", proof: "payload" });
    });

    it("payload that is not a string", async () => {
      const text = JSON.stringify({ id: "u_42" });
      expect(await verify({ payload: { id: "u_42" }, signature: hexMac(K1.secret, text) })).toMatchObject({ reason: "malformed" });
    });

    it.each([
      ["missing", undefined],
      ["upper-case hex", hexMac(K1.secret, `{"id":"u_42"}`).toUpperCase()],
      ["not hex", "not-a-signature"],
      ["base64url", mac(K1.secret, `{"id":"u_42"}`).toString("base64url")],
    ])("signature %s", async (_label, signature) => {
      expect(await verify({ payload: `{"id":"u_42"}`, signature })).toMatchObject({ status: "rejected", reason: "malformed", proof: "payload" });
    });
  });

  describe("token", () => {
    it.each([
      ["a non-string", 12345],
      ["an empty string", ""],
      ["one part", "garbage"],
      ["four parts", "a.b.c.d"],
      ["characters outside base64url", "!!!.???"],
      ["standard base64 with padding", `${Buffer.from('{"sub":"u"}').toString("base64")}.${"A".repeat(43)}=`],
      ["a JWT whose header is not JSON", `${b64u("not json")}.${b64u("{}")}.sig`],
      ["a JWT whose header is not base64url", `%%%.${b64u("{}")}.sig`],
      ["over 8 KiB", "a".repeat(8193)],
    ])("token %s", async (_label, token) => {
      expect(await verify({ token })).toMatchObject({ status: "rejected", reason: "malformed" });
    });

    it("an HMAC token whose MAC is not 32 bytes (a hex MAC where base64url belongs) is malformed, not a bad signature", async () => {
      const json = JSON.stringify(claims());
      const hexInstead = `${b64u(json)}.${hexMac(K1.secret, json)}`;
      expect(await verify({ token: hexInstead })).toMatchObject({ status: "rejected", reason: "malformed", proof: "token" });
      expect(await verify({ token: "abc.def" })).toMatchObject({ status: "rejected", reason: "malformed", proof: "token" });
    });

    const forms = [
      ["token", (c: Record<string, unknown> | string) => ({ token: hmacToken(K1.secret, c) })],
      ["jwt", (c: Record<string, unknown>) => ({ token: jwt(K1.secret, c) })],
    ] as const;

    describe.each(forms)("%s claims (correctly signed)", (proof, make) => {
      it.each(["sub", "iat", "exp"])("missing %s", async (field) => {
        const c: Record<string, unknown> = claims();
        delete c[field];
        expect(await verify(make(c))).toMatchObject({ status: "rejected", reason: "malformed", proof });
      });

      it.each([
        ["sub empty", { sub: "" }],
        ["sub an object", { sub: { id: "u_42" } }],
        ["iat a string", { iat: String(NOW) }],
        ["exp a string", { exp: String(NOW + 3600) }],
      ])("%s", async (_label, over) => {
        expect(await verify(make(claims(over)))).toMatchObject({ status: "rejected", reason: "malformed" });
      });
    });

    it("an HMAC token whose signed text is not a JSON object", async () => {
      for (const text of ["not json", "[1,2]", "null"]) {
        expect(await verify({ token: hmacToken(K1.secret, text) })).toMatchObject({ status: "rejected", reason: "malformed", proof: "token" });
      }
    });
  });
});

describe("bad_algorithm: only HS256", () => {
  it("alg none with an empty signature", async () => {
    const unsigned = `${b64u(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64u(JSON.stringify(claims()))}.`;
    const v = await verify({ token: unsigned });
    expect(v).toMatchObject({ status: "rejected", reason: "bad_algorithm", proof: "jwt" });
    expect(v.userId).toBeUndefined();
  });

  it.each(["none", "None", "NONE"])("alg %s even with an HMAC signature by a real key", async (alg) => {
    expect(await verify({ token: jwt(K1.secret, claims(), { alg, typ: "JWT" }) })).toMatchObject({ status: "rejected", reason: "bad_algorithm" });
  });

  it("HS512 correctly signed by jose with the app's own key", async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: "HS512" }).sign(new TextEncoder().encode(K1.secret));
    expect(await verify({ token })).toMatchObject({ status: "rejected", reason: "bad_algorithm", proof: "jwt" });
  });

  it.each(["RS256", "ES256", "HS384", "hs256", "PS256"])("header alg %s (HMAC key confusion is refused)", async (alg) => {
    expect(await verify({ token: jwt(K1.secret, claims(), { alg, typ: "JWT" }) })).toMatchObject({ status: "rejected", reason: "bad_algorithm" });
  });

  it("a header with no alg at all", async () => {
    expect(await verify({ token: jwt(K1.secret, claims(), { typ: "JWT" }) })).toMatchObject({ status: "rejected", reason: "bad_algorithm" });
  });
});

describe("keys: rotation, revocation, no keys", () => {
  it.each(KINDS)("%s: with two active keys, a proof by either verifies and names its key", async (kind) => {
    const keys = [K1, K2];
    expect(await verify(proofs[kind](K1.secret), { keys })).toMatchObject({ status: "verified", keyId: K1.id });
    expect(await verify(proofs[kind](K2.secret), { keys })).toMatchObject({ status: "verified", keyId: K2.id });
  });

  it.each(KINDS)("%s: a proof by a revoked key fails at once while the other key still works", async (kind) => {
    const before = [K1, K2];
    const after = [{ ...K1, revoked: true }, K2];
    expect(await verify(proofs[kind](K1.secret), { keys: before })).toMatchObject({ status: "verified", keyId: K1.id });
    const v = await verify(proofs[kind](K1.secret), { keys: after });
    expect(v).toMatchObject({ status: "rejected", reason: "revoked_key", proof: kind });
    expect(v.userId).toBeUndefined();
    expect(await verify(proofs[kind](K2.secret), { keys: after })).toMatchObject({ status: "verified", keyId: K2.id });
  });

  it.each(KINDS)("%s: revoked_key only when the proof matches a revoked key, else bad_signature", async (kind) => {
    expect(await verify(proofs[kind](KR.secret), { keys: [K1, KR] })).toMatchObject({ status: "rejected", reason: "revoked_key" });
    expect(await verify(proofs[kind](OTHER), { keys: [K1, KR] })).toMatchObject({ status: "rejected", reason: "bad_signature" });
    expect(await verify(proofs[kind](OTHER), { keys: [KR] })).toMatchObject({ status: "rejected", reason: "bad_signature" });
  });

  it("the order of keys does not matter: an active match wins over a revoked one with the same secret", async () => {
    const revokedTwin = { ...K1, id: "key_twin", revoked: true };
    for (const keys of [[revokedTwin, K1], [K1, revokedTwin]]) {
      for (const kind of KINDS) {
        expect(await verify(proofs[kind](K1.secret), { keys })).toMatchObject({ status: "verified", keyId: K1.id });
      }
    }
  });

  it.each(KINDS)("%s: an app with no keys answers no_keys", async (kind) => {
    expect(await verify(proofs[kind](K1.secret), { keys: [] })).toMatchObject({ status: "rejected", reason: "no_keys", proof: kind });
  });

  it("no_keys does not apply to a bare userId in mode optional, nor to no claim", async () => {
    expect(await verify({ userId: "u_42" }, { keys: [], mode: "optional" })).toMatchObject({ status: "unverified" });
    expect(await verify(undefined, { keys: [] })).toEqual({ status: "anonymous" });
  });
});

describe("a key verifies only its own kind of proof", () => {
  const kindOfKey: Record<ProofKind, KeyKind> = { hash: "hash", payload: "payload", token: "token", jwt: "token" };
  it.each(KINDS)("%s: verified by a key of its kind, by no key of another kind with the very same secret", async (kind) => {
    expect(await verify(proofs[kind](K1.secret), { keys: [{ ...K1, proof: kindOfKey[kind] }] })).toMatchObject({ status: "verified" });
    for (const other of ["hash", "payload", "token"] as const) {
      if (other === kindOfKey[kind]) continue;
      expect(await verify(proofs[kind](K1.secret), { keys: [{ ...K1, proof: other }] })).toMatchObject({ status: "rejected", reason: "no_keys", keyId: undefined });
    }
  });

  it("an HMAC token and a JWT share the token kind: one token key verifies both", async () => {
    const keys = [{ ...K1, proof: "token" as const }];
    expect(await verify(proofs.token(K1.secret), { keys })).toMatchObject({ status: "verified", proof: "token" });
    expect(await verify(proofs.jwt(K1.secret), { keys })).toMatchObject({ status: "verified", proof: "jwt" });
  });

  it("rotation is per kind: a revoked hash key fails as revoked while the payload key verifies", async () => {
    const keys = [{ ...KR, proof: "hash" as const }, { ...K1, proof: "payload" as const }];
    expect(await verify(proofs.hash(KR.secret), { keys })).toMatchObject({ status: "rejected", reason: "revoked_key", keyId: KR.id });
    expect(await verify(proofs.payload(K1.secret), { keys })).toMatchObject({ status: "verified", keyId: K1.id });
    // The payload key is not tried for the hash: its MAC there is just a bad signature.
    expect(await verify(proofs.hash(K1.secret), { keys })).toMatchObject({ status: "rejected", reason: "bad_signature" });
  });
});

describe("signed payload limits", () => {
  const signed = (data: Record<string, unknown>) => payloadClaim(K1.secret, JSON.stringify({ id: "u_42", ...data }));
  it("an exp in the past (beyond the skew) is expired; within the skew or ahead it verifies", async () => {
    expect(await verify(signed({ exp: NOW - 61 }))).toMatchObject({ status: "rejected", reason: "expired", proof: "payload" });
    expect(await verify(signed({ exp: NOW - 59 }))).toMatchObject({ status: "verified" });
    expect(await verify(signed({ exp: NOW + 3600 }))).toMatchObject({ status: "verified" });
  });
  it("an exp that is not a time in seconds is malformed (a string, milliseconds, 1e400)", async () => {
    for (const exp of ["tomorrow", (NOW + 60) * 1000, null]) expect(await verify(signed({ exp }))).toMatchObject({ status: "rejected", reason: "malformed" });
    const text = `{"id":"u_42","exp":1e400}`;
    expect(await verify(payloadClaim(K1.secret, text))).toMatchObject({ status: "rejected", reason: "malformed" });
  });
  it("an app (or project_key) must name this app; none at all is fine", async () => {
    expect(await verify(signed({ app: "app_other" }))).toMatchObject({ status: "rejected", reason: "wrong_app" });
    expect(await verify(signed({ project_key: "app_other" }))).toMatchObject({ status: "rejected", reason: "wrong_app" });
    expect(await verify(signed({ app: APP }))).toMatchObject({ status: "verified" });
    expect(await verify(signed({}))).toMatchObject({ status: "verified" });
  });
});

describe("times and ids that are not what they seem", () => {
  const token = (over: Record<string, unknown>) => ({ token: hmacToken(K1.secret, claims(over)) });
  it.each([
    ["exp in milliseconds", { exp: (NOW + 3600) * 1000 }],
    ["iat and exp in microseconds", { iat: NOW * 1e6, exp: (NOW + 3600) * 1e6 }],
    ["negative iat", { iat: -5 }],
  ])("a validly signed token with %s is malformed, never a verdict from a nonsense date", async (_, over) => {
    expect(await verify(token(over))).toMatchObject({ status: "rejected", reason: "malformed", proof: "token" });
  });
  it("exp = 1e400 (Infinity once parsed) is malformed, not a token that never expires", async () => {
    const json = JSON.stringify(claims()).replace(/"exp":\d+/, '"exp":1e400');
    expect(await verify({ token: hmacToken(K1.secret, json) })).toMatchObject({ status: "rejected", reason: "malformed" });
  });
  it("a user id holding a control character is malformed (it could not be stored or shown)", async () => {
    for (const id of ["u\u000042", "u_42\n", "\u007f"]) expect(await verify(hashClaim(K1.secret, id))).toMatchObject({ status: "rejected", reason: "malformed" });
  });
  it("control characters in a hint are dropped, not stored", async () => {
    expect(await verify(hashClaim(K1.secret, "u_42", { name: "A\u0000da\n" }))).toMatchObject({ status: "verified", name: "Ada" });
  });
});
