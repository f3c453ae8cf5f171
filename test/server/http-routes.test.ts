// Every route answers at its own path and method, on an API built inside the test. The route
// table is wired when an API is built; the other files build theirs before their tests, and a
// mutation run credits code to the test that ran it, so without these a broken path or mount would
// be tried only against the few tests that build their own API for something else. On both
// storages.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { silentLogger } from "../../server/log.ts";
import { userHash } from "../../server/sign.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi, type CallOptions } from "../support/http.ts";

const ADMIN = "routes-admin-token";

let db: Db;
let store: Store;
let app: App;
let dist: string;

beforeAll(async () => {
  ({ db, store } = await openTestApi());
  app = await store.createApp("routes", [], "required");
  dist = mkdtempSync(join(tmpdir(), "parley-routes-"));
  writeFileSync(join(dist, "loader.js"), "/* loader */");
});
afterAll(async () => {
  await db?.close();
  rmSync(dist, { recursive: true, force: true });
});

/** A new API, and calls to it: as the operator (with the token), or as a visitor's widget. */
function fresh(distDir?: string) {
  const api = createApi({ store, log: silentLogger, adminToken: ADMIN, limits: NO_LIMITS, distDir });
  return {
    api,
    admin: (path: string, opts: CallOptions = {}) => callApi(api, `/v1/admin/apps${path}`, { auth: `Bearer ${ADMIN}`, ...opts }),
    visitor: (path: string, body: unknown) => callApi(api, `/v1/apps/${app.id}${path}`, { body }),
  };
}

describe("the operator API", () => {
  it("apps: list, create, update", async () => {
    const { admin } = fresh();
    const created = await admin("", { body: { name: "made here" } });
    expect(created.status).toBe(201);
    const list = await admin("");
    expect(list.status).toBe(200);
    expect(list.body.apps).toContainEqual(created.body.app);
    const patched = await admin(`/${created.body.app.id}`, { method: "PATCH", body: { name: "renamed" } });
    expect([patched.status, patched.body.app?.name]).toEqual([200, "renamed"]);
  });

  it("keys: create, list, revoke; the doctor", async () => {
    const { admin } = fresh();
    const key = await admin(`/${app.id}/keys`, { body: { proof: "hash" } });
    expect(key.status).toBe(201);
    const listed = await admin(`/${app.id}/keys`);
    expect(listed.status).toBe(200);
    expect(listed.body.keys.map((k: { keyId: string }) => k.keyId)).toContain(key.body.keyId);
    const doctor = await admin(`/${app.id}/doctor`, { body: { identity: { userId: "u1", userHash: userHash(key.body.secret, "u1") } } });
    expect([doctor.status, doctor.body.ok, doctor.body.status]).toEqual([200, true, "verified"]);
    const revoked = await admin(`/${app.id}/keys/${key.body.keyId}`, { method: "DELETE" });
    expect([revoked.status, revoked.body]).toEqual([200, { keyId: key.body.keyId, revoked: true }]);
  });

  it("the inbox: conversations, their messages, a reply; a contact", async () => {
    const { admin, visitor } = fresh();
    const secret = (await store.createKey(app.id, "hash")).secret;
    const userId = uid("u");
    const sent = await visitor("/messages", { visitorId: uid("v"), clientId: uid("c"), text: "hello", identity: { userId, userHash: userHash(secret, userId) } });
    expect(sent.status).toBe(201);
    const conversations = await admin(`/${app.id}/conversations`);
    expect(conversations.status).toBe(200);
    const id = conversations.body.conversations.find((c: { contact: { userId?: string } }) => c.contact.userId === userId).id;
    const messages = await admin(`/${app.id}/conversations/${id}/messages`);
    expect([messages.status, messages.body.messages]).toEqual([200, [sent.body.message]]);
    const reply = await admin(`/${app.id}/conversations/${id}/replies`, { body: { text: "hi" } });
    expect([reply.status, reply.body.message.text]).toEqual([201, "hi"]);
    const contact = await admin(`/${app.id}/contacts/${userId}`);
    expect([contact.status, contact.body.contact?.userId]).toEqual([200, userId]);
  });

  it("announcements: publish, list, delete", async () => {
    const { admin } = fresh();
    const published = await admin(`/${app.id}/announcements`, { body: { title: "New", body: "Something new." } });
    expect(published.status).toBe(201);
    const listed = await admin(`/${app.id}/announcements`);
    expect(listed.status).toBe(200);
    expect(listed.body.announcements.map((a: { id: string }) => a.id)).toContain(published.body.announcement.id);
    const deleted = await admin(`/${app.id}/announcements/${published.body.announcement.id}`, { method: "DELETE" });
    expect([deleted.status, deleted.body]).toEqual([200, { id: published.body.announcement.id, deleted: true }]);
  });

  it("asks for the token on every route, and names an unknown app on every route under one", async () => {
    const { api, admin } = fresh();
    for (const path of ["", `/${app.id}/keys`, `/${app.id}/conversations`, `/${app.id}/announcements`]) {
      expect((await callApi(api, `/v1/admin/apps${path}`)).status, path).toBe(401);
    }
    for (const path of ["/keys", "/conversations", "/announcements", "/contacts/u1"]) {
      const res = await admin(`/app_nope${path}`);
      expect([res.status, res.body.error?.code], path).toEqual([404, "app_not_found"]);
    }
  });
});

describe("the widget's API", () => {
  it("messages, the conversation, What's new and marking one read", async () => {
    const { visitor } = fresh();
    const visitorId = uid("v");
    const sent = await visitor("/messages", { visitorId, clientId: uid("c"), text: "hello" });
    expect(sent.status).toBe(201);
    const read = await visitor("/conversation", { visitorId });
    expect([read.status, read.body.messages]).toEqual([200, [sent.body.message]]);
    const announcement = await store.announcements.create(app.id, { title: "For all", body: "Read me.", audience: null });
    const news = await visitor("/announcements/query", { visitorId });
    expect(news.status).toBe(200);
    expect(news.body.announcements.map((a: { id: string }) => a.id)).toContain(announcement.id);
    expect((await visitor(`/announcements/${announcement.id}/read`, { visitorId })).status).toBe(204);
  });
});

describe("the rest", () => {
  it("health, and a path that is no route: 404 not_found", async () => {
    const { api } = fresh();
    expect(await callApi(api, "/healthz")).toMatchObject({ status: 200, body: { ok: true } });
    for (const path of ["/nothing", "/v1/nothing", "/v1/admin"]) {
      const res = await callApi(api, path, { auth: `Bearer ${ADMIN}` });
      expect([res.status, res.body.error?.code], path).toEqual([404, "not_found"]);
    }
  });

  it("a path with a control character is no route, even under an app", async () => {
    const { api } = fresh();
    const res = await callApi(api, `/v1/apps/${app.id}%00/messages`, { body: {} });
    expect([res.status, res.body.error?.code]).toEqual([404, "not_found"]);
  });

  it("the built files, where there are some (distDir), and none where there are not", async () => {
    const withFiles = await callApi(fresh(dist).api, "/loader.js");
    expect([withFiles.status, withFiles.text]).toEqual([200, "/* loader */"]);
    const without = await callApi(fresh().api, "/loader.js");
    expect([without.status, without.body.error?.code]).toEqual([404, "not_found"]);
  });

  it("the console: its sign-in answers, and its API needs a session", async () => {
    const { api } = fresh();
    const signIn = await callApi(api, "/console/api/session", { body: { token: ADMIN }, headers: { "sec-fetch-site": "same-origin" } });
    expect(signIn.status).toBe(200);
    const cookie = /parley_console=([^;]+)/.exec(signIn.headers.get("set-cookie") ?? "")![1];
    const apps = await callApi(api, "/console/api/apps", { headers: { cookie: `parley_console=${cookie}` } });
    expect(apps.status).toBe(200);
    expect(apps.body.apps).toContainEqual(app);
    expect((await callApi(api, "/console/api/apps")).status).toBe(401);
    expect((await api.request("/console")).status).toBe(503); // not built here: the page says so
  });
});
