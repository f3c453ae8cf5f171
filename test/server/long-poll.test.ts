// Long-poll: a read with `wait` holds until the conversation has something newer, and it is the
// notifier that wakes it — storage is never re-read on a timer, so a reply or a message from
// another tab arriving at once can only come through a wake-up. The notifier is
// watched, so "the server ignored wait" shows as a poll that never waited. Both storages.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import { Notifier } from "../../server/http/notifier.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";
import { WatchedNotifier } from "../support/notifier.ts";


let db: Db;
let notifier: WatchedNotifier;
let api: ReturnType<typeof createApi>;
let app: App;
beforeAll(async () => {
  notifier = new WatchedNotifier();
  let store: Store;
  ({ db, store, api } = await openTestApi({ adminToken: "t", notifier, limits: NO_LIMITS }));
  app = await store.createApp("polls", [], "required");
});
afterAll(async () => {
  await db?.close();
});
const send = (visitorId: string, text: string) => callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId: uid("c"), text } });
const poll = (visitorId: string, after: string, wait: number) => callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId, after, wait } });

it("waits, and an operator's reply wakes it at once with the reply", async () => {
  const visitorId = uid("v");
  const first = await send(visitorId, "anyone there?");
  const conv = (await callApi(api, `/v1/admin/apps/${app.id}/conversations`, { auth: "Bearer t" })).body.conversations.find((c: { contact: { visitorId: string } }) => c.contact.visitorId === visitorId);
  const waiting = notifier.nextWait();
  const pending = poll(visitorId, first.body.message.id, 25);
  await waiting;
  const reply = await callApi(api, `/v1/admin/apps/${app.id}/conversations/${conv.id}/replies`, { auth: "Bearer t", body: { text: "Yes, hello!" } });
  const res = await pending;
  expect(res.body.messages).toEqual([reply.body.message]);
});

it("the visitor's own message from another tab wakes the poll too", async () => {
  const visitorId = uid("v");
  const first = await send(visitorId, "first");
  const waiting = notifier.nextWait();
  const pending = poll(visitorId, first.body.message.id, 25);
  await waiting;
  const second = await send(visitorId, "from the other tab");
  expect((await pending).body.messages).toEqual([second.body.message]);
});

it("with nothing new it waits for the time asked (never answers at once), then answers an empty list", async () => {
  const visitorId = uid("v");
  const first = await send(visitorId, "quiet");
  const before = notifier.waits.length;
  const res = await poll(visitorId, first.body.message.id, 0.2);
  expect(res.body.messages).toEqual([]);
  const asked = notifier.waits.slice(before);
  expect(asked.length).toBeGreaterThan(0);
  expect(asked[0]).toBeGreaterThan(0);
  expect(asked[0]).toBeLessThanOrEqual(200);
});

it("without `wait` it answers at once, and never waits", async () => {
  const visitorId = uid("v");
  const first = await send(visitorId, "no wait");
  const before = notifier.waits.length;
  expect((await callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId, after: first.body.message.id } })).body.messages).toEqual([]);
  expect(notifier.waits.length).toBe(before);
});

it("the `after` cursor of another conversation is not a cursor in this one: the whole history comes back", async () => {
  const mine = uid("v");
  const other = uid("v");
  const a = await send(mine, "mine 1");
  await send(other, "other 1");
  const otherLast = await send(other, "other 2");
  const b = await send(mine, "mine 2");
  const res = await callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId: mine, after: otherLast.body.message.id } });
  expect(res.body.messages.map((m: { id: string }) => m.id)).toEqual([a.body.message.id, b.body.message.id]);
});
