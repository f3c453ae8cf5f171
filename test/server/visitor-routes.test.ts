// server/http/visitor-routes.ts, what the mutation run found no test watching: which requests log a
// rejected claim, what a stored message wakes (and an idempotent resend does not), and how often
// a long-poll reads storage — once, when nothing wakes it before its wait is over. Polls are seen
// waiting through the notifier, never timed; on embedded storage.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import type { LogFields } from "../../server/log.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";
import { WatchedNotifier } from "../support/notifier.ts";

/** A watched notifier that also keeps every notification it sends. */
class RecordingNotifier extends WatchedNotifier {
  readonly sent: string[] = [];
  override notify(conversationId: string) {
    this.sent.push(conversationId);
    super.notify(conversationId);
  }
}

let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let shop: App;
const notifier = new RecordingNotifier();
const logged: { level: string; msg: string; fields?: LogFields }[] = [];

beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ limits: NO_LIMITS, notifier, log: (level, msg, fields) => void logged.push({ level, msg, fields }) }));
  shop = await store.createApp("shop", [], "optional");
});
afterAll(async () => {
  await db?.close();
});

const send = (body: object) => callApi(api, `/v1/apps/${shop.id}/messages`, { body });

describe("the request log", () => {
  it("a rejected claim is logged with its reason; an anonymous or unverified one is not", async () => {
    logged.length = 0;
    expect((await send({ visitorId: uid("v"), clientId: uid("c"), text: "hi" })).status).toBe(201);
    expect((await send({ visitorId: uid("v"), clientId: uid("c"), text: "hi", identity: { userId: "u_bare" } })).status).toBe(201);
    expect(logged.filter((l) => l.msg === "claim rejected")).toEqual([]);
    expect((await send({ visitorId: uid("v"), clientId: uid("c"), text: "hi", identity: { userId: "u_1", userHash: "0".repeat(64) } })).status).toBe(201);
    expect(logged.filter((l) => l.msg === "claim rejected")).toEqual([{ level: "warn", msg: "claim rejected", fields: { app: shop.id, reason: "no_keys", proof: "hash", keyId: undefined } }]);
  });
});

describe("what a message wakes", () => {
  it("a new message: its conversation and the channel of a conversation yet to exist; the same message again: nothing", async () => {
    const visitorId = uid("v");
    const message = { visitorId, clientId: uid("c"), text: "hello" };
    notifier.sent.length = 0;
    const first = await send(message);
    expect(first.status).toBe(201);
    expect(notifier.sent).toHaveLength(2);
    expect(notifier.sent[0]).toMatch(/^[A-Za-z0-9_-]+$/); // the conversation's own id
    expect(notifier.sent[1]).toBe(`new ${shop.id} visitor:${visitorId}`);
    const again = await send(message);
    expect(again.status).toBe(200);
    expect(notifier.sent).toHaveLength(2);
  });
});

describe("how often a long-poll reads storage", () => {
  const poll = (target: typeof api, visitorId: string, wait: number) => callApi(target, `/v1/apps/${shop.id}/conversation`, { body: { visitorId, wait } });
  const readsOf = (spy: { mock: { calls: unknown[][] } }, visitorId: string) => spy.mock.calls.filter((call) => call[1] === visitorId).length;

  it("once, when its wait ends with nothing new (storage is never re-read on a timer)", async () => {
    const spy = vi.spyOn(store, "readConversation");
    try {
      const idle = uid("v");
      expect((await poll(api, idle, 1)).body.messages).toEqual([]);
      expect(readsOf(spy, idle)).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("another visitor's first message does not wake a poll still waiting for its own conversation", async () => {
    const spy = vi.spyOn(store, "readConversation");
    try {
      const waiting = uid("v");
      const waited = notifier.nextWait();
      const answer = poll(api, waiting, 1);
      await waited;
      expect((await send({ visitorId: uid("v"), clientId: uid("c"), text: "first" })).status).toBe(201);
      expect((await answer).body.messages).toEqual([]);
      expect(readsOf(spy, waiting)).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });
});
