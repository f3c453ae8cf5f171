// On embedded storage the app and its keys are kept in memory (storage/app-cache.ts): a visitor
// request reads neither. Every change still counts from the very next request — a new key, a
// revoked one, new origins or mode — whether made through the operator API (what the CLI calls,
// in-process or through the admin socket: key-rotation.test.ts runs the real CLI against a real
// server) or the store itself. On PostgreSQL nothing is kept: the same tests hold there too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import { userHash } from "../../server/sign.ts";
import { AppCache } from "../../server/storage/app-cache.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";

const ADMIN = "cache-admin";
const SITE = "https://shop.example";
let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: ADMIN, limits: NO_LIMITS }));
});
afterAll(async () => {
  await db?.close();
});

const admin = (method: string, path: string, body?: unknown) => callApi(api, `/v1/admin${path}`, { method, auth: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { body }) });
const claimWith = (secret: string, userId = "u_cached") => ({ userId, userHash: userHash(secret, userId) });
const readAs = (app: App, identity?: unknown, origin = SITE) => callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId: uid("v"), identity }, origin });
const verdict = async (app: App, identity: unknown) => (await readAs(app, identity)).body.identity;

describe("every change counts from the next request", () => {
  it("through the operator API: a new key verifies at once, a revoked one is refused at once", async () => {
    const app = (await admin("POST", "/apps", { name: "Cached", origins: [SITE] })).body.app as App;
    const first = (await admin("POST", `/apps/${app.id}/keys`, {})).body;
    expect(await verdict(app, claimWith(first.secret))).toEqual({ status: "verified", userId: "u_cached" });
    const second = (await admin("POST", `/apps/${app.id}/keys`, {})).body;
    expect(await verdict(app, claimWith(second.secret))).toEqual({ status: "verified", userId: "u_cached" });
    expect((await admin("DELETE", `/apps/${app.id}/keys/${first.keyId}`)).status).toBe(200);
    expect(await verdict(app, claimWith(first.secret))).toMatchObject({ status: "rejected", reason: "revoked_key" });
    expect(await verdict(app, claimWith(second.secret))).toEqual({ status: "verified", userId: "u_cached" });
  });

  it("through the operator API: origins and mode", async () => {
    const app = (await admin("POST", "/apps", { name: "Cached settings", origins: [SITE] })).body.app as App;
    expect((await readAs(app)).status).toBe(200);
    await admin("PATCH", `/apps/${app.id}`, { origins: ["https://other.example"] });
    expect((await readAs(app)).status).toBe(403);
    expect((await readAs(app, undefined, "https://other.example")).status).toBe(200);
    expect((await readAs(app, { userId: "u_bare" }, "https://other.example")).body.identity).toMatchObject({ status: "rejected" });
    await admin("PATCH", `/apps/${app.id}`, { mode: "optional" });
    expect((await readAs(app, { userId: "u_bare" }, "https://other.example")).body.identity).toEqual({ status: "unverified", userId: "u_bare" });
  });

  it("through the store: createKey, revokeKey, updateApp", async () => {
    const app = await store.createApp("Cached store", [SITE], "required");
    const key = await store.createKey(app.id, "hash");
    expect(await verdict(app, claimWith(key.secret))).toEqual({ status: "verified", userId: "u_cached" });
    await store.revokeKey(app.id, key.keyId);
    expect(await verdict(app, claimWith(key.secret))).toMatchObject({ status: "rejected", reason: "revoked_key" });
    const next = await store.createKey(app.id, "hash");
    expect(await verdict(app, claimWith(next.secret))).toEqual({ status: "verified", userId: "u_cached" });
    await store.updateApp(app.id, { origins: ["https://moved.example"] });
    expect((await readAs(app)).status).toBe(403);
  });

  it("an unknown app id is never kept (nobody can fill memory with them): created afterwards, it is found", async () => {
    const late = { id: uid("app") } as App;
    expect((await readAs(late)).status).toBe(404);
    await db.query(`INSERT INTO apps (id, name) VALUES ($1, 'late')`, [late.id]);
    expect((await readAs(late)).status).toBe(200);
  });
});

describe("AppCache", () => {
  it("keeps what it loaded; loads again once forgotten", async () => {
    const cache = new AppCache<{ v: number }>();
    let loads = 0;
    const load = async () => ({ v: ++loads });
    expect(await cache.get("a", load)).toEqual({ v: 1 });
    expect(await cache.get("a", load)).toEqual({ v: 1 });
    cache.forget("a");
    expect(await cache.get("a", load)).toEqual({ v: 2 });
  });

  it("never keeps a miss", async () => {
    const cache = new AppCache<{ v: number }>();
    let loads = 0;
    const load = async () => (++loads > 1 ? { v: loads } : undefined);
    expect(await cache.get("a", load)).toBeUndefined();
    expect(await cache.get("a", load)).toEqual({ v: 2 });
  });

  it("a read under way while a write finishes is answered but not kept: it may hold what the write changed", async () => {
    const cache = new AppCache<{ v: string }>();
    let finish!: (v: { v: string }) => void;
    const stale = cache.get("a", () => new Promise((resolve) => (finish = resolve)));
    cache.forget("a"); // a revoke finished meanwhile
    finish({ v: "before the revoke" });
    expect(await stale).toEqual({ v: "before the revoke" });
    expect(await cache.get("a", async () => ({ v: "after" }))).toEqual({ v: "after" });
  });
});
