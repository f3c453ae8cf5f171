// Statements per request, counted by wrapping the database (test/support/statements.ts), with rate
// limits on as shipped. A visitor message is one statement — its idempotency, its conversation's
// upsert and the rate-limit count together; on PostgreSQL reading the app and its keys is one more
// (another process may change them), on embedded storage it is kept in memory. A read is one too,
// and a long-poll with nothing new runs none while it waits. On both storages.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Message } from "../../contract/wire.ts";
import { DEFAULT_RATE_LIMITS } from "../../server/config.ts";
import { createApi } from "../../server/http/api.ts";
import { silentLogger } from "../../server/log.ts";
import { userHash } from "../../server/sign.ts";
import { Store, type App } from "../../server/store.ts";
import { uid } from "../support/api.ts";
import { openTestDb } from "../support/database.ts";
import { callApi } from "../support/http.ts";
import { WatchedNotifier } from "../support/notifier.ts";
import { countStatements, type CountedDb } from "../support/statements.ts";

let counted: CountedDb;
let store: Store;
let notifier: WatchedNotifier;
let api: ReturnType<typeof createApi>;
let app: App;
let secret: string;
/** Reading the app and its keys: a statement on PostgreSQL only. */
let appRead: number;

beforeAll(async () => {
  counted = countStatements(await openTestDb());
  store = new Store(counted.db, randomBytes(32));
  notifier = new WatchedNotifier();
  api = createApi({ store, log: silentLogger, limits: DEFAULT_RATE_LIMITS, notifier, adminToken: "t" });
  app = await store.createApp("Round trips", [], "optional");
  secret = (await store.createKey(app.id, "hash")).secret;
  appRead = counted.db.kind === "postgres" ? 1 : 0;
  // The first request reads the app on both storages.
  await send(uid("v"));
  counted.take();
});
beforeEach(() => {
  counted.take();
});
afterAll(async () => {
  await counted?.db.close();
});

// From one address, so the address's limit is counted as well as the visitor's and the app's.
const send = (visitorId: string, identity?: unknown, clientId = uid("c")) =>
  callApi<{ message: Message }>(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId, text: "hello", identity }, peer: "203.0.113.9" });
const read = (visitorId: string, extra: { identity?: unknown; after?: string; wait?: number } = {}) =>
  callApi<{ messages: Message[] }>(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId, ...extra }, peer: "203.0.113.9" });
const verified = (userId: string) => ({ userId, userHash: userHash(secret, userId) });

describe("a visitor message", () => {
  it("anonymous, new conversation or not: one statement", async () => {
    const visitorId = uid("v");
    expect((await send(visitorId)).status).toBe(201);
    expect(counted.take()).toHaveLength(appRead + 1);
    expect((await send(visitorId)).status).toBe(201);
    expect(counted.take()).toHaveLength(appRead + 1);
  });

  it("with a verified claim, nothing anonymous to fold: one statement", async () => {
    const userId = uid("u");
    expect((await send(uid("v"), verified(userId))).status).toBe(201);
    expect(counted.take()).toHaveLength(appRead + 1);
    expect((await send(uid("v"), verified(userId))).status).toBe(201);
    expect(counted.take()).toHaveLength(appRead + 1);
  });

  it("the same clientId again: 200 with the same message, one statement, nothing stored", async () => {
    const visitorId = uid("v");
    const clientId = uid("c");
    const first = await send(visitorId, undefined, clientId);
    counted.take();
    const again = await send(visitorId, undefined, clientId);
    expect([again.status, again.body.message]).toEqual([200, first.body.message]);
    expect(counted.take()).toHaveLength(appRead + 1);
    expect((await read(visitorId)).body.messages).toHaveLength(1);
  });

  it("a rejected claim: one statement", async () => {
    const res = await send(uid("v"), { userId: "u_forged", userHash: "0".repeat(64) });
    expect([res.status, res.body.message.author.claimedUserId]).toEqual([201, "u_forged"]);
    expect(counted.take()).toHaveLength(appRead + 1);
  });

  it("signing in with an anonymous conversation to fold: the fold is a transaction of its own, then the message; after it, one statement again", async () => {
    const visitorId = uid("v");
    const userId = uid("u");
    await send(visitorId);
    counted.take();
    expect((await send(visitorId, verified(userId))).status).toBe(201);
    const statements = counted.take();
    // The statement that found something to fold, the fold (BEGIN … COMMIT), the statement again
    // (a verified one writes its contact in it: parley_write_contact).
    expect(statements.slice(appRead, appRead + 2)).toEqual([expect.stringMatching(/^SELECT (parley_write_contact\()?parley_store_visitor_message\(/), "BEGIN"]);
    expect(statements.slice(-2)).toEqual(["COMMIT", expect.stringMatching(/^SELECT (parley_write_contact\()?parley_store_visitor_message\(/)]);
    expect((await send(visitorId, verified(userId))).status).toBe(201);
    expect(counted.take()).toHaveLength(appRead + 1);
  });

  it("over a limit: refused in the same one statement, and nothing stored", async () => {
    const limited = createApi({ store, log: silentLogger, limits: { ...DEFAULT_RATE_LIMITS, visitorPerMinute: 1 } });
    const visitorId = uid("v");
    const post = () => callApi(limited, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId: uid("c"), text: "again" }, peer: "203.0.113.9" });
    // Two requests may straddle a minute's edge (a new window): then the third is refused.
    const statuses: number[] = [];
    let statements: string[] = [];
    for (let i = 0; i < 3 && statuses.at(-1) !== 429; i++) {
      counted.take();
      statuses.push((await post()).status);
      statements = counted.take();
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statements).toHaveLength(appRead + 1);
    expect((await read(visitorId)).body.messages).toHaveLength(statuses.filter((s) => s === 201).length);
  });
});

describe("reading a conversation", () => {
  it("one statement, with or without `after`, for a visitor with or without a conversation", async () => {
    const visitorId = uid("v");
    expect((await read(visitorId)).body.messages).toEqual([]);
    expect(counted.take()).toHaveLength(appRead + 1);
    const sent = await send(visitorId);
    counted.take();
    expect((await read(visitorId)).body.messages).toEqual([sent.body.message]);
    expect(counted.take()).toHaveLength(appRead + 1);
    expect((await read(visitorId, { after: sent.body.message.id })).body.messages).toEqual([]);
    expect(counted.take()).toHaveLength(appRead + 1);
  });

  it("a long-poll with nothing new runs no statement while it waits, to the end of its wait", async () => {
    const visitorId = uid("v");
    const sent = await send(visitorId);
    const waiting = notifier.nextWait();
    const pending = read(visitorId, { after: sent.body.message.id, wait: 1 });
    await waiting;
    counted.take();
    expect((await pending).body.messages).toEqual([]);
    expect(counted.take()).toEqual([]);
  });

  it("a long-poll for a visitor with no conversation yet waits without statements, and the first message (another tab's) wakes it", async () => {
    const visitorId = uid("v");
    const waiting = notifier.nextWait();
    const pending = read(visitorId, { wait: 20 });
    await waiting;
    counted.take();
    const sent = await send(visitorId);
    expect((await pending).body.messages).toEqual([sent.body.message]);
    // The message, then the poll's one look.
    expect(counted.take()).toHaveLength(appRead + 1 + 1);
  });

  it("woken by an operator's reply, it reads once and answers", async () => {
    const visitorId = uid("v");
    const sent = await send(visitorId);
    const waiting = notifier.nextWait();
    const pending = read(visitorId, { after: sent.body.message.id, wait: 20 });
    await waiting;
    const conversationId = (await store.conversationFor(app.id, visitorId, { status: "anonymous" }))!;
    const reply = await store.addReply(app.id, conversationId, "hi there", "Support");
    counted.take();
    notifier.notify(conversationId);
    expect((await pending).body.messages).toEqual([reply]);
    expect(counted.take()).toHaveLength(1);
  });
});
