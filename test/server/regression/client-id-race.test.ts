// Regression: two visitors posting the same clientId at the same moment. On PostgreSQL the loser
// of the insert race was answered 200 with the *winner's* message (its text and visitorId), and its
// own message was dropped after being acknowledged. The visitor check must hold on the conflict
// path too: the loser gets 409 and nothing of it is stored. Run on both storages.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../../server/db/db.ts";
import type { createApi } from "../../../server/http/api.ts";
import type { App, Store } from "../../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../../support/api.ts";
import { callApi } from "../../support/http.ts";

let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let app: App;
beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: "t", limits: NO_LIMITS }));
  app = await store.createApp("race", [], "required");
});
afterAll(async () => {
  await db?.close();
});

it("a clientId raced by two visitors: one 201, the other 409 — never 200 with someone else's message", async () => {
  const pairs = 40;
  for (let i = 0; i < pairs; i++) {
    const clientId = uid("c");
    const [a, b] = [uid("va"), uid("vb")];
    const results = await Promise.all(
      [a, b].map((visitorId) => callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId, text: `from ${visitorId}` } }).then((res) => ({ visitorId, res }))),
    );
    const statuses = results.map((r) => r.res.status).sort();
    expect(statuses).toEqual([201, 409]);
    const winner = results.find((r) => r.res.status === 201)!;
    expect(winner.res.body.message).toMatchObject({ clientId, text: `from ${winner.visitorId}`, author: { visitorId: winner.visitorId } });
    const loser = results.find((r) => r.res.status === 409)!;
    expect(loser.res.body.error.code).toBe("client_id_conflict");
    // The loser has no conversation at all: its transaction was rolled back, no empty thread left.
    const read = await callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId: loser.visitorId } });
    expect(read.body.messages).toEqual([]);
  }
  const convs = await callApi(api, `/v1/admin/apps/${app.id}/conversations`, { auth: "Bearer t" });
  expect(convs.body.conversations).toHaveLength(pairs);
});

it("the same visitor retrying one clientId concurrently still gets its one message back (200s and one 201)", async () => {
  const visitorId = uid("v");
  const clientId = uid("c");
  const results = await Promise.all([1, 2, 3].map(() => callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId, text: "retry" } })));
  expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
  for (const r of results) expect(r.body.message.id).toBe(results[0]!.body.message.id);
});
