// Three gaps a mutation pass over the HTTP layer found, each pinned: a thrown non-Error still gets
// the error body; the doctor reads a request with no identity at all (it is anonymous); a wait
// whose signal is already aborted does not wait.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import { Notifier } from "../../server/http/notifier.ts";
import type { App, Store } from "../../server/store.ts";
import { openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";

let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let app: App;
beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: "t" }));
  app = await store.createApp("Findings", [], "required");
});
afterAll(() => db.close());

it("a thrown value that is not an Error is answered 500 with the error body, not a bare 500", async () => {
  vi.spyOn(store, "getAppForRequest").mockRejectedValueOnce("a string, thrown");
  const res = await callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId: uid("v"), clientId: uid("c"), text: "hi" } });
  expect([res.status, res.body]).toEqual([500, { error: { code: "internal", message: "Something went wrong on our side." } }]);
});

it("the doctor reads a request with no identity: an anonymous visitor, not a 400", async () => {
  const res = await callApi(api, `/v1/admin/apps/${app.id}/doctor`, { auth: "Bearer t", body: {} });
  expect([res.status, res.body]).toEqual([200, { ok: false, status: "anonymous", cause: "No identity was given, so the visitor is anonymous." }]);
});

it("a wait whose signal is already aborted resolves at once", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  try {
    let done = false;
    void new Notifier().wait("c", 60_000, AbortSignal.abort()).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  } finally {
    vi.useRealTimers();
  }
});
