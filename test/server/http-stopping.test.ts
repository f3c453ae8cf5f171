// While the process stops (ApiOptions.stopping aborted): visitors are told to come back later, on a
// new connection, and readably; a load balancer's health check fails; every answer closes its
// connection; a long-poll in progress is answered at once. And /healthz while running. On both
// storages. Long-polls are woken through a watched notifier, never timed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { Notifier } from "../../server/http/notifier.ts";
import { silentLogger } from "../../server/log.ts";
import type { App, Store } from "../../server/store.ts";
import type { Verdict } from "../../server/verify/verify.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";
import { WatchedNotifier } from "../support/notifier.ts";

const ADMIN = "t";
const SHOP = "https://shop.example";
const ANONYMOUS: Verdict = { status: "anonymous" };
const COME_BACK = { code: "shutting_down", message: "The server is restarting; try again in 5 seconds." };


let db: Db;
let store: Store;
/** Serving normally. */
let running: ReturnType<typeof createApi>;
/** Already stopping. */
let stopped: ReturnType<typeof createApi>;
let app: App;

beforeAll(async () => {
  ({ db, store, api: running } = await openTestApi({ adminToken: ADMIN, limits: NO_LIMITS }));
  stopped = createApi({ store, log: silentLogger, adminToken: ADMIN, limits: NO_LIMITS, stopping: AbortSignal.abort() });
  app = await store.createApp("stopping", [SHOP], "required");
});
afterAll(async () => {
  await db?.close();
});

/** A stopping API whose stop the test starts, polls re-reading storage only once a minute. */
function stoppable() {
  const stop = new AbortController();
  const notifier = new WatchedNotifier();
  const api = createApi({ store, log: silentLogger, adminToken: ADMIN, limits: NO_LIMITS, stopping: stop.signal, notifier });
  return { api, notifier, stop };
}

const healthz = async (api: ReturnType<typeof createApi>) => {
  const res = await api.request("/healthz");
  return { status: res.status, body: await res.json(), headers: res.headers };
};

describe("visitor requests while stopping", () => {
  it("POST messages: 503 shutting_down with Retry-After: 5 and Connection: close, readable by the page, and nothing is stored", async () => {
    const visitorId = uid("v");
    const res = await callApi(stopped, `/v1/apps/${app.id}/messages`, { origin: SHOP, body: { visitorId, clientId: uid("c"), text: "during a restart" } });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: COME_BACK });
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("connection")).toBe("close");
    expect(res.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(res.headers.get("access-control-expose-headers")).toBe("Retry-After");
    const after = await callApi(running, `/v1/apps/${app.id}/conversation`, { body: { visitorId } });
    expect(after.body.messages).toEqual([]);
    expect(await store.conversationFor(app.id, visitorId, ANONYMOUS)).toBeUndefined();
  });

  it("POST conversation: the same 503, without reading or waiting", async () => {
    const res = await callApi(stopped, `/v1/apps/${app.id}/conversation`, { origin: SHOP, body: { visitorId: uid("v"), wait: 30 } });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: COME_BACK });
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("connection")).toBe("close");
  });

  it("a refusal is still the refusal while stopping: an unknown app 404, another origin 403 (no Retry-After)", async () => {
    const missing = await callApi(stopped, `/v1/apps/app_nope/messages`, { origin: SHOP, body: { visitorId: uid("v"), clientId: uid("c"), text: "x" } });
    expect([missing.status, missing.body.error?.code, missing.headers.get("retry-after")]).toEqual([404, "app_not_found", null]);
    const foreign = await callApi(stopped, `/v1/apps/${app.id}/messages`, { origin: "https://evil.example", body: { visitorId: uid("v"), clientId: uid("c"), text: "x" } });
    expect([foreign.status, foreign.body.error?.code, foreign.headers.get("retry-after")]).toEqual([403, "origin_not_allowed", null]);
    // Each still closes its connection.
    expect([missing.headers.get("connection"), foreign.headers.get("connection")]).toEqual(["close", "close"]);
  });

  it("a preflight is still answered 204 (the request that follows gets the 503)", async () => {
    const res = await callApi(stopped, `/v1/apps/${app.id}/messages`, { method: "OPTIONS", origin: SHOP, headers: { "access-control-request-method": "POST" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("connection")).toBe("close");
  });
});

describe("every answer while stopping closes its connection; none does while running", () => {
  it("the operator API and an unknown endpoint", async () => {
    const list = await callApi(stopped, "/v1/admin/apps", { auth: `Bearer ${ADMIN}` });
    expect(list.status).toBe(200);
    expect(list.headers.get("connection")).toBe("close");
    const nowhere = await callApi(stopped, "/nowhere");
    expect([nowhere.status, nowhere.headers.get("connection")]).toEqual([404, "close"]);

    const served = await callApi(running, "/v1/admin/apps", { auth: `Bearer ${ADMIN}` });
    expect(served.status).toBe(200);
    expect(served.headers.get("connection")).toBeNull();
    const sent = await callApi(running, `/v1/apps/${app.id}/messages`, { origin: SHOP, body: { visitorId: uid("v"), clientId: uid("c"), text: "hi" } });
    expect([sent.status, sent.headers.get("connection"), sent.headers.get("retry-after")]).toEqual([201, null, null]);
  });
});

describe("GET /healthz", () => {
  it("running: 200 { ok: true, storage }", async () => {
    const res = await healthz(running);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, storage: db.kind });
    expect(res.headers.get("connection")).toBeNull();
  });

  it("stopping: 503 shutting_down, so a load balancer stops sending here, and the connection closes", async () => {
    const res = await healthz(stopped);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ ok: false, storage: db.kind, error: { code: "shutting_down", message: "The server is shutting down." } });
    expect(res.headers.get("connection")).toBe("close");
  });

  it("storage that does not answer: 503 storage_unreachable, and the error's text stays in the process", async () => {
    const broken = {
      db: {
        kind: db.kind,
        query: async () => {
          throw new Error("ECONNREFUSED 10.1.2.3:5432");
        },
      },
    } as unknown as Store;
    const res = await healthz(createApi({ store: broken, log: silentLogger }));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ ok: false, storage: db.kind, error: { code: "storage_unreachable", message: "Storage did not answer." } });
  });
});

describe("a long-poll when shutdown begins", () => {
  it("with nothing new, it is answered at once: 503 shutting_down with Retry-After and Connection: close", async () => {
    const { api, notifier, stop } = stoppable();
    const waiting = notifier.nextWait();
    const pending = callApi(api, `/v1/apps/${app.id}/conversation`, { origin: SHOP, body: { visitorId: uid("v"), wait: 30 } });
    await waiting;
    stop.abort();
    // Nothing else can wake it before the 30 s wait or the one-minute re-read: only the stop.
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: COME_BACK });
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("connection")).toBe("close");
    expect(res.headers.get("access-control-allow-origin")).toBe(SHOP);
  }, 10_000);

  it("with a message arrived meanwhile, it delivers the message (200), not the 503", async () => {
    const { api, notifier, stop } = stoppable();
    const visitorId = uid("v");
    const first = await callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId: uid("c"), text: "first" } });
    const conversationId = (await store.conversationFor(app.id, visitorId, ANONYMOUS))!;
    const waiting = notifier.nextWait();
    const pending = callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId, after: first.body.message.id, wait: 30 } });
    await waiting;
    // Written without a notification (as another process would), then the stop wakes the poll.
    const reply = await store.addReply(app.id, conversationId, "answered just in time", "Support");
    stop.abort();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ messages: [reply], identity: { status: "anonymous" } });
    expect(res.headers.get("retry-after")).toBeNull();
    expect(res.headers.get("connection")).toBe("close");
  }, 10_000);
});
