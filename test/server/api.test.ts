// The HTTP API of the contract ("HTTP API", "Server verdict"), through createApi and Hono's
// app.request, on one store for the whole file: in-memory PGlite in the "server" project, a real
// PostgreSQL in "server-pg" (test/support/database.ts).
// The clock the verifier sees is fixed; long-polls are checked by what they return, not by time.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { openTestDb } from "../support/database.ts";
import { callApi, expectErrorBody, type CallOptions, type Res } from "../support/http.ts";
import { createApi } from "../../server/http/api.ts";
import { silentLogger } from "../../server/log.ts";
import { createJwt, createToken, signPayload, userHash } from "../../server/sign.ts";
import { Store, type App } from "../../server/store.ts";
import type { Mode } from "../../server/verify/verify.ts";
import { KEY_KINDS, claimSubject, type KeyKind } from "../../contract/claim.ts";
import type { ApiError, ConversationResponse, Message, SendMessageResponse } from "../../contract/wire.ts";

const NOW = 1_700_000_000;
const ADMIN = "t";
const SHOP = "https://shop.example";

let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
/** Every key secret created in this file: none may ever appear in a response body. */
const secrets: string[] = [];

interface TestApp extends App {
  /** The hash key's secret and id (the default kind). */
  secret: string;
  keyId: string;
  /** One key of each kind, as a site using every proof has them: a key signs one kind of proof. */
  keys: Record<KeyKind, { keyId: string; secret: string }>;
}
/** Hints on by default: these tests are the site's developer reading why a proof failed. */
async function newApp(mode: Mode = "required", origins: string[] = [], hints = true): Promise<TestApp> {
  const app = await store.createApp(`test ${mode}`, origins, mode, hints);
  const keys = {} as TestApp["keys"];
  for (const kind of KEY_KINDS) {
    const { keyId, secret } = await store.createKey(app.id, kind);
    secrets.push(secret);
    keys[kind] = { keyId, secret };
  }
  return { ...app, keyId: keys.hash.keyId, secret: keys.hash.secret, keys };
}

let shop: TestApp; // mode required, origins [SHOP]
let blog: TestApp; // mode optional, any origin

beforeAll(async () => {
  db = await openTestDb();
  store = new Store(db, randomBytes(32));
  api = createApi({ store, log: silentLogger, adminToken: ADMIN, now: () => NOW });
  shop = await newApp("required", [SHOP]);
  blog = await newApp("optional", []);
});

afterAll(async () => {
  await db?.close();
});

// ---- helpers -----------------------------------------------------------------------------

const uid = (prefix: string) => `${prefix}_${randomBytes(9).toString("base64url")}`;

async function call<T = any>(target: ReturnType<typeof createApi>, path: string, opts: CallOptions = {}): Promise<Res<T>> {
  const res = await callApi<T>(target, path, opts);
  for (const secret of secrets) expect(res.text).not.toContain(secret);
  return res;
}

const send = (app: App, body: Record<string, unknown>, origin?: string) =>
  call<SendMessageResponse>(api, `/v1/apps/${app.id}/messages`, { body: { clientId: uid("c"), text: "hello", ...body }, origin });
const readConv = (app: App, body: Record<string, unknown>, origin?: string) => call<ConversationResponse>(api, `/v1/apps/${app.id}/conversation`, { body, origin });
const admin = <T = any>(path: string, opts: { body?: unknown; auth?: string } = {}) =>
  call<T>(api, `/v1/admin/apps${path}`, { auth: `Bearer ${ADMIN}`, ...opts });

type ConversationRow = { id: string; contact: { userId: string | null; visitorId: string | null; verified: boolean; name?: string; email?: string; detailsVerified: boolean }; lastMessageAt: string };
async function conversations(app: App): Promise<ConversationRow[]> {
  const res = await admin<{ conversations: ConversationRow[] }>(`/${app.id}/conversations`);
  expect(res.status).toBe(200);
  return res.body.conversations;
}
async function conversationOf(app: App, who: { visitorId?: string; userId?: string; verified?: boolean }) {
  const all = await conversations(app);
  return all.find(
    (c) =>
      (who.visitorId === undefined || c.contact.visitorId === who.visitorId) &&
      (who.userId === undefined || c.contact.userId === who.userId) &&
      (who.verified === undefined || c.contact.verified === who.verified),
  );
}
async function adminMessages(app: App, conversationId: string): Promise<Message[]> {
  const res = await admin<{ messages: Message[] }>(`/${app.id}/conversations/${conversationId}/messages`);
  expect(res.status).toBe(200);
  return res.body.messages;
}

const hashClaim = (app: TestApp, userId: string, extra: Record<string, unknown> = {}) => ({ userId, userHash: userHash(app.secret, userId), ...extra });
const badHash = (userId: string, extra: Record<string, unknown> = {}) => ({ userId, userHash: userHash("pk_not-this-apps-secret", userId), ...extra });

// ---- visitor API -------------------------------------------------------------------------

describe("POST /v1/apps/:appId/messages", () => {
  it("201 with the contract's shape (anonymous visitor)", async () => {
    const visitorId = uid("v");
    const clientId = uid("c");
    const res = await send(shop, { visitorId, clientId, text: "Hi there" });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(["identity", "message"]);
    const { message, identity } = res.body;
    expect(identity).toEqual({ status: "anonymous" });
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_/),
      clientId,
      text: "Hi there",
      createdAt: expect.any(String),
      author: { type: "visitor", visitorId, verified: false },
      identity: { status: "anonymous" },
    });
    expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);
  });

  it("201 for a verified user: the author carries the user and verified: true", async () => {
    const visitorId = uid("v");
    const userId = uid("u");
    const res = await send(shop, { visitorId, identity: hashClaim(shop, userId, { name: "Ada" }) });
    expect(res.status).toBe(201);
    expect(res.body.identity).toEqual({ status: "verified", userId, name: "Ada" });
    expect(res.body.message.author).toEqual({ type: "visitor", visitorId, userId, verified: true, name: "Ada" });
    expect(res.body.message.identity).toEqual({ status: "verified" });
  });

  it("the same clientId again → 200 with the same message, stored once", async () => {
    const visitorId = uid("v");
    const clientId = uid("c");
    const first = await send(shop, { visitorId, clientId, text: "only once" });
    expect(first.status).toBe(201);
    const again = await send(shop, { visitorId, clientId, text: "only once" });
    expect(again.status).toBe(200);
    expect(again.body.message).toEqual(first.body.message);
    // A retry with different text is still the first message: the clientId names it.
    const changed = await send(shop, { visitorId, clientId, text: "edited on retry" });
    expect(changed.status).toBe(200);
    expect(changed.body.message).toEqual(first.body.message);

    const conv = await conversationOf(shop, { visitorId });
    const stored = await adminMessages(shop, conv!.id);
    expect(stored.filter((m) => m.clientId === clientId)).toHaveLength(1);
    expect(stored).toHaveLength(1);
  });

  it("the same clientId from another visitorId → 409, and the first message is untouched", async () => {
    const owner = uid("v");
    const clientId = uid("c");
    const first = await send(shop, { visitorId: owner, clientId, text: "mine" });
    expect(first.status).toBe(201);
    const other = uid("v");
    const res = await send(shop, { visitorId: other, clientId, text: "hijack" });
    expect(res.status).toBe(409);
    expect(res.body.error!.code).toBe("client_id_conflict");
    expect(res.text).not.toContain("mine");
    const conv = await conversationOf(shop, { visitorId: owner });
    expect((await adminMessages(shop, conv!.id)).map((m) => m.text)).toEqual(["mine"]);
    expect(await conversationOf(shop, { visitorId: other })).toBeUndefined();
  });

  it("concurrent retries of one clientId store one message: one 201, the rest 200 with it", async () => {
    const visitorId = uid("v");
    const clientId = uid("c");
    const results = await Promise.all([1, 2, 3, 4].map(() => send(shop, { visitorId, clientId, text: "racing" })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    for (const r of results) expect(r.body.message).toEqual(results[0]!.body.message);
    const conv = await conversationOf(shop, { visitorId });
    expect(await adminMessages(shop, conv!.id)).toHaveLength(1);
  });

  const rejected: [string, (app: TestApp) => unknown, string][] = [
    ["a hash by another secret", () => badHash("u_victim"), "bad_signature"],
    ["a bare userId (mode required)", () => ({ userId: "u_victim" }), "missing_proof"],
    ["an upper-case hash", (app) => ({ userId: "u_victim", userHash: userHash(app.secret, "u_victim").toUpperCase() }), "malformed"],
    ["a garbage token", () => ({ token: "garbage" }), "malformed"],
    ["a claim that is a string", () => "u_victim", "malformed"],
    ["an expired token", (app) => ({ token: createToken(app.keys.token.secret, { sub: "u_victim", app: app.id, iat: NOW - 7200 }) }), "expired"],
    ["a token for another app", (app) => ({ token: createToken(app.keys.token.secret, { sub: "u_victim", app: "app_elsewhere", iat: NOW }) }), "wrong_app"],
    ["a signed payload by another secret", () => signPayload("pk_nope", { id: "u_victim" }), "bad_signature"],
    ["a JWT with alg none", (app) => ({ token: `${b64u({ alg: "none" })}.${b64u({ sub: "u_victim", app: app.id, iat: NOW, exp: NOW + 60 })}.` }), "bad_algorithm"],
  ];

  it.each(rejected)("a rejected claim (%s) never fails the request: 201, stored as the anonymous visitor's", async (_label, claim, reason) => {
    const visitorId = uid("v");
    const res = await send(shop, { visitorId, identity: claim(shop), text: "still here" });
    expect(res.status).toBe(201);
    // A hint for the site's developer comes along; the stored message keeps only the verdict.
    expect(res.body.identity).toEqual({ status: "rejected", reason, hint: expect.any(String) });
    // Filed under nobody; the id the claim named is kept apart, as unproven.
    const claimed = claimSubject(claim(shop));
    expect(res.body.message.author).toEqual({ type: "visitor", visitorId, verified: false, ...(claimed ? { claimedUserId: claimed } : {}) });
    expect(res.body.message.identity).toEqual({ status: "rejected", reason });
    // The visitor reads it back as their own anonymous message.
    const conv = await readConv(shop, { visitorId });
    expect(conv.body.messages.map((m) => m.text)).toEqual(["still here"]);
    expect(conv.body.identity).toEqual({ status: "anonymous" });
  });

  it("each stored message keeps its own verdict, as judged when it arrived — merged into the user's thread at sign-in", async () => {
    const app = await newApp("required");
    const visitorId = uid("v");
    const userId = uid("u");
    await send(app, { visitorId, text: "m1 anonymous" });
    await send(app, { visitorId, text: "m2 bad signature", identity: badHash(userId) });
    await send(app, { visitorId, text: "m3 bare", identity: { userId } });
    await send(app, { visitorId, text: "m4 verified", identity: hashClaim(app, userId) });
    await send(app, { visitorId, text: "m5 anonymous again" });

    // m4 signed in: what this browser wrote before moved into the user's thread, each with its verdict.
    const userConv = await conversationOf(app, { userId, verified: true });
    const asUser = await adminMessages(app, userConv!.id);
    expect(asUser.map((m) => [m.text, m.author.type, m.author.verified, m.author.userId, m.author.claimedUserId, m.identity])).toEqual([
      ["m1 anonymous", "visitor", false, undefined, undefined, { status: "anonymous" }],
      ["m2 bad signature", "visitor", false, undefined, userId, { status: "rejected", reason: "bad_signature" }],
      ["m3 bare", "visitor", false, undefined, userId, { status: "rejected", reason: "missing_proof" }],
      [expect.stringMatching(new RegExp(`^Merged from anonymous visitor ${visitorId} at .+: 3 messages, kept with the verdicts they arrived with\\.$`)), "note", undefined, undefined, undefined, undefined],
      ["m4 verified", "visitor", true, userId, undefined, { status: "verified" }],
    ]);
    // m5, anonymous again in the same browser, starts a new anonymous conversation.
    const visitorConv = await conversationOf(app, { visitorId, userId: undefined, verified: false });
    const asVisitor = await adminMessages(app, visitorConv!.id);
    expect(asVisitor.map((m) => [m.text, m.identity])).toEqual([["m5 anonymous again", { status: "anonymous" }]]);
  });

  it("mode optional: a bare userId is unverified, stored with the userId but verified: false", async () => {
    const app = await newApp("optional");
    const visitorId = uid("v");
    const userId = uid("u");
    const res = await send(app, { visitorId, identity: { userId, name: "Olive" } });
    expect(res.status).toBe(201);
    expect(res.body.identity).toEqual({ status: "unverified", userId });
    expect(res.body.message.author).toMatchObject({ type: "visitor", visitorId, userId, verified: false });
    expect(res.body.message.identity).toEqual({ status: "unverified" });
    const [conv, ...rest] = await conversations(app);
    expect(rest).toEqual([]);
    expect(conv!.contact).toMatchObject({ userId, visitorId, verified: false });
  });

  it("the verified data of a payload or token is never echoed to the browser", async () => {
    const visitorId = uid("v");
    const res = await send(shop, { visitorId, identity: signPayload(shop.keys.payload.secret, { id: uid("u"), plan: "secret-plan-enterprise" }) });
    expect(res.status).toBe(201);
    expect(res.body.identity.status).toBe("verified");
    expect(res.text).not.toContain("secret-plan-enterprise");
    expect(Object.keys(res.body.identity).every((k) => ["status", "userId", "name", "reason"].includes(k))).toBe(true);
  });

  it("key rotation over HTTP: a revoked key fails at once while the other key still works", async () => {
    const app = await newApp("required");
    const second = await store.createKey(app.id, "hash");
    secrets.push(second.secret);
    const userId = uid("u");
    const byFirst = { userId, userHash: userHash(app.secret, userId) };
    const bySecond = { userId, userHash: userHash(second.secret, userId) };
    expect((await send(app, { visitorId: uid("v"), identity: byFirst })).body.identity.status).toBe("verified");
    expect((await send(app, { visitorId: uid("v"), identity: bySecond })).body.identity.status).toBe("verified");
    expect(await store.revokeKey(app.id, app.keyId)).toBe(true);
    expect((await send(app, { visitorId: uid("v"), identity: byFirst })).body.identity).toEqual({ status: "rejected", reason: "revoked_key", hint: "The proof was made with a key that has been revoked." });
    expect((await send(app, { visitorId: uid("v"), identity: bySecond })).body.identity).toEqual({ status: "verified", userId });
  });

  it("an app with no keys rejects every proof as no_keys, and still stores the message", async () => {
    const app = await store.createApp("keyless", [], "required");
    const res = await send(app, { visitorId: uid("v"), identity: { userId: "u_1", userHash: "0".repeat(64) } });
    expect(res.status).toBe(201);
    expect(res.body.identity).toMatchObject({ status: "rejected", reason: "no_keys" });
  });
});

function b64u(value: unknown) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("POST /v1/apps/:appId/conversation: history", () => {
  it("a verified user's history is the same from two different visitorIds", async () => {
    const userId = uid("u");
    const laptop = uid("v");
    const phone = uid("v");
    const a = await send(shop, { visitorId: laptop, identity: hashClaim(shop, userId), text: "from the laptop" });
    expect(a.status).toBe(201);
    const onPhone = await readConv(shop, { visitorId: phone, identity: hashClaim(shop, userId) });
    expect(onPhone.status).toBe(200);
    expect(onPhone.body.identity).toEqual({ status: "verified", userId });
    expect(onPhone.body.messages).toEqual([a.body.message]);

    const b = await send(shop, { visitorId: phone, identity: hashClaim(shop, userId), text: "from the phone" });
    const onLaptop = await readConv(shop, { visitorId: laptop, identity: hashClaim(shop, userId) });
    expect(onLaptop.body.messages).toEqual([a.body.message, b.body.message]);
  });

  it("any proof of the same user reads the same history (hash, payload, HMAC token, JWT)", async () => {
    const userId = uid("u");
    const sent = await send(shop, { visitorId: uid("v"), identity: hashClaim(shop, userId), text: "proof-independent" });
    const claims = [
      hashClaim(shop, userId),
      signPayload(shop.keys.payload.secret, { id: userId }),
      { token: createToken(shop.keys.token.secret, { sub: userId, app: shop.id, iat: NOW }) },
      { token: await createJwt(shop.keys.token.secret, { sub: userId, app: shop.id, iat: NOW }) },
    ];
    for (const identity of claims) {
      const res = await readConv(shop, { visitorId: uid("v"), identity });
      expect(res.body.identity).toEqual({ status: "verified", userId });
      expect(res.body.messages).toEqual([sent.body.message]);
    }
  });

  it("is NOT returned for a bare, rejected or anonymous request naming that user", async () => {
    const userId = uid("u");
    const owner = uid("v");
    await send(shop, { visitorId: owner, identity: hashClaim(shop, userId), text: "private history" });
    const other = await newApp("required");
    const attempts: [unknown, Record<string, unknown>][] = [
      [{ userId }, { status: "rejected", reason: "missing_proof" }],
      [badHash(userId), { status: "rejected", reason: "bad_signature" }],
      [hashClaim(other, userId), { status: "rejected", reason: "bad_signature" }],
      [{ token: createToken(shop.keys.token.secret, { sub: userId, app: shop.id, iat: NOW - 7200 }) }, { status: "rejected", reason: "expired" }],
      [{ token: createToken(shop.keys.token.secret, { sub: userId, app: other.id, iat: NOW }) }, { status: "rejected", reason: "wrong_app" }],
      [undefined, { status: "anonymous" }],
    ];
    for (const [identity, verdict] of attempts) {
      // A stranger's device, and the owner's own device without a good claim.
      for (const visitorId of [uid("v"), owner]) {
        const res = await readConv(shop, { visitorId, identity });
        expect(res.status).toBe(200);
        expect(res.body.identity).toMatchObject(verdict);
        expect(res.text).not.toContain("private history");
      }
    }
  });

  it("mode optional: an unverified claim of a user does not read that user's verified history", async () => {
    const app = await newApp("optional");
    const userId = uid("u");
    await send(app, { visitorId: uid("v"), identity: hashClaim(app, userId), text: "verified only" });
    const stranger = uid("v");
    const res = await readConv(app, { visitorId: stranger, identity: { userId } });
    expect(res.body.identity).toEqual({ status: "unverified", userId });
    expect(res.body.messages).toEqual([]);
    // And what the stranger writes under that name goes to the stranger's own conversation.
    await send(app, { visitorId: stranger, identity: { userId }, text: "pretending" });
    const verified = await conversationOf(app, { userId, verified: true });
    expect((await adminMessages(app, verified!.id)).map((m) => m.text)).toEqual(["verified only"]);
  });

  it("a failed verification leaves the contact alone: no contact created, an existing one unchanged", async () => {
    const app = await newApp("required");
    // A user who never verified: rejected claims create no contact for them.
    const never = uid("u");
    const x = uid("v");
    await send(app, { visitorId: x, identity: badHash(never, { name: "Mallory" }) });
    await send(app, { visitorId: x, identity: { userId: never, email: "m@evil.example" } });
    await send(app, { visitorId: x, identity: { token: createToken("pk_wrong", { sub: never, app: app.id, iat: NOW }) } });
    let all = await conversations(app);
    expect(all.some((c) => c.contact.userId === never)).toBe(false);
    expect(all.find((c) => c.contact.visitorId === x)!.contact).toEqual({ userId: null, visitorId: x, verified: false, detailsVerified: false });

    // A verified user: rejected claims in their name change nothing about their contact.
    const known = uid("u");
    const home = uid("v");
    await send(app, { visitorId: home, identity: hashClaim(app, known, { name: "Ada", email: "ada@example.com" }), text: "real" });
    const before = await conversationOf(app, { userId: known });
    expect(before!.contact).toEqual({ userId: known, visitorId: home, verified: true, name: "Ada", email: "ada@example.com", detailsVerified: false });
    const y = uid("v");
    const r1 = await send(app, { visitorId: y, identity: badHash(known, { name: "Mallory", email: "m@evil.example" }), text: "fake 1" });
    const r2 = await send(app, { visitorId: y, identity: { userId: known, name: "Mallory" }, text: "fake 2" });
    const r3 = await send(app, { visitorId: y, identity: signPayload("pk_wrong", { id: known, name: "Mallory" }), text: "fake 3" });
    for (const r of [r1, r2, r3]) {
      expect(r.status).toBe(201);
      expect(r.body.identity.status).toBe("rejected");
      // The id they claimed shows, marked unproven (claimedUserId, never userId), on no contact of theirs.
      expect(r.body.message.author).toEqual({ type: "visitor", visitorId: y, verified: false, claimedUserId: known });
    }
    all = await conversations(app);
    expect(all.filter((c) => c.contact.userId === known)).toEqual([before]);
    expect((await adminMessages(app, before!.id)).map((m) => m.text)).toEqual(["real"]);
    expect(all.find((c) => c.contact.visitorId === y)!.contact).toEqual({ userId: null, visitorId: y, verified: false, detailsVerified: false });
  });

  it("`after` returns only the newer messages, in order", async () => {
    const visitorId = uid("v");
    const m = [];
    for (const text of ["one", "two", "three"]) m.push((await send(shop, { visitorId, text })).body.message);
    expect((await readConv(shop, { visitorId })).body.messages.map((x) => x.text)).toEqual(["one", "two", "three"]);
    expect((await readConv(shop, { visitorId, after: m[0]!.id })).body.messages.map((x) => x.text)).toEqual(["two", "three"]);
    expect((await readConv(shop, { visitorId, after: m[1]!.id })).body.messages.map((x) => x.text)).toEqual(["three"]);
    expect((await readConv(shop, { visitorId, after: m[2]!.id })).body.messages).toEqual([]);
    const conv = await conversationOf(shop, { visitorId });
    const viaAdmin = await admin<{ messages: Message[] }>(`/${shop.id}/conversations/${conv!.id}/messages?after=${m[0]!.id}`);
    expect(viaAdmin.body.messages.map((x) => x.text)).toEqual(["two", "three"]);
  });

  it("a visitor with no conversation yet gets an empty list", async () => {
    const res = await readConv(shop, { visitorId: uid("v") });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ messages: [], identity: { status: "anonymous" } });
  });

  // Long-polls (waiting, waking, the cursor) have their own file: long-poll.test.ts.
});

// ---- CORS --------------------------------------------------------------------------------

describe("CORS: limited to the app's allowed origins", () => {
  it("an allowed origin gets Access-Control-Allow-Origin", async () => {
    const res = await send(shop, { visitorId: uid("v") }, SHOP);
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(res.headers.get("vary")).toMatch(/Origin/);
    const conv = await readConv(shop, { visitorId: uid("v") }, SHOP);
    expect(conv.headers.get("access-control-allow-origin")).toBe(SHOP);
  });

  it.each(["https://evil.example", "http://shop.example", "https://shop.example.evil.example", "null"])(
    "another origin (%s) gets 403 origin_not_allowed, readable by the page (so the widget stops, not retries), and nothing is stored",
    async (origin) => {
      const visitorId = uid("v");
      const res = await send(shop, { visitorId }, origin);
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: "origin_not_allowed", message: `Origin ${origin} is not allowed for this app.` });
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
      expect((await readConv(shop, { visitorId }, origin)).status).toBe(403);
      expect(await conversationOf(shop, { visitorId })).toBeUndefined();
    },
  );

  it("OPTIONS preflight from an allowed origin → 204 allowing POST with content-type", async () => {
    for (const path of ["messages", "conversation"]) {
      const res = await call(api, `/v1/apps/${shop.id}/${path}`, {
        method: "OPTIONS",
        origin: SHOP,
        headers: { "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      expect(res.headers.get("access-control-allow-origin")).toBe(SHOP);
      expect(res.headers.get("access-control-allow-methods")).toMatch(/POST/);
      expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
    }
  });

  it("OPTIONS preflight from another origin passes (a preflight does nothing); the request itself is refused, readably", async () => {
    const res = await call(api, `/v1/apps/${shop.id}/messages`, { method: "OPTIONS", origin: "https://evil.example", headers: { "access-control-request-method": "POST" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    const visitorId = uid("v");
    const refused = await send(shop, { visitorId }, "https://evil.example");
    expect([refused.status, refused.headers.get("access-control-allow-origin")]).toEqual([403, "https://evil.example"]);
    expect(await conversationOf(shop, { visitorId })).toBeUndefined();
  });

  it("an app with no origins accepts any origin", async () => {
    for (const origin of ["https://anything.example", "http://localhost:5173"]) {
      const res = await send(blog, { visitorId: uid("v") }, origin);
      expect(res.status).toBe(201);
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
      const pre = await call(api, `/v1/apps/${blog.id}/messages`, { method: "OPTIONS", origin, headers: { "access-control-request-method": "POST" } });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe(origin);
    }
  });

  it("a request with no Origin (a server, curl) is not a browser and is served without CORS headers", async () => {
    const res = await send(shop, { visitorId: uid("v") });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

// ---- errors ------------------------------------------------------------------------------

describe("errors: { error: { code, message } }, never a stack", () => {
  it("404 app_not_found for an unknown app, on every visitor route", async () => {
    for (const path of ["messages", "conversation"]) {
      const res = await call(api, `/v1/apps/app_doesnotexist/${path}`, { body: { visitorId: uid("v"), clientId: uid("c"), text: "x" } });
      expect(res.status).toBe(404);
      expectErrorBody(res.text, "app_not_found");
    }
  });

  it("404 not_found for an unknown endpoint", async () => {
    const res = await call(api, "/v2/whatever");
    expect(res.status).toBe(404);
    expectErrorBody(res.text, "not_found");
  });

  it.each([
    ["not JSON", "{not json"],
    ["empty", ""],
    ["truncated", '{"visitorId":"abcdefgh"'],
  ])("400 invalid_json for a body that is %s", async (_label, raw) => {
    const res = await call(api, `/v1/apps/${shop.id}/messages`, { raw });
    expect(res.status).toBe(400);
    expectErrorBody(res.text, "invalid_json");
  });

  const valid = () => ({ visitorId: uid("v"), clientId: uid("c"), text: "hello" });
  it.each<[string, unknown, RegExp]>([
    ["visitorId missing", { clientId: "c_12345678", text: "x" }, /visitorId/],
    ["visitorId too short", { ...valid(), visitorId: "v_1" }, /visitorId/],
    ["visitorId with bad characters", { ...valid(), visitorId: "v_<script>__" }, /visitorId/],
    ["clientId missing", { visitorId: "v_12345678", text: "x" }, /clientId/],
    ["text empty", { ...valid(), text: "" }, /text/],
    ["text only whitespace", { ...valid(), text: " \n\t " }, /text/],
    ["text too long", { ...valid(), text: "x".repeat(4001) }, /text/],
    ["text a number", { ...valid(), text: 42 }, /text/],
    ["a JSON array", [valid()], /./],
    ["JSON null", null, /./],
  ])("400 invalid_request on messages: %s", async (_label, body, mentions) => {
    const res = await call(api, `/v1/apps/${shop.id}/messages`, { raw: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expectErrorBody(res.text, "invalid_request");
    expect(res.body.error!.message).toMatch(mentions);
  });

  it.each<[string, unknown]>([
    ["wait above 30 s", { visitorId: "v_12345678", wait: 31 }],
    ["wait negative", { visitorId: "v_12345678", wait: -1 }],
    ["after not a string", { visitorId: "v_12345678", after: 5 }],
    ["no visitorId", {}],
  ])("400 invalid_request on conversation: %s", async (_label, body) => {
    const res = await call(api, `/v1/apps/${shop.id}/conversation`, { raw: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expectErrorBody(res.text, "invalid_request");
  });

  it("413 for a body over the cap, and nothing is stored", async () => {
    const visitorId = uid("v");
    const raw = JSON.stringify({ visitorId, clientId: uid("c"), text: "x".repeat(40 * 1024) });
    const res = await call(api, `/v1/apps/${shop.id}/messages`, { raw });
    expect(res.status).toBe(413);
    expectErrorBody(res.text, "body_too_large");
    // The same with a Content-Length header announcing the size up front.
    const announced = await call(api, `/v1/apps/${shop.id}/messages`, { raw, headers: { "content-length": String(Buffer.byteLength(raw)) } });
    expect(announced.status).toBe(413);
    expect(await conversationOf(shop, { visitorId })).toBeUndefined();
  });

  it("a 413 or 404 carries CORS headers, so the widget reads a refusal rather than a network error", async () => {
    const raw = JSON.stringify({ visitorId: uid("v"), clientId: uid("c"), text: "x".repeat(40 * 1024) });
    const big = await call(api, `/v1/apps/${shop.id}/messages`, { raw, origin: SHOP });
    expect(big.status).toBe(413);
    expect(big.headers.get("access-control-allow-origin")).toBe(SHOP);
    const missing = await call(api, `/v1/apps/app_missing/messages`, { body: {}, origin: SHOP });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("access-control-allow-origin")).toBe(SHOP);
  });

  it("a signed payload vouches for a contact's name and email; a user hash's hints never do", async () => {
    const app = await newApp();
    const userId = uid("u");
    await send(app, { visitorId: uid("v"), identity: hashClaim(app, userId, { name: "Ada", email: "ada@example.com" }) });
    expect((await conversations(app))[0]!.contact).toMatchObject({ userId, name: "Ada", detailsVerified: false });
    await send(app, { visitorId: uid("v"), identity: signPayload(app.keys.payload.secret, { id: userId, name: "Ada L.", email: "ada@example.com" }) });
    expect((await conversations(app))[0]!.contact).toMatchObject({ userId, name: "Ada L.", detailsVerified: true });
  });

  it("429 with Retry-After past a visitor's limit; other visitors carry on; nothing past the limit is stored", async () => {
    const limited = createApi({ store, log: silentLogger, now: () => NOW + 5, limits: { appPerMinute: 0, visitorPerMinute: 2, addressPerMinute: 0 } });
    const app = await newApp("required", []);
    const visitorId = uid("v");
    const post = (v: string, text: string) => call(limited, `/v1/apps/${app.id}/messages`, { body: { visitorId: v, clientId: uid("c"), text } });
    expect((await post(visitorId, "one")).status).toBe(201);
    expect((await post(visitorId, "two")).status).toBe(201);
    const third = await post(visitorId, "three");
    expect(third.status).toBe(429);
    expectErrorBody(third.text, "rate_limited");
        expect(Number(third.headers.get("retry-after"))).toBe(60 - ((NOW + 5) % 60));
    expect((await post(uid("v"), "someone else")).status).toBe(201);
    const { body } = await call<ConversationResponse>(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId } });
    expect(body.messages.map((m) => m.text)).toEqual(["one", "two"]);
  });

  it("429 past an app's limit, whoever the visitor", async () => {
    const limited = createApi({ store, log: silentLogger, now: () => NOW, limits: { appPerMinute: 3, visitorPerMinute: 0, addressPerMinute: 0 } });
    const app = await newApp("required", []);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(limited, `/v1/apps/${app.id}/conversation`, { body: { visitorId: uid("v") } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("logs a rejected claim as a warning with app, reason, proof and key id, and never the proof itself", async () => {
    const logged: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    const logging = createApi({ store, log: (level, msg, fields) => logged.push({ level, msg, fields }), now: () => NOW });
    const app = await newApp("required", []);
    const userId = uid("u");
    const claim = hashClaim(app, userId);
    await store.revokeKey(app.id, app.keyId);
    await store.revokeKey(app.id, app.keys.token.keyId);
    const jwt = await createJwt(app.keys.token.secret, { sub: userId, app: app.id, iat: NOW });
    for (const identity of [claim, { token: jwt }]) {
      await call(logging, `/v1/apps/${app.id}/messages`, { body: { visitorId: uid("v"), clientId: uid("c"), text: "hi", identity } });
    }
    const warnings = logged.filter((l) => l.level === "warn");
    expect(warnings.map((w) => w.fields)).toEqual([
      { app: app.id, reason: "revoked_key", proof: "hash", keyId: app.keyId },
      { app: app.id, reason: "revoked_key", proof: "jwt", keyId: app.keys.token.keyId },
    ]);
    const text = JSON.stringify(logged);
    for (const secretish of [app.secret, app.keys.token.secret, claim.userHash, jwt, jwt.split(".")[2]!]) expect(text).not.toContain(secretish);
    // One line per request, each with its status.
    expect(logged.filter((l) => l.msg === "request").map((l) => l.fields?.status)).toEqual([201, 201]);
  });

  it("the cap is configurable (maxBodyBytes)", async () => {
    const small = createApi({ store, log: silentLogger, adminToken: ADMIN, now: () => NOW, maxBodyBytes: 100 });
    const res = await call(small, `/v1/apps/${shop.id}/messages`, { body: { visitorId: uid("v"), clientId: uid("c"), text: "y".repeat(200) } });
    expect(res.status).toBe(413);
    const ok = await call(small, `/v1/apps/${shop.id}/messages`, { body: { visitorId: uid("v"), clientId: uid("c"), text: "ok" } });
    expect(ok.status).toBe(201);
  });

  it("an unexpected failure is a 500 { error: internal } without the exception's text or stack", async () => {
    const failing = new Error("boom: connection to db lost");
    const broken = {
      db: store.db,
      getAppForRequest: async () => {
        throw failing;
      },
    } as unknown as Store;
    const logged: string[] = [];
    const brokenApi = createApi({ store: broken, log: (_level, msg, fields) => logged.push(JSON.stringify({ msg, ...fields })), now: () => NOW });
    const res = await call(brokenApi, `/v1/apps/${shop.id}/messages`, { body: { visitorId: uid("v"), clientId: uid("c"), text: "x" } });
    expect(res.status).toBe(500);
    expectErrorBody(res.text, "internal");
    expect(res.text).not.toContain("boom");
    expect(res.text).not.toContain(failing.stack!.split("\n")[1]!.trim());
    // The operator still learns what happened, from the log.
    expect(logged.some((line) => line.includes("boom"))).toBe(true);
  });
});

// ---- operator API ------------------------------------------------------------------------

describe("operator API", () => {
  it.each<[string, string | undefined]>([
    ["no Authorization header", undefined],
    ["a wrong token", "Bearer wrong"],
    ["the right token with another scheme", `Basic ${ADMIN}`],
    ["the token without a scheme", ADMIN],
    ["an empty bearer", "Bearer "],
    ["a longer token with the right prefix", `Bearer ${ADMIN}x`],
  ])("401 with %s", async (_label, auth) => {
    for (const path of [`/v1/admin/apps/${shop.id}/conversations`, `/v1/admin/apps/${shop.id}/conversations/conv_x/messages`]) {
      const res = await call(api, path, { auth });
      expect(res.status).toBe(401);
      expectErrorBody(res.text, "unauthorized");
    }
    const reply = await call(api, `/v1/admin/apps/${shop.id}/conversations/conv_x/replies`, { auth, body: { text: "hi" } });
    expect(reply.status).toBe(401);
  });

  it("503 admin_disabled when no admin token is configured, whatever is sent", async () => {
    const noAdmin = createApi({ store, log: silentLogger, now: () => NOW });
    for (const auth of [undefined, "Bearer ", "Bearer t", "Bearer undefined"]) {
      const res = await call(noAdmin, `/v1/admin/apps/${shop.id}/conversations`, { auth });
      expect(res.status).toBe(503);
      expectErrorBody(res.text, "admin_disabled");
    }
    const emptyToken = createApi({ store, log: silentLogger, adminToken: "", now: () => NOW });
    expect((await call(emptyToken, `/v1/admin/apps/${shop.id}/conversations`, { auth: "Bearer " })).status).toBe(503);
  });

  it("404 for an unknown app, an unknown conversation, and another app's conversation", async () => {
    expectErrorBody((await admin(`/app_nope/conversations`)).text, "app_not_found");
    expect((await admin(`/${shop.id}/conversations/conv_nope/messages`)).status).toBe(404);
    expect((await admin(`/${shop.id}/conversations/conv_nope/replies`, { body: { text: "x" } })).status).toBe(404);
    const visitorId = uid("v");
    await send(blog, { visitorId });
    const blogConv = await conversationOf(blog, { visitorId });
    const cross = await admin(`/${shop.id}/conversations/${blogConv!.id}/messages`);
    expect(cross.status).toBe(404);
    expectErrorBody(cross.text, "conversation_not_found");
    expect((await admin(`/${shop.id}/conversations/${blogConv!.id}/replies`, { body: { text: "x" } })).status).toBe(404);
  });

  it("lists conversations with their contact and messages with their verdicts", async () => {
    const app = await newApp("required");
    const userId = uid("u");
    const device = uid("v");
    const anon = uid("v");
    await send(app, { visitorId: anon, text: "anon question" });
    await send(app, { visitorId: device, identity: hashClaim(app, userId, { name: "Ada", email: "ada@example.com" }), text: "verified question" });
    const res = await admin<{ conversations: ConversationRow[] }>(`/${app.id}/conversations`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["conversations", "cursor"]);
    const list = res.body.conversations;
    expect(list).toHaveLength(2);
    // Most recent first.
    expect(list[0]!.contact).toEqual({ userId, visitorId: device, verified: true, name: "Ada", email: "ada@example.com", detailsVerified: false });
    expect(list[1]!.contact).toEqual({ userId: null, visitorId: anon, verified: false, detailsVerified: false });
    for (const c of list) {
      expect(c.id).toMatch(/^conv_/);
      expect(new Date(c.lastMessageAt).toISOString()).toBe(c.lastMessageAt);
    }
    // A second verified device: still one contact, still verified, now showing the latest device.
    const tablet = uid("v");
    await send(app, { visitorId: tablet, identity: hashClaim(app, userId), text: "from the tablet" });
    const after = await conversations(app);
    expect(after).toHaveLength(2);
    expect(after[0]!.id).toBe(list[0]!.id);
    expect(after[0]!.contact).toEqual({ userId, visitorId: tablet, verified: true, name: "Ada", email: "ada@example.com", detailsVerified: false });

    const messages = await admin<{ messages: Message[] }>(`/${app.id}/conversations/${list[0]!.id}/messages`);
    expect(Object.keys(messages.body)).toEqual(["messages"]);
    expect(messages.body.messages).toEqual([
      expect.objectContaining({ text: "verified question", author: { type: "visitor", visitorId: device, userId, verified: true, name: "Ada" }, identity: { status: "verified" } }),
      expect.objectContaining({ text: "from the tablet", author: { type: "visitor", visitorId: tablet, userId, verified: true }, identity: { status: "verified" } }),
    ]);
  });

  it("replies → 201, and the visitor sees the reply via POST conversation", async () => {
    const visitorId = uid("v");
    const mine = await send(shop, { visitorId, text: "help please" });
    const conv = await conversationOf(shop, { visitorId });
    const reply = await admin(`/${shop.id}/conversations/${conv!.id}/replies`, { body: { text: "On it." } });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toEqual({
      id: expect.stringMatching(/^msg_/),
      clientId: null,
      text: "On it.",
      createdAt: expect.any(String),
      author: { type: "operator", name: "Support" },
    });
    const named = await admin(`/${shop.id}/conversations/${conv!.id}/replies`, { body: { text: "Grace here.", name: "Grace" } });
    expect(named.body.message.author).toEqual({ type: "operator", name: "Grace" });
    const seen = await readConv(shop, { visitorId });
    expect(seen.body.messages).toEqual([mine.body.message, reply.body.message, named.body.message]);
  });

  it("a reply to a verified user's conversation reaches every device with a verified claim, and no one else", async () => {
    const userId = uid("u");
    await send(shop, { visitorId: uid("v"), identity: hashClaim(shop, userId), text: "question" });
    const conv = await conversationOf(shop, { userId, verified: true });
    const reply = await admin(`/${shop.id}/conversations/${conv!.id}/replies`, { body: { text: "answer for the user" } });
    const otherDevice = await readConv(shop, { visitorId: uid("v"), identity: { token: createToken(shop.keys.token.secret, { sub: userId, app: shop.id, iat: NOW }) } });
    expect(otherDevice.body.messages.at(-1)).toEqual(reply.body.message);
    const impostor = await readConv(shop, { visitorId: uid("v"), identity: badHash(userId) });
    expect(impostor.text).not.toContain("answer for the user");
  });

  it("400 invalid_request for an empty reply, 400 invalid_json for a broken one", async () => {
    const visitorId = uid("v");
    await send(shop, { visitorId });
    const conv = await conversationOf(shop, { visitorId });
    const empty = await admin(`/${shop.id}/conversations/${conv!.id}/replies`, { body: { text: "  " } });
    expect(empty.status).toBe(400);
    expectErrorBody(empty.text, "invalid_request");
    const broken = await call(api, `/v1/admin/apps/${shop.id}/conversations/${conv!.id}/replies`, { auth: `Bearer ${ADMIN}`, raw: "{" });
    expect(broken.status).toBe(400);
    expectErrorBody(broken.text, "invalid_json");
  });
});

// ---- health and leaks --------------------------------------------------------------------

describe("GET /healthz", () => {
  it("200 when storage answers", async () => {
    const res = await call(api, "/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, storage: db.kind });
  });
});

describe("secrets", () => {
  it("key secrets are stored encrypted, never as plain text", async () => {
    const rows = await db.query<{ secret_enc: string }>(`SELECT secret_enc FROM app_keys`);
    expect(rows.length).toBeGreaterThanOrEqual(secrets.length);
    const all = JSON.stringify(rows);
    for (const secret of secrets) expect(all).not.toContain(secret.slice(3));
  });

  it("no key secret ever appears in any response body, whatever the proof and verdict", async () => {
    // Self-contained: its own app and requests through every path that handles a secret — each
    // proof verified, each rejected with the doctor's hint on, the operator's key list. (Every
    // other response in this file is checked as it arrives, by `call`.)
    const app = await newApp("required", [], true);
    const userId = uid("u");
    const seen: string[] = [];
    const claims = [
      hashClaim(app, userId),
      signPayload(app.keys.payload.secret, { id: userId }),
      { token: createToken(app.keys.token.secret, { sub: userId, app: app.id, iat: NOW }) },
      { token: await createJwt(app.keys.token.secret, { sub: userId, app: app.id, iat: NOW }) },
      // Made with a key of another kind, and with a near-miss: the hint code recomputes MACs.
      { token: createToken(app.keys.hash.secret, { sub: userId, app: app.id, iat: NOW }) },
      { userId, userHash: userHash(app.secret, `${userId} `) },
    ];
    for (const identity of claims) {
      seen.push((await send(app, { visitorId: uid("v"), identity })).text);
      seen.push((await readConv(app, { visitorId: uid("v"), identity })).text);
    }
    seen.push((await admin(`/${app.id}/keys`)).text, (await admin(``)).text);
    expect(seen.filter((t) => t.includes('"status":"verified"'))).toHaveLength(8);
    expect(seen.filter((t) => t.includes('"hint"'))).toHaveLength(4);
    const mine = Object.values(app.keys).map((k) => k.secret);
    const leaks = seen.filter((body) => mine.some((s) => body.includes(s) || body.includes(s.slice(3))));
    expect(leaks).toEqual([]);
  });
});
