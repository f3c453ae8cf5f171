// The operator API's edges: who may call it (the bearer token over TCP; the local-operator marker
// that the admin socket and in-process callers put in the request's environment, which no client
// can send), its refusals with their exact codes and sentences, its body cap, app and key routes'
// answers as stored, and the integration doctor. On both storages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { localOperator } from "../../server/http/local-operator.ts";
import { silentLogger } from "../../server/log.ts";
import { createToken, userHash } from "../../server/sign.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi, type CallOptions } from "../support/http.ts";

/** Longer than one character, so a token check that looked at one character would be seen. */
const ADMIN = "operator-token-0123";
const BEARER = `Bearer ${ADMIN}`;

let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let app: App;

beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: ADMIN, limits: NO_LIMITS, maxBodyBytes: 1000 }));
  app = await store.createApp("edges", [], "required");
});
afterAll(async () => {
  await db?.close();
});

const admin = (path: string, opts: CallOptions = {}) => callApi(api, `/v1/admin/apps${path}`, { auth: BEARER, ...opts });
/** What the admin socket and in-process callers do: the marker in the request's environment, no token. */
const asLocalOperator = (target: ReturnType<typeof createApi>) => ({ request: (path: string, init: RequestInit) => target.request(path, init, localOperator()) });

describe("who may call the operator API", () => {
  it("the local operator needs no token, even where no token is configured (admin_disabled over TCP)", async () => {
    const noToken = createApi({ store, log: silentLogger, limits: NO_LIMITS });
    const tcp = await callApi(noToken, "/v1/admin/apps");
    expect(tcp.status).toBe(503);
    expect(tcp.body.error).toEqual({ code: "admin_disabled", message: "Set PARLEY_ADMIN_TOKEN to enable the operator API." });
    const local = await callApi(asLocalOperator(noToken), "/v1/admin/apps");
    expect(local.status).toBe(200);
    expect(local.body.apps).toContainEqual(app);
    const created = await callApi(asLocalOperator(noToken), "/v1/admin/apps", { body: { name: "made locally" } });
    expect(created.status).toBe(201);
    expect(await store.getApp(created.body.app.id)).toEqual(created.body.app);
  });

  it("with a token configured, the local operator still needs none, while a TCP request without it gets 401", async () => {
    const local = await callApi(asLocalOperator(api), `/v1/admin/apps/${app.id}/keys`);
    expect(local.status).toBe(200);
    expect(local.body).toEqual({ keys: [] });
    const tcp = await callApi(api, `/v1/admin/apps/${app.id}/keys`);
    expect(tcp.status).toBe(401);
    expect(tcp.body.error).toEqual({ code: "unauthorized", message: "A valid operator token is required." });
    // What a TCP client can put in the environment (its socket) is not the marker.
    const peer = await callApi(api, `/v1/admin/apps/${app.id}/keys`, { peer: "127.0.0.1" });
    expect(peer.status).toBe(401);
  });

  it("the scheme is case-insensitive; the whole token must match, after exactly 'Bearer '", async () => {
    for (const auth of [BEARER, `bearer ${ADMIN}`, `BEARER ${ADMIN}`]) expect((await admin("", { auth })).status, auth).toBe(200);
    for (const auth of [`XBearer ${ADMIN}`, `Token Bearer ${ADMIN}`, `Bearer ${ADMIN.slice(0, -1)}`, `Bearer ${ADMIN[0]}`, `Bearer  ${ADMIN}`, `Bearer ${ADMIN}x`]) {
      const res = await admin("", { auth });
      expect(res.status, auth).toBe(401);
      expect(res.body.error?.code).toBe("unauthorized");
    }
  });
});

describe("refusals name what is missing", () => {
  it("an unknown app: 404 app_not_found naming it, on every route under the app", async () => {
    const routes: [string, CallOptions][] = [
      ["/app_nope/keys", {}],
      ["/app_nope/keys", { body: {} }],
      ["/app_nope/keys/key_x", { method: "DELETE" }],
      ["/app_nope/conversations", {}],
      ["/app_nope/doctor", { body: { identity: null } }],
      ["/app_nope", { method: "PATCH", body: { hints: true } }],
    ];
    for (const [path, opts] of routes) {
      const res = await admin(path, opts);
      expect([res.status, res.body.error], `${opts.method ?? "GET/POST"} ${path}`).toEqual([404, { code: "app_not_found", message: 'No app "app_nope".' }]);
    }
    // Nothing was made for it.
    expect(await store.listKeys("app_nope")).toEqual([]);
  });

  it("an unknown key: 404 key_not_found naming the key and the app", async () => {
    const res = await admin(`/${app.id}/keys/key_nope`, { method: "DELETE" });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: "key_not_found", message: `No key "key_nope" in app "${app.id}".` });
  });

  it("another app's key is not this app's: 404, and it stays valid", async () => {
    const other = await store.createApp("other", [], "required");
    const key = await store.createKey(other.id, "hash");
    const res = await admin(`/${app.id}/keys/${key.keyId}`, { method: "DELETE" });
    expect(res.body.error?.code).toBe("key_not_found");
    expect((await store.listKeys(other.id))[0]!.revokedAt).toBeNull();
  });

  it("an unknown conversation: 404 conversation_not_found, for messages and replies", async () => {
    for (const [path, opts] of [
      [`/${app.id}/conversations/conv_nope/messages`, {}],
      [`/${app.id}/conversations/conv_nope/replies`, { body: { text: "hello?" } }],
    ] as const) {
      const res = await admin(path, opts);
      expect([res.status, res.body.error]).toEqual([404, { code: "conversation_not_found", message: "No conversation with this id." }]);
    }
  });

  it("`after` that is not a message id: 400 invalid_request saying so", async () => {
    const visitorId = uid("v");
    await callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId: uid("c"), text: "hello" } });
    const conversationId = (await store.listConversations(app.id)).find((c) => c.contact.visitorId === visitorId)!.id;
    for (const after of ["not%20an%20id", "", "x".repeat(101), "msg.1"]) {
      const res = await admin(`/${app.id}/conversations/${conversationId}/messages?after=${after}`);
      expect([res.status, res.body.error], after).toEqual([400, { code: "invalid_request", message: "after must be a message id." }]);
    }
    const all = await admin(`/${app.id}/conversations/${conversationId}/messages`);
    expect(all.body.messages.map((m: { text: string }) => m.text)).toEqual(["hello"]);
  });

  it("a body over the cap: 413 body_too_large with the cap in the sentence, and nothing is made", async () => {
    const name = `big-${"x".repeat(1200)}`;
    for (const path of ["", `/${app.id}/keys`]) {
      const res = await admin(path, { raw: JSON.stringify({ name }) });
      expect([res.status, res.body.error], path).toEqual([413, { code: "body_too_large", message: "The request body is over 1000 bytes." }]);
    }
    expect((await store.listApps()).some((a) => a.name.startsWith("big-"))).toBe(false);
    expect(await store.listKeys(app.id)).toEqual([]);
    // Just under the cap is read (and judged on its content).
    const under = await admin("", { raw: JSON.stringify({ name: "y".repeat(101) }) });
    expect([under.status, under.body.error?.code]).toEqual([400, "invalid_request"]);
  });

  it("a body over the cap from a caller without the token: 401, never read", async () => {
    const res = await callApi(api, "/v1/admin/apps", { raw: JSON.stringify({ name: "x".repeat(5000) }) });
    expect(res.status).toBe(401);
  });

  it("a body that is not JSON, or not the shape: 400 with the code and the first problem", async () => {
    expect((await admin("", { raw: "{" })).body.error).toEqual({ code: "invalid_json", message: "The request body must be JSON." });
    expect((await admin("", { body: { name: "ok", colour: "red" } })).body.error?.code).toBe("invalid_request");
    expect((await admin("", { body: {} })).body.error?.message).toMatch(/^name /);
    expect((await admin(`/${app.id}/doctor`, { body: { identity: null, extra: 1 } })).body.error?.code).toBe("invalid_request");
  });
});

describe("apps and keys as stored", () => {
  it("POST apps with only a name: 201, origins [], mode required, hints off — and stored so", async () => {
    const res = await admin("", { body: { name: "  Plain  " } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ app: { id: expect.stringMatching(/^app_/), name: "Plain", origins: [], mode: "required", hints: false } });
    expect(await store.getApp(res.body.app.id)).toEqual(res.body.app);
  });

  it("POST apps with every setting: each is kept as given", async () => {
    const res = await admin("", { body: { name: "Full", origins: ["https://a.example/x", "http://b.example:8080"], mode: "optional", hints: true } });
    expect(res.status).toBe(201);
    const expected = { id: res.body.app.id, name: "Full", origins: ["https://a.example", "http://b.example:8080"], mode: "optional", hints: true };
    expect(res.body.app).toEqual(expected);
    expect(await store.getApp(expected.id)).toEqual(expected);
    const list = await admin("");
    expect(list.status).toBe(200);
    expect(Object.keys(list.body)).toEqual(["apps"]);
    expect(list.body.apps).toContainEqual(expected);
  });

  it("PATCH an app: 200 with the app as it now is; an empty patch changes nothing", async () => {
    const made = await store.createApp("to patch", ["https://p.example"], "required", false);
    const res = await admin(`/${made.id}`, { method: "PATCH", body: { name: "patched", hints: true } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ app: { ...made, name: "patched", hints: true } });
    const same = await admin(`/${made.id}`, { method: "PATCH", body: {} });
    expect(same.body).toEqual({ app: { ...made, name: "patched", hints: true } });
    expect(await store.getApp(made.id)).toEqual({ ...made, name: "patched", hints: true });
  });

  it("POST keys: 201 with the secret this once, of the kind asked; GET keys lists them without it", async () => {
    const made = await store.createApp("keys", [], "required");
    const res = await admin(`/${made.id}/keys`, { body: { proof: "token" } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ keyId: expect.stringMatching(/^key_/), proof: "token", secret: expect.stringMatching(/^pk_/) });
    const list = await admin(`/${made.id}/keys`);
    expect(list.body).toEqual({ keys: [{ keyId: res.body.keyId, proof: "token", createdAt: expect.any(String), revokedAt: null }] });
    expect(list.text).not.toContain(res.body.secret);
  });

  it("DELETE a key: 200 { keyId, revoked: true }, stored revoked; again, still revoked", async () => {
    const made = await store.createApp("revoke", [], "required");
    const { keyId } = await store.createKey(made.id, "hash");
    const res = await admin(`/${made.id}/keys/${keyId}`, { method: "DELETE" });
    expect([res.status, res.body]).toEqual([200, { keyId, revoked: true }]);
    const [stored] = await store.listKeys(made.id);
    expect(stored!.revokedAt).toEqual(expect.any(String));
    const again = await admin(`/${made.id}/keys/${keyId}`, { method: "DELETE" });
    expect([again.status, again.body]).toEqual([200, { keyId, revoked: true }]);
    expect((await store.listKeys(made.id))[0]!.revokedAt).toBe(stored!.revokedAt);
  });
});

describe("POST /v1/admin/apps/:appId/doctor", () => {
  let doc: App;
  let hashKey: { keyId: string; secret: string };
  let tokenKey: { keyId: string; secret: string };
  beforeAll(async () => {
    doc = await store.createApp("doctor", [], "required");
    hashKey = await store.createKey(doc.id, "hash");
    tokenKey = await store.createKey(doc.id, "token");
  });
  const doctor = (identity: unknown, appId = doc.id) => admin(`/${appId}/doctor`, { body: { identity } });

  it("a good proof: ok, verified, the user and the key that verified it, and no advice", async () => {
    const userId = uid("u");
    const res = await doctor({ userId, userHash: userHash(hashKey.secret, userId) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: "verified", userId, keyId: hashKey.keyId, cause: `The proof is good: verified as user "${userId}" with key ${hashKey.keyId}.` });
  });

  it("checks a token against the clock now (a token minted now is good; one from 2023 has expired)", async () => {
    const userId = uid("u");
    const now = Math.floor(Date.now() / 1000);
    const fresh = await doctor({ token: createToken(tokenKey.secret, { sub: userId, app: doc.id, iat: now }) });
    expect(fresh.body).toMatchObject({ ok: true, status: "verified", userId, keyId: tokenKey.keyId });
    const old = await doctor({ token: createToken(tokenKey.secret, { sub: userId, app: doc.id, iat: 1_700_000_000 }) });
    expect(old.body).toMatchObject({ ok: false, status: "rejected", reason: "expired" });
  });

  it("a rejected proof: not ok, the reason, the cause and the advice", async () => {
    const res = await doctor({ userId: "u_1" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: false,
      status: "rejected",
      reason: "missing_proof",
      cause: 'A bare userId with no proof, and the app requires one (mode "required").',
      advice: "Send userHash = hex(HMAC-SHA256(secret, userId)).",
    });
  });

  it("no identity: anonymous, with neither reason nor advice", async () => {
    const res = await doctor(null);
    expect(res.body).toEqual({ ok: false, status: "anonymous", cause: "No identity was given, so the visitor is anonymous." });
  });

  it("a proof made with another app's key is named as such (the doctor sees the other apps' keys)", async () => {
    const other = await store.createApp("elsewhere", [], "required");
    const otherKey = await store.createKey(other.id, "hash");
    const res = await doctor({ userId: "u_1", userHash: userHash(otherKey.secret, "u_1") });
    expect(res.body).toMatchObject({ ok: false, status: "rejected", reason: "bad_signature" });
    expect(res.body.cause).toBe(`The proof was made with a key of another app (${other.id}), not ${doc.id}.`);
    expect(res.text).not.toContain(otherKey.secret);
  });

  it("reads the app's mode: in mode optional, a bare userId is unverified, with the user and advice", async () => {
    const optional = await store.createApp("doctor optional", [], "optional");
    const res = await doctor({ userId: "u_7" }, optional.id);
    expect(res.body).toEqual({ ok: false, status: "unverified", userId: "u_7", cause: expect.stringMatching(/optional/), advice: "Send userHash with it." });
  });
});
