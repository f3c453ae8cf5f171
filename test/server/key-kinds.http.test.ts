// Each key signs one kind of proof, over HTTP and on both storages: every conversion of one
// proof's MAC into another's shape is rejected and reads none of the victim's history; keys are
// created per kind by the operator API; rejection hints reach a response only with hints on.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_KINDS, type KeyKind } from "../../contract/claim.ts";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import { createJwt, createToken, signPayload, userHash } from "../../server/sign.ts";
import type { App, Store } from "../../server/store.ts";
import { openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";

const NOW = 1_700_000_000;
const ADMIN = "t_admin";
let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;

beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: ADMIN, now: () => NOW }));
});
afterAll(async () => {
  await db?.close();
});
const b64u = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const mac = (secret: string, text: string) => createHmac("sha256", Buffer.from(secret, "utf8")).update(text, "utf8").digest();
const admin = (path: string, opts: { method?: string; body?: unknown } = {}) => callApi(api, `/v1/admin/apps${path}`, { auth: `Bearer ${ADMIN}`, ...opts });
const send = (app: App, visitorId: string, identity: unknown, text = "hello") => callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId: uid("c"), text, identity } });
const read = (app: App, visitorId: string, identity: unknown) => callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId, identity } });

async function appWithEveryKind(hints = false) {
  const created = await admin("", { body: { name: "kinds", hints } });
  expect(created.status).toBe(201);
  const app = created.body.app as App;
  const secrets = {} as Record<KeyKind, string>;
  for (const proof of KEY_KINDS) {
    const key = await admin(`/${app.id}/keys`, { body: { proof } });
    expect(key.status).toBe(201);
    expect(key.body.proof).toBe(proof);
    secrets[proof] = key.body.secret;
  }
  return { app, secrets };
}

describe("every conversion of a MAC into another proof is rejected over HTTP", async () => {
  it("token → payload, hash → JWT, token → hash, payload → token, and an expired token's MAC in any shape", async () => {
    const { app, secrets } = await appWithEveryKind();
    const victim = uid("u");
    // The victim's own history, written with a genuine proof.
    const genuine = await send(app, uid("v"), { token: createToken(secrets.token, { sub: victim, app: app.id, iat: NOW }) }, "the victim's secret question");
    expect(genuine.body.identity.status).toBe("verified");

    const tokenJson = (iat: number) => JSON.stringify({ sub: victim, app: app.id, iat, exp: iat + 3600 });
    const reshapeToken = (json: string) => {
      const m = mac(secrets.token, json);
      return [
        { payload: json, signature: m.toString("hex") },
        { userId: json, userHash: m.toString("hex") },
      ];
    };
    // A site with usernames as ids hands out HMAC(hash key, username): the username is a JWT's signing input.
    const jwtInput = `${b64u(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64u(tokenJson(NOW))}`;
    const hashOfCraftedId = userHash(secrets.hash, jwtInput);
    const payload = signPayload(secrets.payload, { id: victim, sub: victim, app: app.id, iat: NOW, exp: NOW + 3600 });
    const forged = [
      ...reshapeToken(tokenJson(NOW)),
      ...reshapeToken(tokenJson(NOW - 86_400)), // expired a day ago
      { token: `${jwtInput}.${b64u(Buffer.from(hashOfCraftedId, "hex"))}` },
      { token: `${b64u(payload.payload)}.${b64u(Buffer.from(payload.signature, "hex"))}` },
      { userId: payload.payload, userHash: payload.signature },
    ];
    for (const identity of forged) {
      const visitorId = uid("v");
      const res = await send(app, visitorId, identity, "forged");
      expect(res.status, JSON.stringify(identity).slice(0, 80)).toBe(201);
      expect(res.body.identity.status).toBe("rejected");
      // Filed under nobody: whatever id the forgery named is only `claimedUserId`, unproven.
      expect(res.body.message.author).toEqual({ type: "visitor", visitorId, verified: false, ...(res.body.message.author.claimedUserId ? { claimedUserId: expect.any(String) } : {}) });
      expect(res.body.message.author.userId).toBeUndefined();
      const history = await read(app, visitorId, identity);
      expect(history.body.messages.map((m: { text: string }) => m.text)).toEqual(["forged"]);
    }
  });

  it("a proof signed with the key of its kind verifies: hash, payload, HMAC token and JWT", async () => {
    const { app, secrets } = await appWithEveryKind();
    const user = uid("u");
    for (const identity of [
      { userId: user, userHash: userHash(secrets.hash, user) },
      signPayload(secrets.payload, { id: user }),
      { token: createToken(secrets.token, { sub: user, app: app.id, iat: NOW }) },
      { token: await createJwt(secrets.token, { sub: user, app: app.id, iat: NOW }) },
    ]) {
      expect((await send(app, uid("v"), identity)).body.identity).toEqual({ status: "verified", userId: user });
    }
  });
});

describe("keys per kind in the operator API", () => {
  it("POST …/keys defaults to hash, lists each key's kind, refuses an unknown kind", async () => {
    const app = (await admin("", { body: { name: "default kind" } })).body.app as App;
    const key = await admin(`/${app.id}/keys`, { body: {} });
    expect(key.status).toBe(201);
    expect(key.body).toEqual({ keyId: expect.any(String), proof: "hash", secret: expect.stringMatching(/^pk_/) });
    const bad = await admin(`/${app.id}/keys`, { body: { proof: "jwt" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/proof/);
    const list = await admin(`/${app.id}/keys`);
    expect(list.body.keys).toEqual([{ keyId: key.body.keyId, proof: "hash", createdAt: expect.any(String), revokedAt: null }]);
    expect(list.text).not.toContain(key.body.secret);
  });

  it("rotation per kind: a second token key verifies, revoking the first fails it at once", async () => {
    const { app, secrets } = await appWithEveryKind();
    const second = (await admin(`/${app.id}/keys`, { body: { proof: "token" } })).body;
    const user = uid("u");
    const first = { token: createToken(secrets.token, { sub: user, app: app.id, iat: NOW }) };
    const next = { token: createToken(second.secret, { sub: user, app: app.id, iat: NOW }) };
    expect((await send(app, uid("v"), first)).body.identity.status).toBe("verified");
    expect((await send(app, uid("v"), next)).body.identity.status).toBe("verified");
    const keys = (await admin(`/${app.id}/keys`)).body.keys as { keyId: string; proof: string }[];
    const firstId = keys.find((k) => k.proof === "token" && k.keyId !== second.keyId)!.keyId;
    expect((await admin(`/${app.id}/keys/${firstId}`, { method: "DELETE" })).body).toEqual({ keyId: firstId, revoked: true });
    expect((await send(app, uid("v"), first)).body.identity).toMatchObject({ status: "rejected", reason: "revoked_key" });
    expect((await send(app, uid("v"), next)).body.identity.status).toBe("verified");
    expect((await admin(`/${app.id}/keys/key_nope`, { method: "DELETE" })).status).toBe(404);
  });

  it("apps: create, list, update (origins, mode, hints) — and a bad setting is a 400 naming it", async () => {
    const created = await admin("", { body: { name: "Shop", origins: ["https://shop.example/path"], mode: "optional" } });
    expect(created.body.app).toMatchObject({ name: "Shop", origins: ["https://shop.example"], mode: "optional", hints: false });
    const id = created.body.app.id;
    expect((await admin("")).body.apps.map((a: App) => a.id)).toContain(id);
    const updated = await admin(`/${id}`, { method: "PATCH", body: { hints: true, mode: "required" } });
    expect(updated.body.app).toMatchObject({ id, name: "Shop", mode: "required", hints: true, origins: ["https://shop.example"] });
    for (const body of [{ mode: "sometimes" }, { origins: ["ftp://x"] }, { hints: "yes" }, { name: "" }, { colour: "red" }]) {
      const res = await admin(`/${id}`, { method: "PATCH", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await admin(`/app_nope`, { method: "PATCH", body: { hints: true } })).status).toBe(404);
  });
});

describe("hints only while the app's owner has them on", () => {
  it("off (the default): the reason, no hint; on: the doctor's sentence", async () => {
    const { app, secrets } = await appWithEveryKind(false);
    const user = uid("u");
    const misshashed = { userId: user, userHash: userHash(secrets.hash, `${user} `) };
    expect((await send(app, uid("v"), misshashed)).body.identity).toEqual({ status: "rejected", reason: "bad_signature" });
    await admin(`/${app.id}`, { method: "PATCH", body: { hints: true } });
    expect((await send(app, uid("v"), misshashed)).body.identity).toEqual({ status: "rejected", reason: "bad_signature", hint: expect.stringMatching(/trailing space/) });
    // With hints on, a MAC of the wrong kind names the kind (never a secret).
    const tokenByHashKey = { token: createToken(secrets.hash, { sub: user, app: app.id, iat: NOW }) };
    const res = await send(app, uid("v"), tokenByHashKey);
    expect(res.body.identity.hint).toMatch(/made with your hash key/);
    for (const secret of Object.values(secrets)) expect(res.text).not.toContain(secret);
  });
});
