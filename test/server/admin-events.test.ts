// The console's event stream (GET …/events): an `inbox` event when a conversation has something
// new, a `feedback` event when the ideas board changed — from the widget or the operator API — and
// nothing for a read. Both storages.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import { openStreams } from "../../server/http/sse.ts";
import { createToken } from "../../server/sign.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";
import { readEvents } from "../support/sse.ts";

let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let app: App;
let token: string;

beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: "t", limits: NO_LIMITS }));
  app = await store.createApp("events", [], "required");
  const { secret } = await store.createKey(app.id, "token");
  token = createToken(secret, { sub: "u_voter", app: app.id });
});
afterAll(async () => {
  await db?.close();
});

const open = (signal?: AbortSignal, auth = "Bearer t") => api.request(`/v1/admin/apps/${app.id}/events`, { headers: { authorization: auth }, signal });
const widget = (path: string, body: Record<string, unknown>) => callApi(api, `/v1/apps/${app.id}/${path}`, { body: { visitorId: uid("v"), ...body } });

it("tells the console what changed: a message, a suggestion, a vote, the operator's status; never a read", async () => {
  const res = await open();
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const events = readEvents(res);
  expect((await events.next()).event).toBe("ready");

  await widget("messages", { clientId: uid("c"), text: "hello" });
  expect((await events.next()).event).toBe("inbox");

  const suggested = await widget("ideas", { clientId: uid("c"), title: "Dark mode", identity: { token } });
  expect(suggested.status).toBe(201);
  expect((await events.next()).event).toBe("feedback");

  // Reads change nothing: the board, a thread, and a vote refused to an anonymous visitor.
  await widget("ideas/query", {});
  await widget(`ideas/${suggested.body.idea.id}`, {});
  expect((await widget(`ideas/${suggested.body.idea.id}/vote`, { up: true })).status).toBe(403);
  const vote = await widget(`ideas/${suggested.body.idea.id}/vote`, { up: true, identity: { token } });
  expect(vote.status).toBe(200);
  // The next event is the vote's: none came for the reads or the refusal before it.
  expect((await events.next()).event).toBe("feedback");

  await callApi(api, `/v1/admin/apps/${app.id}/ideas/${suggested.body.idea.id}`, { method: "PATCH", auth: "Bearer t", body: { status: "planned" } });
  expect((await events.next()).event).toBe("feedback");
  await events.cancel();
});

it("needs the operator's credentials", async () => {
  const res = await open(undefined, "Bearer wrong");
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
});

it("a console that leaves is cleaned up at once", async () => {
  const before = openStreams.count;
  const client = new AbortController();
  const events = readEvents(await open(client.signal));
  await events.next();
  expect(openStreams.count).toBe(before + 1);
  client.abort();
  await events.closed;
  await expect.poll(() => openStreams.count).toBe(before);
});
