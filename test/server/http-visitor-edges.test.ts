// The visitor API's edges, at the HTTP layer: CORS headers exactly (on answers, refusals and
// preflights), the path guard (no control character in a path reaches storage), long-polls that
// end on their own terms (the client leaving, the storage re-read beat), what the request log and
// Server-Timing say, and the 500 that tells nothing. On both storages; polls are watched through
// an injected notifier, never timed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { Notifier } from "../../server/http/notifier.ts";
import { silentLogger, type LogFields } from "../../server/log.ts";
import { createToken, userHash } from "../../server/sign.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";
import { WatchedNotifier } from "../support/notifier.ts";

const ADMIN = "t";
const SHOP = "https://shop.example";


let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let shop: App;
const logged: { level: string; msg: string; fields?: LogFields }[] = [];

beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: ADMIN, limits: NO_LIMITS, log: (level, msg, fields) => void logged.push({ level, msg, fields }) }));
  shop = await store.createApp("shop", [SHOP], "required");
});
afterAll(async () => {
  await db?.close();
});

const message = (visitorId = uid("v")) => ({ visitorId, clientId: uid("c"), text: "hello" });

describe("CORS headers, exactly", () => {
  it("an answer to an allowed origin: that origin, Retry-After exposed, Vary: Origin", async () => {
    const res = await callApi(api, `/v1/apps/${shop.id}/messages`, { origin: SHOP, body: message() });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(res.headers.get("access-control-expose-headers")).toBe("Retry-After");
    expect(res.headers.get("vary")).toBe("Origin");
    // Preflight-only headers are not on the request itself.
    expect(res.headers.get("access-control-allow-methods")).toBeNull();
    expect(res.headers.get("access-control-max-age")).toBeNull();
  });

  it("a request with no Origin gets no CORS header at all", async () => {
    const res = await callApi(api, `/v1/apps/${shop.id}/conversation`, { body: { visitorId: uid("v") } });
    expect(res.status).toBe(200);
    for (const h of ["access-control-allow-origin", "access-control-expose-headers", "vary"]) expect(res.headers.get(h), h).toBeNull();
  });

  it("a preflight: 204, empty, POST and content-type allowed for ten minutes — for any app id, which it does not look up", async () => {
    for (const appId of [shop.id, "app_not_there"]) {
      const res = await callApi(api, `/v1/apps/${appId}/messages`, { method: "OPTIONS", origin: "https://elsewhere.example", headers: { "access-control-request-method": "POST" } });
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      expect(res.headers.get("access-control-allow-origin")).toBe("https://elsewhere.example");
      expect(res.headers.get("access-control-allow-methods")).toBe("POST");
      expect(res.headers.get("access-control-allow-headers")).toBe("content-type");
      expect(res.headers.get("access-control-max-age")).toBe("600");
      expect(res.headers.get("access-control-expose-headers")).toBe("Retry-After");
      expect(res.headers.get("vary")).toBe("Origin");
    }
  });

  it("a preflight without Origin is still 204, with no Allow-Origin", async () => {
    const res = await callApi(api, `/v1/apps/${shop.id}/conversation`, { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-max-age")).toBe("600");
  });

  it("refusals are readable: 404 for an unknown app and 403 for another origin, each with its sentence", async () => {
    const missing = await callApi(api, `/v1/apps/app_nope/messages`, { origin: SHOP, body: message() });
    expect([missing.status, missing.body.error]).toEqual([404, { code: "app_not_found", message: "No app with this id." }]);
    expect([missing.headers.get("access-control-allow-origin"), missing.headers.get("access-control-expose-headers")]).toEqual([SHOP, "Retry-After"]);
    const foreign = await callApi(api, `/v1/apps/${shop.id}/conversation`, { origin: "https://evil.example", body: { visitorId: uid("v") } });
    expect([foreign.status, foreign.body.error]).toEqual([403, { code: "origin_not_allowed", message: "Origin https://evil.example is not allowed for this app." }]);
    expect(foreign.headers.get("access-control-allow-origin")).toBe("https://evil.example");
  });

  it("a 429 is readable and its Retry-After exposed, naming whose limit it is", async () => {
    const limited = createApi({ store, log: silentLogger, now: () => 1_700_000_000, limits: { appPerMinute: 0, visitorPerMinute: 1, addressPerMinute: 0 } });
    const visitorId = uid("v");
    await callApi(limited, `/v1/apps/${shop.id}/messages`, { origin: SHOP, body: message(visitorId) });
    const res = await callApi(limited, `/v1/apps/${shop.id}/messages`, { origin: SHOP, body: message(visitorId) });
    expect(res.status).toBe(429);
    expect([res.headers.get("access-control-allow-origin"), res.headers.get("access-control-expose-headers"), res.headers.get("retry-after")]).toEqual([SHOP, "Retry-After", "40"]);
  });

  it("the log names a refused origin and an unknown app, each cut to a bounded length", async () => {
    const longOrigin = `https://${"o".repeat(300)}.example`;
    await callApi(api, `/v1/apps/${shop.id}/messages`, { origin: longOrigin, body: message() });
    expect(logged).toContainEqual({ level: "warn", msg: "origin refused", fields: { app: shop.id, origin: longOrigin.slice(0, 200) } });
    const longId = `app_${"x".repeat(300)}`;
    await callApi(api, `/v1/apps/${longId}/messages`, { body: message() });
    expect(logged).toContainEqual({ level: "warn", msg: "unknown app", fields: { app: longId.slice(0, 100), origin: undefined } });
  });
});

describe("the path guard: a control character in a path names nothing and never reaches storage", () => {
  it.each([
    ["a NUL", "%00"],
    ["a unit separator", "%1F"],
    ["a DEL", "%7f"],
    ["a NUL behind bytes that are not UTF-8 (left encoded)", "%ff%00"],
    ["a control byte left encoded, lower case", "%fe%1a"],
    ["a DEL left encoded, upper case", "%FF%7F"],
  ])("%s in an app id: 404 not_found", async (_label, bad) => {
    for (const path of [`/v1/apps/${bad}/messages`, `/v1/apps/app${bad}x/conversation`]) {
      const res = await callApi(api, path, { body: message() });
      expect([res.status, res.body.error], path).toEqual([404, { code: "not_found", message: "No such endpoint." }]);
    }
    const adminRes = await callApi(api, `/v1/admin/apps/${shop.id}/conversations/conv${bad}/messages`, { auth: `Bearer ${ADMIN}` });
    expect([adminRes.status, adminRes.body.error?.code]).toEqual([404, "not_found"]);
  });

  it("other escapes are ids like any other: an unknown app, not a bad path", async () => {
    for (const escaped of ["%20", "%2F", "%ff%e9", "%80", "%2500"]) {
      const res = await callApi(api, `/v1/apps/app${escaped}/messages`, { body: message() });
      expect([res.status, res.body.error?.code], escaped).toEqual([404, "app_not_found"]);
    }
  });
});

describe("a long-poll's own terms", () => {
  async function setup(stopping?: AbortSignal) {
    const notifier = new WatchedNotifier();
    const polling = createApi({ store, log: silentLogger, limits: NO_LIMITS, notifier, stopping });
    const visitorId = uid("v");
    const first = await callApi(polling, `/v1/apps/${shop.id}/messages`, { body: message(visitorId) });
    const conversationId = (await store.conversationFor(shop.id, visitorId, { status: "anonymous" }))!;
    const poll = (init: { signal?: AbortSignal } = {}) =>
      polling.request(`/v1/apps/${shop.id}/conversation`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ visitorId, after: first.body.message.id, wait: 30 }), ...init });
    return { notifier, conversationId, poll };
  }

  it.each([["while serving", false], ["with a stop signal that has not fired", true]])("the client going away ends the wait at once (%s)", async (_label, withStop) => {
    const { notifier, poll } = await setup(withStop ? new AbortController().signal : undefined);
    const client = new AbortController();
    const waiting = notifier.nextWait();
    const pending = poll({ signal: client.signal });
    await waiting;
    client.abort();
    // Nothing else wakes it within the 30 s wait: only the client's leaving.
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ messages: [], identity: { status: "anonymous" } });
    expect(notifier.waits).toHaveLength(1);
  }, 10_000);

  it("waits once, for what is left of the time asked, on every storage alike: only a notification wakes it", async () => {
    const { notifier, conversationId, poll } = await setup();
    const waiting = notifier.nextWait();
    const pending = poll();
    await waiting;
    expect(notifier.waits).toHaveLength(1);
    expect(notifier.waits[0]).toBeGreaterThan(20_000);
    expect(notifier.waits[0]).toBeLessThanOrEqual(30_000);
    const reply = await store.addReply(shop.id, conversationId, "woken", "Support");
    notifier.notify(conversationId);
    expect((await (await pending).json()).messages).toEqual([reply]);
  }, 10_000);

  it("a relay that lost its connection wakes every waiter, and each reads storage again", async () => {
    const { notifier, conversationId, poll } = await setup();
    const waiting = notifier.nextWait();
    const pending = poll();
    await waiting;
    // Written by another process while the notification connection was down: no notification.
    const reply = await store.addReply(shop.id, conversationId, "sent while disconnected", "Support");
    notifier.wakeAll();
    expect((await (await pending).json()).messages).toEqual([reply]);
  }, 10_000);
});

describe("the id a rejected claim named (claimedUserId): kept for the operator, unproven and cleaned", () => {
  const sendAs = (identity: unknown, app = shop) => callApi(api, `/v1/apps/${app.id}/messages`, { body: { ...message(), identity } });

  it("control characters are taken out, and it is cut to 255 characters", async () => {
    const bell = await sendAs({ userId: "u_\u0007bell\u0000ed\u007f", userHash: "0".repeat(64) });
    expect(bell.body.identity).toMatchObject({ status: "rejected" });
    expect(bell.body.message.author).toEqual({ type: "visitor", visitorId: bell.body.message.author.visitorId, verified: false, claimedUserId: "u_belled" });
    const long = await sendAs({ userId: `u_${"l".repeat(400)}`, userHash: "0".repeat(64) });
    expect(long.body.identity).toMatchObject({ status: "rejected", reason: "malformed" });
    expect(long.body.message.author.claimedUserId).toBe(`u_${"l".repeat(253)}`);
  });

  it("an id of control characters only, or none at all, leaves no claimedUserId", async () => {
    for (const identity of [{ userId: "\u0001\u0002", userHash: "0".repeat(64) }, { token: "garbage" }]) {
      const res = await sendAs(identity);
      expect(res.body.identity.status).toBe("rejected");
      expect("claimedUserId" in res.body.message.author).toBe(false);
    }
  });

  it("only a rejected claim has one: not an unverified or a verified user, nor an anonymous visitor", async () => {
    const optional = await store.createApp("optional", [], "optional");
    const key = await store.createKey(optional.id, "hash");
    const unverified = await sendAs({ userId: "u_bare" }, optional);
    expect(unverified.body.message.author).toEqual({ type: "visitor", visitorId: unverified.body.message.author.visitorId, userId: "u_bare", verified: false });
    const verified = await sendAs({ userId: "u_good", userHash: userHash(key.secret, "u_good") }, optional);
    expect(verified.body.message.author).toEqual({ type: "visitor", visitorId: verified.body.message.author.visitorId, userId: "u_good", verified: true });
    const anonymous = await sendAs(undefined, optional);
    expect(anonymous.body.message.author).toEqual({ type: "visitor", visitorId: anonymous.body.message.author.visitorId, verified: false });
  });
});

describe("the default clock: seconds since the epoch, whole", () => {
  it("a token minted now verifies; one an hour old has expired", async () => {
    const key = await store.createKey(shop.id, "token");
    const userId = uid("u");
    const now = Math.floor(Date.now() / 1000);
    const fresh = await callApi(api, `/v1/apps/${shop.id}/messages`, { body: { ...message(), identity: { token: createToken(key.secret, { sub: userId, app: shop.id, iat: now }) } } });
    expect(fresh.body.identity).toEqual({ status: "verified", userId });
    const stale = await callApi(api, `/v1/apps/${shop.id}/messages`, { body: { ...message(), identity: { token: createToken(key.secret, { sub: userId, app: shop.id, iat: now - 7200 }) } } });
    expect(stale.body.identity).toMatchObject({ status: "rejected", reason: "expired" });
  });

  it("a 429's Retry-After is whole seconds, at most a minute", async () => {
    const limited = createApi({ store, log: silentLogger, limits: { appPerMinute: 0, visitorPerMinute: 1, addressPerMinute: 0 } });
    const visitorId = uid("v");
    const statuses = [];
    let retryAfter: string | null = null;
    // Two requests may straddle a minute's edge (a new window): then the third is refused.
    for (let i = 0; i < 3 && retryAfter === null; i++) {
      const res = await callApi(limited, `/v1/apps/${shop.id}/conversation`, { body: { visitorId } });
      statuses.push(res.status);
      retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.at(-1)).toBe(429);
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });
});

describe("the request log and Server-Timing", () => {
  it("one log line a request: method, path, status, and durations in ms to 0.01, matching Server-Timing", async () => {
    const lines: { level: string; msg: string; fields?: LogFields }[] = [];
    const timed = createApi({ store, log: (level, msg, fields) => void lines.push({ level, msg, fields }), adminToken: ADMIN, limits: NO_LIMITS, serverTiming: true });
    const sent = await callApi(timed, `/v1/apps/${shop.id}/messages`, { body: message() });
    const listed = await callApi(timed, `/v1/admin/apps`, { auth: `Bearer ${ADMIN}` });
    const requests = lines.filter((l) => l.msg === "request");
    expect(requests.map((l) => [l.level, l.fields?.method, l.fields?.path, l.fields?.status])).toEqual([
      ["info", "POST", `/v1/apps/${shop.id}/messages`, 201],
      ["info", "GET", "/v1/admin/apps", 200],
    ]);
    const timing = (header: string | null) => {
      const m = /^verify;dur=(\d+\.\d{3}), total;dur=(\d+\.\d{3})$/.exec(header ?? "");
      expect(m, String(header)).not.toBeNull();
      return { verify: Number(m![1]), total: Number(m![2]) };
    };
    const visitor = timing(sent.headers.get("server-timing"));
    expect(visitor.verify).toBeLessThanOrEqual(visitor.total);
    expect(Math.abs((requests[0]!.fields!.ms as number) - visitor.total)).toBeLessThanOrEqual(0.0051);
    expect(Math.abs((requests[0]!.fields!.verifyMs as number) - visitor.verify)).toBeLessThanOrEqual(0.0051);
    // Durations rounded to hundredths of a millisecond.
    for (const v of [requests[0]!.fields!.ms, requests[0]!.fields!.verifyMs, requests[1]!.fields!.ms]) expect(String(v)).toMatch(/^\d+(\.\d{1,2})?$/);
    // No claim was verified for the operator's request: no verify time logged, zero in the header.
    expect(requests[1]!.fields!.verifyMs).toBeUndefined();
    expect("verifyMs" in requests[1]!.fields!).toBe(true);
    const operator = timing(listed.headers.get("server-timing"));
    expect(operator.verify).toBe(0);
    expect(Math.abs((requests[1]!.fields!.ms as number) - operator.total)).toBeLessThanOrEqual(0.0051);
  });

  it("no Server-Timing header unless asked for", async () => {
    const res = await callApi(api, `/v1/apps/${shop.id}/messages`, { body: message() });
    expect(res.headers.get("server-timing")).toBeNull();
  });
});

describe("an unexpected failure", () => {
  const failing = (thrown: unknown) => {
    const lines: { level: string; msg: string; fields?: LogFields }[] = [];
    const broken = {
      db: store.db,
      getAppForRequest: async () => {
        throw thrown;
      },
    } as unknown as Store;
    return { lines, api: createApi({ store: broken, log: (level, msg, fields) => void lines.push({ level, msg, fields }), limits: NO_LIMITS }) };
  };

  it("is a 500 internal with a fixed sentence; the log has the path and the error's name and first 200 characters", async () => {
    const { lines, api: broken } = failing(new TypeError(`db gone ${"z".repeat(300)}`));
    const res = await callApi(broken, `/v1/apps/${shop.id}/messages`, { body: message() });
    expect([res.status, res.body.error]).toEqual([500, { code: "internal", message: "Something went wrong on our side." }]);
    expect(lines).toContainEqual({ level: "error", msg: "unhandled", fields: { path: `/v1/apps/${shop.id}/messages`, error: `TypeError: ${`db gone ${"z".repeat(300)}`.slice(0, 200)}` } });
  });
});
