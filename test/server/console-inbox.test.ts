// The operator's inbox as the console reads it: conversations newest activity first with their
// status, unread mark and newest words; reading, closing and reopening (PATCH …/conversations/:id);
// a reply counts as read; a visitor writing again reopens and marks unread; and the list's
// long-poll, woken by the notifier (the storage re-read set to a minute, so only a wake-up can
// answer early). On both storages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi, type CallOptions } from "../support/http.ts";
import { WatchedNotifier } from "../support/notifier.ts";

const AUTH = "Bearer inbox-token";
let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let notifier: WatchedNotifier;
let stopping: AbortController;

beforeAll(async () => {
  notifier = new WatchedNotifier();
  stopping = new AbortController();
  ({ db, store, api } = await openTestApi({ adminToken: "inbox-token", notifier, limits: NO_LIMITS, stopping: stopping.signal }));
});
afterAll(async () => {
  await db?.close();
});

const newApp = () => store.createApp(uid("inbox"), [], "required");
const admin = (app: App, path: string, opts: CallOptions = {}) => callApi(api, `/v1/admin/apps/${app.id}${path}`, { auth: AUTH, ...opts });
const send = (app: App, visitorId: string, text: string) => callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId: uid("c"), text } });
const list = async (app: App) => (await admin(app, "/conversations")).body;
const find = async (app: App, id: string) => (await list(app)).conversations.find((c: { id: string }) => c.id === id);

async function conversationOf(app: App, visitorId: string, text = "hello") {
  const sent = await send(app, visitorId, text);
  expect(sent.status).toBe(201);
  const found = (await list(app)).conversations.find((c: { contact: { visitorId: string } }) => c.contact.visitorId === visitorId);
  return { id: found.id as string, message: sent.body.message };
}

describe("the list", () => {
  it("newest activity first, each open, unread, with its newest words and a cursor", async () => {
    const app = await newApp();
    const a = await conversationOf(app, uid("v"), "first visitor");
    const b = await conversationOf(app, uid("v"), "second visitor");
    const body = await list(app);
    expect(body.conversations.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);
    expect(body.conversations[0]).toMatchObject({ status: "open", unread: true, preview: { text: "second visitor", from: "visitor" }, contact: { verified: false, userId: null } });
    expect(typeof body.cursor).toBe("string");
    await send(app, body.conversations[1].contact.visitorId, "first again");
    expect((await list(app)).conversations[0].id).toBe(a.id);
  });

  it("an empty app: no conversations, no cursor", async () => {
    expect(await list(await newApp())).toEqual({ conversations: [], cursor: null });
  });

  it("a preview is the newest visitor or operator message, at most 200 characters", async () => {
    const app = await newApp();
    const c = await conversationOf(app, uid("v"), "x".repeat(500));
    expect((await find(app, c.id)).preview.text).toHaveLength(200);
    await admin(app, `/conversations/${c.id}/replies`, { body: { text: "We are on it." } });
    expect((await find(app, c.id)).preview).toEqual({ text: "We are on it.", from: "operator" });
  });
});

describe("read, closed, reopened", () => {
  it("readUpTo marks read; a new visitor message is unread again; a reply counts as read", async () => {
    const app = await newApp();
    const visitor = uid("v");
    const c = await conversationOf(app, visitor);
    const read = await admin(app, `/conversations/${c.id}`, { method: "PATCH", body: { readUpTo: c.message.id } });
    expect(read.status).toBe(200);
    expect(read.body.conversation).toMatchObject({ id: c.id, unread: false, status: "open" });
    const next = await send(app, visitor, "are you there?");
    expect((await find(app, c.id)).unread).toBe(true);
    // Marking an older message read does not take the mark back… nor forward.
    await admin(app, `/conversations/${c.id}`, { method: "PATCH", body: { readUpTo: c.message.id } });
    expect((await find(app, c.id)).unread).toBe(true);
    await admin(app, `/conversations/${c.id}`, { method: "PATCH", body: { readUpTo: next.body.message.id } });
    await admin(app, `/conversations/${c.id}`, { method: "PATCH", body: { readUpTo: c.message.id } });
    expect((await find(app, c.id)).unread).toBe(false);
    await send(app, visitor, "hello?");
    await admin(app, `/conversations/${c.id}/replies`, { body: { text: "Here!" } });
    expect((await find(app, c.id)).unread).toBe(false);
  });

  it("closing closes; the operator writing keeps it closed; the visitor writing reopens it; reopen reopens", async () => {
    const app = await newApp();
    const visitor = uid("v");
    const c = await conversationOf(app, visitor);
    const closed = await admin(app, `/conversations/${c.id}`, { method: "PATCH", body: { status: "closed" } });
    expect(closed.body.conversation.status).toBe("closed");
    await admin(app, `/conversations/${c.id}/replies`, { body: { text: "One more thing from us." } });
    expect((await find(app, c.id)).status).toBe("closed");
    await send(app, visitor, "actually, one more question");
    expect(await find(app, c.id)).toMatchObject({ status: "open", unread: true });
    await admin(app, `/conversations/${c.id}`, { method: "PATCH", body: { status: "closed" } });
    const reopened = await admin(app, `/conversations/${c.id}`, { method: "PATCH", body: { status: "open" } });
    expect(reopened.body.conversation.status).toBe("open");
    // Both at once.
    const both = await admin(app, `/conversations/${c.id}`, { method: "PATCH", body: { status: "closed", readUpTo: c.message.id } });
    expect(both.body.conversation).toMatchObject({ status: "closed" });
  });

  it("refusals: an unknown conversation 404; nothing to change, another field, a bad status or another conversation's message 400 — and nothing changes", async () => {
    const app = await newApp();
    const c = await conversationOf(app, uid("v"));
    const other = await conversationOf(app, uid("v"));
    expect((await admin(app, "/conversations/conv_nope", { method: "PATCH", body: { status: "closed" } })).status).toBe(404);
    const otherApp = await newApp();
    expect((await admin(otherApp, `/conversations/${c.id}`, { method: "PATCH", body: { status: "closed" } })).status).toBe(404);
    for (const body of [{}, { status: "archived" }, { status: "closed", extra: 1 }, { readUpTo: other.message.id, status: "closed" }, { readUpTo: "msg with space" }]) {
      const res = await admin(app, `/conversations/${c.id}`, { method: "PATCH", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error?.code).toBe("invalid_request");
    }
    expect(await find(app, c.id)).toMatchObject({ status: "open", unread: true });
  });
});

describe("the list's long-poll", () => {
  it("waits until a conversation has a message, and is woken at once by it", async () => {
    const app = await newApp();
    const c = await conversationOf(app, uid("v"));
    const { cursor } = await list(app);
    const waiting = notifier.nextWait();
    const started = Date.now();
    const pending = admin(app, `/conversations?wait=25&since=${encodeURIComponent(cursor)}`);
    await waiting;
    const visitor = uid("v");
    await send(app, visitor, "a new one");
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.body.conversations[0].contact.visitorId).toBe(visitor);
    expect(res.body.cursor).not.toBe(cursor);
    expect(res.body.conversations.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it("answers at once when something is newer than the cursor already; waits the time asked when nothing is", async () => {
    const app = await newApp();
    await conversationOf(app, uid("v"));
    const { cursor } = await list(app);
    await conversationOf(app, uid("v"));
    const before = notifier.waits.length;
    const now = await admin(app, `/conversations?wait=25&since=${encodeURIComponent(cursor)}`);
    expect(now.body.conversations).toHaveLength(2);
    expect(notifier.waits.length).toBe(before);
    const quiet = await admin(app, `/conversations?wait=0.2&since=${encodeURIComponent(now.body.cursor)}`);
    expect(quiet.body.conversations).toHaveLength(2);
    expect(notifier.waits.length).toBeGreaterThan(before);
  });

  it("an operator's change (a reply, closing) wakes it too, so other consoles see it", async () => {
    const app = await newApp();
    const c = await conversationOf(app, uid("v"));
    const { cursor } = await list(app);
    const waiting = notifier.nextWait();
    const pending = admin(app, `/conversations?wait=25&since=${encodeURIComponent(cursor)}`);
    await waiting;
    await admin(app, `/conversations/${c.id}`, { method: "PATCH", body: { status: "closed" } });
    expect((await pending).body.conversations[0].status).toBe("closed");
  });

  it("refuses a wait out of range or a cursor that is not one (400)", async () => {
    const app = await newApp();
    for (const q of ["wait=31", "wait=-1", "wait=soon", "wait=1&since=yesterday", "since=2026-01-01%27;drop"]) {
      const res = await admin(app, `/conversations?${q}`);
      expect(res.status, q).toBe(400);
    }
  });

  it("answers at once when the server begins to stop", async () => {
    const app = await newApp();
    await conversationOf(app, uid("v"));
    const { cursor } = await list(app);
    const waiting = notifier.nextWait();
    const pending = admin(app, `/conversations?wait=25&since=${encodeURIComponent(cursor)}`);
    await waiting;
    stopping.abort();
    expect((await pending).status).toBe(200);
  });
});
