// The integration doctor, sentence by sentence: for each way a proof fails, the exact cause and
// advice it gives, and the guesses it must not make (a MAC it cannot read, a key of another kind
// for a variation, a payload too large or too deep to re-serialise). One key of each kind, each its
// own secret and id, as `parley key create --proof …` makes them; proofs built with node:crypto.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { diagnose, type OtherApp } from "../../server/verify/diagnose.ts";
import type { VerifyKey } from "../../server/verify/keys.ts";
import type { VerifyContext } from "../../server/verify/verify.ts";

const NOW = 1_800_000_000; // 2027-01-15T08:00:00.000Z
const APP = "app_doc";
const HASH: VerifyKey = { id: "key_h", secret: "pk_doc_hash_current", revoked: false, proof: "hash" };
const HASH_OLD: VerifyKey = { id: "key_h_old", secret: "pk_doc_hash_revoked", revoked: true, proof: "hash" };
const PAYLOAD: VerifyKey = { id: "key_p", secret: "pk_doc_payload_current", revoked: false, proof: "payload" };
const PAYLOAD_OLD: VerifyKey = { id: "key_p_old", secret: "pk_doc_payload_revoked", revoked: true, proof: "payload" };
const TOKEN: VerifyKey = { id: "key_t", secret: "pk_doc_token_current", revoked: false, proof: "token" };
const TOKEN_OLD: VerifyKey = { id: "key_t_old", secret: "pk_doc_token_revoked", revoked: true, proof: "token" };
const OTHER_SECRET = "pk_doc_other_app";
const UNKNOWN = "pk_doc_nobody_has_this";

const ctx: VerifyContext = { appId: APP, mode: "required", now: NOW, keys: [HASH, HASH_OLD, PAYLOAD, PAYLOAD_OLD, TOKEN, TOKEN_OLD] };
const others: OtherApp[] = [{ appId: "app_other", keys: [{ id: "key_o", secret: OTHER_SECRET, revoked: false, proof: "hash" }] }];
/** The doctor's words only (cause and advice): `toEqual` also fails on advice given where none is expected. */
const why = async (claim: unknown, c: VerifyContext = ctx, o: readonly OtherApp[] = others) => {
  const { cause, advice } = await diagnose(claim, c, o);
  return { cause, advice };
};

const mac = (secret: string, text: string) => createHmac("sha256", Buffer.from(secret, "utf8")).update(Buffer.from(text, "utf8")).digest();
const hex = (secret: string, text: string) => mac(secret, text).toString("hex");
const b64u = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const hmacToken = (secret: string, claims: Record<string, unknown> | string) => {
  const json = typeof claims === "string" ? claims : JSON.stringify(claims);
  return `${b64u(json)}.${b64u(mac(secret, json))}`;
};
const jwt = (secret: string, claims: Record<string, unknown> | string, header: Record<string, unknown> = { alg: "HS256", typ: "JWT" }) => {
  const input = `${b64u(JSON.stringify(header))}.${b64u(typeof claims === "string" ? claims : JSON.stringify(claims))}`;
  return `${input}.${b64u(mac(secret, input))}`;
};
const claims = (over: Record<string, unknown> = {}) => ({ sub: "u_1", app: APP, iat: NOW - 10, exp: NOW + 3590, ...over });

const DEPLOY = "Deploy your backend with the app's current key secret.";
const REVOKED = { cause: "The proof was made with a key that has been revoked.", advice: DEPLOY };
const OTHER_APP = { cause: "The proof was made with a key of another app (app_other), not app_doc.", advice: "Use this app's key secret, or the other app's id in the snippet." };
const BASE64 = { cause: "The signature is base64, where lower-case hex is expected.", advice: "Encode the HMAC as hex (digest('hex'), hexdigest(), unpack1('H*'), hash_hmac(…), hex.EncodeToString)." };
const UPPER_HEX = { cause: "The signature is upper-case hex.", advice: "Send it in lower-case hex." };

describe("verdicts that are no rejection", () => {
  it.each([undefined, null])("no claim (%s): anonymous, said so", async (claim) => {
    expect(await diagnose(claim, ctx, others)).toEqual({ ok: false, verdict: { status: "anonymous" }, cause: "No identity was given, so the visitor is anonymous." });
  });

  it("a bare userId in mode optional: unverified, and the advice to send its hash", async () => {
    const d = await diagnose({ userId: "u_1" }, { ...ctx, mode: "optional" }, others);
    expect(d).toEqual({
      ok: false,
      verdict: { status: "unverified", userId: "u_1" },
      cause: 'A bare userId with no proof: accepted as unverified only because the app\'s mode is "optional".',
      advice: "Send userHash with it.",
    });
  });

  it("a good proof: ok, naming the user and the key", async () => {
    const d = await diagnose({ userId: "u_1", userHash: hex(HASH.secret, "u_1") }, ctx, others);
    expect(d.ok).toBe(true);
    expect(d.cause).toBe('The proof is good: verified as user "u_1" with key key_h.');
    expect(d.advice).toBeUndefined();
  });
});

describe("a rejection the doctor has nothing to add to is named by its reason", () => {
  it.each([
    ["a claim that is a string", "u_1"],
    ["a claim that is an array", [{ userId: "u_1" }]],
    ["a token that is not a string", { token: 12345 }],
  ])("%s: 'Rejected: malformed.', not ok", async (_label, claim) => {
    expect(await diagnose(claim, ctx, others)).toMatchObject({ ok: false, verdict: { status: "rejected", reason: "malformed" }, cause: "Rejected: malformed." });
    expect((await diagnose(claim, ctx, others)).advice).toBeUndefined();
  });
});

describe("reasons every proof shares", () => {
  it("missing_proof: a bare userId in mode required", async () => {
    expect(await why({ userId: "u_1" })).toEqual({ cause: 'A bare userId with no proof, and the app requires one (mode "required").', advice: "Send userHash = hex(HMAC-SHA256(secret, userId))." });
  });

  it("revoked_key, for a hash, a payload and a token alike", async () => {
    expect(await why({ userId: "u_1", userHash: hex(HASH_OLD.secret, "u_1") })).toEqual(REVOKED);
    const text = JSON.stringify({ id: "u_1" });
    expect(await why({ payload: text, signature: hex(PAYLOAD_OLD.secret, text) })).toEqual(REVOKED);
    expect(await why({ token: hmacToken(TOKEN_OLD.secret, claims()) })).toEqual(REVOKED);
    expect(await why({ token: jwt(TOKEN_OLD.secret, claims()) })).toEqual(REVOKED);
  });

  it("no_keys: the app has no key of the claim's kind, and which to create", async () => {
    const onlyHash = { ...ctx, keys: [HASH] };
    const text = JSON.stringify({ id: "u_1" });
    expect(await why({ payload: text, signature: hex(UNKNOWN, text) }, onlyHash)).toEqual({
      cause: "This app has no payload key, so no signed payload can verify.",
      advice: "Create one with `parley key create --app app_doc --proof payload`.",
    });
    expect(await why({ token: hmacToken(UNKNOWN, claims()) }, onlyHash)).toEqual({ cause: "This app has no token key, so no token can verify.", advice: "Create one with `parley key create --app app_doc --proof token`." });
  });

  it("no_keys, though a key of another kind made the MAC: that key is named, not 'create one'", async () => {
    const onlyHash = { ...ctx, keys: [HASH] };
    expect(await why({ token: hmacToken(HASH.secret, claims()) }, onlyHash)).toEqual({
      cause: "This MAC was made with your hash key (key_h); keys sign one kind of proof, and this is a token.",
      advice: "Sign every token with a token key: `parley key create --app app_doc --proof token`.",
    });
  });

  it("bad_signature, as a key of another kind made the MAC: each kind named", async () => {
    const text = JSON.stringify({ id: "u_1" });
    expect(await why({ payload: text, signature: hex(TOKEN.secret, text) })).toEqual({
      cause: "This MAC was made with your token key (key_t); keys sign one kind of proof, and this is a signed payload.",
      advice: "Sign every signed payload with a payload key: `parley key create --app app_doc --proof payload`.",
    });
    const d = await why({ userId: "u_1", userHash: hex(PAYLOAD.secret, "u_1") });
    expect(d.cause).toBe("This MAC was made with your payload key (key_p); keys sign one kind of proof, and this is a user hash.");
    expect(d.advice).toBe("Sign every user hash with a hash key: `parley key create --app app_doc --proof hash`.");
  });
});

describe("user hash", () => {
  it.each([
    ["empty", ""],
    ["an object", { id: 1 }],
    ["too long", "u".repeat(256)],
  ])("a userId that is %s: what an id must be, and no guess", async (_label, userId) => {
    expect(await why({ userId, userHash: hex(HASH.secret, "u_1") })).toEqual({ cause: "userId must be a non-empty string (or a whole number) of at most 255 characters, with no control characters." });
  });

  it.each([
    [" u_1 ", "u_1", "the id without its surrounding spaces, while the page sends it with them"],
    ["u_1", "u_1 ", "the id with a trailing space"],
    ["u_1", "u_1\n", "the id with a trailing newline"],
    ["u_1", '"u_1"', "the id as a JSON string, with its quotes"],
    ["007", "7", "the id as a number (which changed its text)"],
    ["U_1", "u_1", "the id in lower case"],
  ])("sent %j, hashed %j: names the variation", async (sent, hashed, what) => {
    expect(await why({ userId: sent, userHash: hex(HASH.secret, hashed) })).toEqual({
      cause: `Your backend hashed ${what}, not the userId the page sends (${JSON.stringify(sent)}).`,
      advice: "Hash exactly the userId string the widget sends.",
    });
  });

  it("hashed the email, or the name, instead of the id", async () => {
    const hint = (hashed: string) => ({ userId: "u_1", email: "ada@example.com", name: "Ada", userHash: hex(HASH.secret, hashed) });
    expect((await why(hint("ada@example.com"))).cause).toBe(`Your backend hashed the user's email instead of their id, not the userId the page sends ("u_1").`);
    expect((await why(hint("Ada"))).cause).toBe(`Your backend hashed the user's name instead of their id, not the userId the page sends ("u_1").`);
  });

  it("a variation hashed with a revoked key: the revoked key, not the variation, is the cause", async () => {
    expect(await why({ userId: "u_1", userHash: hex(HASH_OLD.secret, "u_1 ") })).toEqual({ cause: "The hash was made with a revoked key.", advice: DEPLOY });
  });

  it("a variation hashed with a key of another kind is no guess: only hash keys are tried for variations", async () => {
    expect(await why({ userId: "u_1", userHash: hex(PAYLOAD.secret, "u_1 ") })).toEqual({
      cause: "The hash matches none of this app's keys, nor any likely variation of the id.",
      advice: "Check the secret your backend uses: it must be a current key of app_doc (parley key list).",
    });
  });

  it("another app's key", async () => {
    expect(await why({ userId: "u_1", userHash: hex(OTHER_SECRET, "u_1") })).toEqual(OTHER_APP);
  });

  it("the right MAC written as base64, as base64url (with - and _), or as upper-case hex", async () => {
    expect(await why({ userId: "u_1", userHash: mac(HASH.secret, "u_1").toString("base64") })).toEqual(BASE64);
    const url = mac(HASH.secret, "u_8").toString("base64url");
    expect(url).toMatch(/^(?=.*-)(?=.*_)[\w-]{43}$/);
    expect(await why({ userId: "u_8", userHash: url })).toEqual(BASE64);
    expect(await why({ userId: "u_1", userHash: hex(HASH.secret, "u_1").toUpperCase() })).toEqual(UPPER_HEX);
  });

  describe("a userHash that only contains the right MAC is not read as it", () => {
    const right = mac(HASH.secret, "u_1");
    const NONE = { cause: "The hash matches none of this app's keys, nor any likely variation of the id.", advice: "Check the secret your backend uses: it must be a current key of app_doc (parley key list)." };
    it.each([
      ["text that is neither hex nor base64", "not-a-mac"],
      ["the hex followed by junk", `${right.toString("hex")}-${"0".repeat(64)}`],
      ["the hex preceded by junk", `xx${right.toString("hex")}`],
      ["the base64url preceded by junk", `!!${right.toString("base64url")}`],
      ["the base64url followed by junk", `${right.toString("base64url")}!!`],
      ["the base64 with a dot inside", `${right.toString("base64").slice(0, 20)}.${right.toString("base64").slice(20)}`],
    ])("%s", async (_label, userHash) => {
      expect(await why({ userId: "u_1", userHash })).toEqual(NONE);
    });
    it("a userHash that is not text (an array holding the base64) is never read, nor a crash", async () => {
      expect(await why({ userId: "u_1", userHash: [right.toString("base64")] })).toEqual(NONE);
    });
  });
});

describe("signed payload", () => {
  const signed = (secret: string, text: string) => ({ payload: text, signature: hex(secret, text) });
  const NONE = { cause: "The signature matches none of this app's keys, for this text or a re-serialised form of it.", advice: "Check the secret, and that you sign the exact text you send." };
  const RESERIALISED = { cause: "The signature is over a different serialisation of the same JSON (spacing or key order changed between signing and sending).", advice: "Serialise once; sign and send that same text." };

  it("a payload that is an object, not its JSON text", async () => {
    expect(await why({ payload: { id: "u_1" }, signature: hex(PAYLOAD.secret, '{"id":"u_1"}') })).toEqual({ cause: "payload must be the JSON text itself (a string), not an object.", advice: "Send the exact text you signed." });
  });

  it.each([
    ["not JSON", "id=u_1"],
    ["a JSON string", '"u_1"'],
    ["a JSON array", '["u_1"]'],
    ["JSON null", "null"],
  ])("a payload that is %s", async (_label, text) => {
    expect(await why(signed(PAYLOAD.secret, text))).toEqual({ cause: "payload is not a JSON object.", advice: 'Sign and send JSON text such as {"id":"u_42"}.' });
  });

  it("a payload naming neither id nor sub", async () => {
    expect(await why(signed(PAYLOAD.secret, '{"name":"Ada"}'))).toEqual({ cause: 'The payload has neither "id" nor "sub".', advice: 'Add "id" (the user\'s id) to the signed JSON.' });
  });

  it("a payload naming only sub, signed with a secret nobody has: the signature, not the id", async () => {
    expect(await why(signed(UNKNOWN, '{"sub":"u_1"}'))).toEqual(NONE);
  });

  it("expired, with when and the skew", async () => {
    expect(await why(signed(PAYLOAD.secret, JSON.stringify({ id: "u_1", exp: NOW - 3600 })))).toEqual({
      cause: "The signed payload expired at 2027-01-15T07:00:00.000Z (checked at 2027-01-15T08:00:00.000Z, with 60 s of clock skew allowed).",
      advice: "Sign a fresh payload for each page load, or leave out exp.",
    });
  });

  it("for another app, by app or by project_key", async () => {
    const advice = 'Set "app" to app_doc, or leave it out.';
    expect(await why(signed(PAYLOAD.secret, JSON.stringify({ id: "u_1", app: "app_other" })))).toEqual({ cause: 'The signed payload is for app "app_other", not app_doc.', advice });
    expect(await why(signed(PAYLOAD.secret, JSON.stringify({ id: "u_1", project_key: "app_x" })))).toEqual({ cause: 'The signed payload is for app "app_x", not app_doc.', advice });
  });

  it("an exp that is not a time in seconds", async () => {
    const advice = "Send exp in whole seconds since 1970, or leave it out.";
    expect(await why(signed(PAYLOAD.secret, JSON.stringify({ id: "u_1", exp: "tomorrow" })))).toEqual({ cause: "The payload's exp (tomorrow) is not a time in seconds.", advice });
    expect(await why(signed(PAYLOAD.secret, JSON.stringify({ id: "u_1", exp: NOW * 1000 })))).toEqual({ cause: "The payload's exp (1800000000000) is not a time in seconds.", advice });
  });

  it("a bad exp under a bad signature: the signature is what failed", async () => {
    expect(await why(signed(UNKNOWN, JSON.stringify({ id: "u_1", exp: "tomorrow" })))).toEqual(NONE);
  });

  it("a correctly signed payload whose id is unusable says so, not blaming its signature or an exp", async () => {
    for (const [text, field] of [['{"id":""}', "id"], ['{"id":{"x":1}}', "id"], [`{"sub":"${"x".repeat(256)}"}`, "sub"]] as const) {
      expect(await diagnose(signed(PAYLOAD.secret, text), ctx, others)).toMatchObject({
        ok: false,
        verdict: { reason: "malformed" },
        cause: `The payload's ${field} must be a non-empty string (or a whole number) of at most 255 characters, with no control characters.`,
        advice: "Sign the user's id as your system stores it.",
      });
    }
  });

  describe("signed one serialisation, sent another", () => {
    const data = { zeta: 1, id: "u_1", plan: "pro", alpha: [1, 2], mid: null, beta: { b: 2, a: 1 }, omega: "o", c: true };
    const compact = JSON.stringify(data);
    const sortedKeys = JSON.stringify(Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b))));
    it.each([
      ["signed compact, sent indented by 2", compact, JSON.stringify(data, null, 2)],
      ["signed indented by 2, sent compact", JSON.stringify(data, null, 2), compact],
      ["signed indented by 1, sent compact", JSON.stringify(data, null, 1), compact],
      ["signed with its keys sorted, sent in their own order", sortedKeys, compact],
    ])("%s", async (_label, signedText, sentText) => {
      expect(sortedKeys).not.toBe(compact);
      expect(await why({ payload: sentText, signature: hex(PAYLOAD.secret, signedText) })).toEqual(RESERIALISED);
    });

    it("a re-serialisation signed with a revoked key: the revoked key is the cause", async () => {
      expect(await why({ payload: JSON.stringify(data, null, 2), signature: hex(PAYLOAD_OLD.secret, compact) })).toEqual({ cause: "The payload was signed with a revoked key.", advice: DEPLOY });
    });

    it("signed with another app's key", async () => {
      expect(await why(signed(OTHER_SECRET, compact))).toEqual(OTHER_APP);
    });
  });

  it("a signature that is not text (an array holding the base64) is never read, nor a crash", async () => {
    const text = JSON.stringify({ id: "u_1" });
    expect(await why({ payload: text, signature: [mac(PAYLOAD.secret, text).toString("base64")] })).toEqual(NONE);
  });

  it("the exact text signed right but written in upper-case hex, or in base64", async () => {
    const text = JSON.stringify({ id: "u_1", exp: NOW + 600 });
    expect(await why({ payload: text, signature: hex(PAYLOAD.secret, text).toUpperCase() })).toEqual(UPPER_HEX);
    expect(await why({ payload: text, signature: mac(PAYLOAD.secret, text).toString("base64") })).toEqual(BASE64);
  });

  describe("re-serialising is tried only for a payload of at most 4,096 characters and 16 levels", () => {
    /** Data whose 2-space indented text is exactly `length` characters long. */
    const ofLength = (length: number) => {
      const base = JSON.stringify({ id: "u_1", pad: "" }, null, 2).length;
      return { id: "u_1", pad: "x".repeat(length - base) };
    };
    it("sent indented, 4,096 characters: re-serialised and explained", async () => {
      const data = ofLength(4096);
      const sent = JSON.stringify(data, null, 2);
      expect(sent).toHaveLength(4096);
      expect(await why({ payload: sent, signature: hex(PAYLOAD.secret, JSON.stringify(data)) })).toEqual(RESERIALISED);
    });
    it("sent indented, 4,097 characters: only the text as sent is tried", async () => {
      const data = ofLength(4097);
      const sent = JSON.stringify(data, null, 2);
      expect(sent).toHaveLength(4097);
      expect(await why({ payload: sent, signature: hex(PAYLOAD.secret, JSON.stringify(data)) })).toEqual(NONE);
    });
    it("a long payload is still compared as sent: its upper-case hex is explained", async () => {
      const text = JSON.stringify(ofLength(5000));
      expect(text.length).toBeGreaterThan(4096);
      expect(await why({ payload: text, signature: hex(PAYLOAD.secret, text).toUpperCase() })).toEqual(UPPER_HEX);
    });

    /** `{ id, n: [[…[1]…]] }`: the object is level 0, so `arrays` nested arrays reach level arrays + 1. */
    const nested = (arrays: number) => {
      let n: unknown = 1;
      for (let i = 0; i < arrays; i++) n = [n];
      return { id: "u_1", n };
    };
    it("16 levels deep: re-serialised and explained", async () => {
      const data = nested(15);
      expect(await why({ payload: JSON.stringify(data, null, 2), signature: hex(PAYLOAD.secret, JSON.stringify(data)) })).toEqual(RESERIALISED);
    });
    it("17 levels deep: only the text as sent is tried", async () => {
      const data = nested(16);
      expect(await why({ payload: JSON.stringify(data, null, 2), signature: hex(PAYLOAD.secret, JSON.stringify(data)) })).toEqual(NONE);
    });
    it("a null member is a leaf, not a level to walk into", async () => {
      const data = { id: "u_1", a: null, b: { c: null } };
      expect(await why({ payload: JSON.stringify(data, null, 2), signature: hex(PAYLOAD.secret, JSON.stringify(data)) })).toEqual(RESERIALISED);
    });
  });
});

describe("token", () => {
  const NONE = { cause: "The token's signature matches none of this app's keys.", advice: "Check the secret your backend signs with (parley key list)." };

  it("a JWT whose header is not JSON", async () => {
    expect(await why({ token: `${b64u("not json")}.${b64u("{}")}.sig` })).toEqual({ cause: "The JWT's header is not readable JSON.", advice: "Create the JWT with a library, signed HS256." });
  });

  it("a JWT of another algorithm, named", async () => {
    expect(await why({ token: jwt(TOKEN.secret, claims(), { alg: "HS512", typ: "JWT" }) })).toEqual({
      cause: 'The JWT is signed with "HS512"; Parley accepts HS256 only (never "none").',
      advice: "Sign it HS256 with the app's key secret.",
    });
  });

  it.each([
    ["an HMAC token", (text: string) => hmacToken(TOKEN.secret, text)],
    ["a JWT", (text: string) => jwt(TOKEN.secret, text)],
  ])("%s whose claims are not a JSON object", async (_label, make) => {
    for (const text of ["not json", '"u_1"', "[1]"]) {
      expect(await why({ token: make(text) })).toEqual({ cause: "The token's payload is not a JSON object.", advice: "Encode the claims JSON with base64url." });
    }
  });

  describe.each([
    ["HMAC token", (c: Record<string, unknown>) => hmacToken(TOKEN.secret, c)],
    ["HS256 JWT", (c: Record<string, unknown>) => jwt(TOKEN.secret, c)],
  ])("%s", (_label, make) => {
    it("expired, with when and the skew", async () => {
      expect(await why({ token: make(claims({ iat: NOW - 7200, exp: NOW - 3600 })) })).toEqual({
        cause: "The token expired at 2027-01-15T07:00:00.000Z (checked at 2027-01-15T08:00:00.000Z, with 60 s of clock skew allowed).",
        advice: "Mint a fresh token for each page load or before it expires; check your server's clock.",
      });
    });
    it("issued in the future", async () => {
      expect(await why({ token: make(claims({ iat: NOW + 3600, exp: NOW + 7200 })) })).toEqual({
        cause: "The token is issued in the future (2027-01-15T09:00:00.000Z); your server's clock is ahead.",
        advice: "Fix the clock (NTP) of the backend that mints tokens.",
      });
    });
    it("lives over 24 hours", async () => {
      expect(await why({ token: make(claims({ exp: NOW - 10 + 86_401 })) })).toEqual({ cause: "exp - iat is over 24 hours.", advice: "Mint tokens that live at most 24 h (1 h is the default)." });
    });
    it("for another app, by app, by project_key, or for none", async () => {
      const advice = 'Set "app" to app_doc.';
      expect(await why({ token: make(claims({ app: "app_other" })) })).toEqual({ cause: 'The token is for app "app_other", not app_doc.', advice });
      const { app: _app, ...noApp } = claims();
      expect(await why({ token: make({ ...noApp, project_key: "app_x" }) })).toEqual({ cause: 'The token is for app "app_x", not app_doc.', advice });
      expect(await why({ token: make(noApp) })).toEqual({ cause: "The token is for app null, not app_doc.", advice });
    });
    it("an iat or an exp in milliseconds", async () => {
      const advice = "Send iat and exp in whole seconds since 1970 (Math.floor(Date.now() / 1000), time.time()).";
      expect(await why({ token: make(claims({ iat: NOW * 1000, exp: NOW + 3600 })) })).toEqual({ cause: `iat (1800000000000) or exp (1800003600) is not a time in seconds: milliseconds or microseconds?`, advice });
      expect(await why({ token: make(claims({ iat: NOW, exp: (NOW + 3600) * 1000 })) })).toEqual({ cause: `iat (1800000000) or exp (1800003600000) is not a time in seconds: milliseconds or microseconds?`, advice });
    });
    it("a required claim missing, its times fine", async () => {
      const lacks = { cause: "The token lacks a required claim: sub, iat and exp are required (numbers for iat and exp).", advice: "Include sub, iat, exp and app." };
      const { sub: _sub, ...noSub } = claims();
      expect(await why({ token: make(noSub) })).toEqual(lacks);
      const { iat: _iat, ...noIat } = claims();
      expect(await why({ token: make(noIat) })).toEqual(lacks);
      const { exp: _exp, ...noExp } = claims();
      expect(await why({ token: make(noExp) })).toEqual(lacks);
    });
  });

  it("an iat in milliseconds under a bad signature: the signature is what failed", async () => {
    expect(await why({ token: hmacToken(UNKNOWN, claims({ iat: NOW * 1000 })) })).toEqual(NONE);
  });

  it("a secret no app has, though other apps were given: none of this app's keys", async () => {
    expect(await why({ token: hmacToken(UNKNOWN, claims()) })).toEqual(NONE);
    expect(await why({ token: jwt(UNKNOWN, claims()) })).toEqual(NONE);
  });

  it("another app's key (of whatever kind), for either token form", async () => {
    expect(await why({ token: hmacToken(OTHER_SECRET, claims()) })).toEqual(OTHER_APP);
    expect(await why({ token: jwt(OTHER_SECRET, claims()) })).toEqual(OTHER_APP);
  });
});
