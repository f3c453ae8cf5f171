// The push stream (POST …/stream): what it sends, to whom, and how it ends. Driven in-process
// through the API's fetch, read with the same parser as the widget. Both storages.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { silentLogger } from "../../server/log.ts";
import { Notifier } from "../../server/http/notifier.ts";
import { openStreams } from "../../server/http/sse.ts";
import { STREAMS_PER_VISITOR } from "../../server/http/stream-route.ts";
import { createToken } from "../../server/sign.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi, expectErrorBody } from "../support/http.ts";
import { readEvents } from "../support/sse.ts";

const NOW = 1_800_000_000;
let db: Db;
let store: Store;
let notifier: Notifier;
let api: ReturnType<typeof createApi>;
let app: App;
let tokenSecret: string;
const stopping = new AbortController();

beforeAll(async () => {
  notifier = new Notifier();
  ({ db, store, api } = await openTestApi({ adminToken: "t", notifier, limits: NO_LIMITS, now: () => NOW, stopping: stopping.signal, stream: { heartbeatMs: 200 } }));
  app = await store.createApp("streams", [], "optional");
  tokenSecret = (await store.createKey(app.id, "token")).secret;
});
afterAll(async () => {
  await db?.close();
});

const send = (visitorId: string, text: string, identity?: unknown) => callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId: uid("c"), text, identity } });
const open = (body: Record<string, unknown>, signal?: AbortSignal) =>
  api.request(`/v1/apps/${app.id}/stream`, { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8" }, body: JSON.stringify(body), signal });
const reply = (conversationId: string, text: string) => callApi(api, `/v1/admin/apps/${app.id}/conversations/${conversationId}/replies`, { auth: "Bearer t", body: { text } });
const json = (e: { data: string }) => JSON.parse(e.data);

describe("the stream", () => {
  it("opens with the verdict, then pushes a reply the moment it is stored, with its id as the cursor", async () => {
    const visitorId = uid("v");
    const first = await send(visitorId, "hello?");
    const res = await open({ visitorId, after: first.body.message.id });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = readEvents(res);
    const opening = await events.next();
    expect([opening.event, json(opening)]).toEqual(["identity", { status: "anonymous" }]);
    const conversationId = (await store.conversationFor(app.id, visitorId, { status: "anonymous" }))!;
    const sent = await reply(conversationId, "Hi! How can I help?");
    const pushed = await events.next();
    expect([pushed.event, json(pushed), pushed.id]).toEqual(["messages", { messages: [sent.body.message] }, sent.body.message.id]);
    await events.cancel();
  });

  it("without a cursor, sends what is already there; a visitor with no conversation yet hears its first message", async () => {
    const visitorId = uid("v");
    const events = readEvents(await open({ visitorId }));
    expect((await events.next()).event).toBe("identity");
    // The first message creates the conversation: the stream was waiting on its key.
    const first = await send(visitorId, "from another tab");
    const pushed = await events.next();
    expect(json(pushed)).toEqual({ messages: [first.body.message] });
    await events.cancel();
  });

  it("carries only what its own claim may read: another visitor's reply never shows", async () => {
    const mine = uid("v");
    const other = uid("v");
    const m = await send(mine, "mine");
    await send(other, "theirs");
    const events = readEvents(await open({ visitorId: mine, after: m.body.message.id }));
    await events.next();
    await reply((await store.conversationFor(app.id, other, { status: "anonymous" }))!, "for the other one");
    // Two heartbeats later, still nothing but keep-alives.
    await events.comments(2);
    const own = await reply((await store.conversationFor(app.id, mine, { status: "anonymous" }))!, "for me");
    expect(json(await events.next())).toEqual({ messages: [own.body.message] });
    await events.cancel();
  });

  it("a verified claim streams the user's thread on every device", async () => {
    const token = createToken(tokenSecret, { sub: "u_stream", app: app.id, iat: NOW - 10, ttl: 3600 });
    const laptop = uid("v");
    await send(laptop, "from the laptop", { token });
    const phone = readEvents(await open({ visitorId: uid("v"), identity: { token } }));
    expect(json(await phone.next())).toMatchObject({ status: "verified", userId: "u_stream" });
    expect(json(await phone.next()).messages.map((m: { text: string }) => m.text)).toEqual(["from the laptop"]);
    const later = await send(laptop, "and again", { token });
    expect(json(await phone.next())).toEqual({ messages: [later.body.message] });
    await phone.cancel();
  });

  it("keeps the connection alive with comments under the heartbeat", async () => {
    const events = readEvents(await open({ visitorId: uid("v") }));
    await events.next();
    await events.comments(3);
    await events.cancel();
  });

  it("a client that goes away is cleaned up at once: no stream counted, nothing left subscribed", async () => {
    const visitorId = uid("v");
    await send(visitorId, "hi");
    const before = openStreams.count;
    const client = new AbortController();
    const events = readEvents(await open({ visitorId }, client.signal));
    await events.next();
    expect(openStreams.count).toBe(before + 1);
    client.abort();
    await events.closed;
    await expect.poll(() => openStreams.count).toBe(before);
  });

  it("a token ends its stream when it stops being good — its exp and the clock skew after it — asking to come back at once (with a refreshed one); one in that skew is not ended at once, which the widget would answer with a loop of re-opens", async () => {
    // It ran out 59 s ago: verified for one more second.
    const token = createToken(tokenSecret, { sub: "u_in_skew", app: app.id, iat: NOW - 3659, ttl: 3600 });
    const events = readEvents(await open({ visitorId: uid("v"), identity: { token } }));
    expect(json(await events.next())).toMatchObject({ status: "verified" });
    await events.comments(2);
    const end = await events.next();
    expect([end.event, json(end)]).toEqual(["end", { retryAfter: 0 }]);
    await events.closed;
  });

  it("bad input gets a JSON error, never a stream", async () => {
    const res = await open({ visitorId: "" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_request" } });
  });
});

describe("streams one visitor or address may hold", () => {
  it(`a visitor holds at most ${STREAMS_PER_VISITOR} at once: the next is refused with a Retry-After, and one closing makes room for one`, async () => {
    const limited = createApi({ store, log: silentLogger, now: () => NOW, limits: { appPerMinute: 0, visitorPerMinute: 1000, addressPerMinute: 0 } });
    const visitorId = uid("v");
    const openOn = (signal?: AbortSignal) =>
      limited.request(`/v1/apps/${app.id}/stream`, { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8" }, body: JSON.stringify({ visitorId }), signal });
    const clients = Array.from({ length: STREAMS_PER_VISITOR }, () => new AbortController());
    const open = [];
    for (const client of clients) {
      const events = readEvents(await openOn(client.signal));
      await events.next();
      open.push(events);
    }
    const refused = await openOn();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("30");
    expectErrorBody(await refused.text(), "too_many_streams");
    clients[0]!.abort();
    await open[0]!.closed;
    const another = new AbortController();
    await expect.poll(async () => (await openOn(another.signal)).status).toBe(200);
    // Room for one, not more.
    expect((await openOn()).status).toBe(429);
    for (const client of [...clients, another]) client.abort();
  });

  it("a stream whose first read failed holds no place: the visitor can still open as many as allowed", async () => {
    const limited = createApi({ store, log: silentLogger, now: () => NOW, limits: { appPerMinute: 0, visitorPerMinute: 1000, addressPerMinute: 0 } });
    const visitorId = uid("v");
    const openOn = (signal?: AbortSignal) =>
      limited.request(`/v1/apps/${app.id}/stream`, { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8" }, body: JSON.stringify({ visitorId }), signal });
    const failing = vi.spyOn(store, "readConversation").mockRejectedValueOnce(new Error("storage went away"));
    try {
      expect((await openOn()).status).toBe(500);
    } finally {
      failing.mockRestore();
    }
    const clients = Array.from({ length: STREAMS_PER_VISITOR }, () => new AbortController());
    for (const client of clients) {
      const res = await openOn(client.signal);
      expect(res.status).toBe(200);
      await readEvents(res).next();
    }
    for (const client of clients) client.abort();
  });
});

// Last: it stops the API for good.
it("shutdown: what was stored meanwhile goes out, then `end` asks to come back in a few seconds", async () => {
  const visitorId = uid("v");
  const first = await send(visitorId, "before the restart");
  const events = readEvents(await open({ visitorId, after: first.body.message.id }));
  await events.next();
  const conversationId = (await store.conversationFor(app.id, visitorId, { status: "anonymous" }))!;
  // Stored by another process: no notification here, only the last look on the way out.
  const late = await store.addReply(app.id, conversationId, "just in time", "Support");
  stopping.abort();
  expect(json(await events.next())).toEqual({ messages: [late] });
  const end = await events.next();
  expect([end.event, json(end)]).toEqual(["end", { retryAfter: 5 }]);
  await events.closed;
});
