// The Chat at its edges, against the fake API: which stored visitor is reused (and that signing in
// keeps it, so the server can merge), what start reads and what stop ends, the exact body of a read,
// answers that lack a part, the long-poll's single loop and its backoff, verdict changes, and what
// another tab of the same app (never of another app) changes here.
import { HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi, type Mock } from "vitest";
import type { Chat } from "../../widget/core/chat.ts";
import type { IdentityVerdict, Message } from "../../contract/wire.ts";
import { API, APP, hashA, hashB, idle, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

const VISITOR_KEY = `parley:${APP}:visitor`;
const OUTBOX_KEY = `parley:${APP}:outbox`;
const fakeTime = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
const record = () => JSON.parse(localStorage.getItem(VISITOR_KEY)!);
const polls = () => api.conversations().filter((r) => r.body.wait);
const reads = () => api.conversations().filter((r) => !r.body.wait);

/** A promise the test releases: for an answer the server holds back. */
function gate() {
  let release!: () => void;
  const wait = new Promise<void>((r) => (release = r));
  return { wait, release: () => release() };
}

function identities(chat: Chat) {
  const seen: IdentityVerdict[] = [];
  chat.events.on("identity", (v) => seen.push(v as IdentityVerdict));
  return seen;
}

/** The init (second argument) fetch was called with for the nth request matching `pick`. */
const fetchInit = (pick: (body: any) => boolean) =>
  (globalThis.fetch as Mock).mock.calls.filter(([, init]) => pick(JSON.parse(String(init?.body)))).map(([, init]) => init as RequestInit);

const setHidden = (hidden: boolean) => {
  Object.defineProperty(document, "hidden", { value: hidden, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
};

afterEach(() => {
  vi.unstubAllGlobals();
  setHidden(false);
});

async function deliveredAnonymously(text = "hello") {
  const chat = page.chat();
  chat.send(text);
  await until(() => chat.outbox.items.value.length === 0 && chat.history.value.length > 0, `"${text}" delivered`);
  return chat;
}

describe("the stored visitor", () => {
  it("is replaced when its id is not text", async () => {
    localStorage.setItem(VISITOR_KEY, JSON.stringify({ id: 5, owner: null }));
    const chat = page.chat({}, false);
    expect(chat.visitorId.value).toMatch(/^[0-9a-f]{32}$/);
    chat.send("hello");
    await idle(chat);
    expect(record()).toStrictEqual({ id: chat.visitorId.value, owner: null, active: true });
  });

  it("an anonymous visitor who signs in on the next page keeps the visitorId, now owned by the user", async () => {
    const anonymous = page.chat({}, false);
    anonymous.send("asked before signing in");
    await idle(anonymous);
    expect(record()).toStrictEqual({ id: anonymous.visitorId.value, owner: null, active: true });
    const signedIn = page.chat({ claim: hashA }, false);
    expect(signedIn.visitorId.value).toBe(anonymous.visitorId.value);
    // Stored again only when there is something to keep.
    signedIn.send("and after");
    await idle(signedIn);
    expect(record()).toStrictEqual({ id: anonymous.visitorId.value, owner: hashA.userId, active: true });
  });

  it("identify from anonymous keeps the visitorId (login merges), and the record names the user", async () => {
    const chat = page.chat();
    const before = chat.visitorId.value;
    chat.identify(hashA);
    expect(chat.visitorId.value).toBe(before);
    chat.send("hello");
    await idle(chat);
    expect(record()).toStrictEqual({ id: before, owner: hashA.userId, active: true });
  });

  it("identify with a fresh proof of the same user keeps the visitorId", () => {
    const chat = page.chat({ claim: hashA });
    const before = chat.visitorId.value;
    const fresh = { ...hashA, userHash: "0f".repeat(32) };
    chat.identify(fresh);
    expect(chat.claim).toStrictEqual(fresh);
    expect(chat.visitorId.value).toBe(before);
  });

  it("a new page forgets other visitors' refused messages, and keeps theirs still pending and its own", () => {
    localStorage.setItem(VISITOR_KEY, JSON.stringify({ id: "v_me", owner: null }));
    const base = { claim: null, createdAt: "2030-01-01T00:00:00.000Z", attempts: 0 };
    localStorage.setItem(
      OUTBOX_KEY,
      JSON.stringify([
        { ...base, clientId: "c1", text: "old refused", visitorId: "v_old", state: "failed", error: "no" },
        { ...base, clientId: "c2", text: "old pending", visitorId: "v_old", state: "pending" },
        { ...base, clientId: "c3", text: "my refused", visitorId: "v_me", state: "failed", error: "no" },
      ]),
    );
    const chat = page.chat({}, false);
    expect(chat.outbox.items.value.map((i) => i.clientId)).toEqual(["c2", "c3"]);
    expect(JSON.parse(localStorage.getItem(OUTBOX_KEY)!).map((i: { clientId: string }) => i.clientId)).toEqual(["c2", "c3"]);
    expect(chat.messages.value.map((m) => [m.text, m.state])).toEqual([["my refused", "failed"]]);
  });
});

describe("start", () => {
  it("a fresh anonymous visitor reads nothing, at start or on opening the panel", async () => {
    const chat = page.chat();
    chat.open();
    await idle(chat);
    expect(api.requests).toEqual([]);
  });

  it("an anonymous visitor with a conversation reads it at the next page's start, without opening", async () => {
    const first = await deliveredAnonymously("before reload");
    expect(record()).toStrictEqual({ id: first.visitorId.value, owner: null, active: true });
    api.reply(`visitor:${first.visitorId.value}`, "a reply while away");
    const second = page.chat();
    await until(() => second.history.value.length === 2, "the conversation read at start");
    expect(second.history.value.map((m) => m.text)).toEqual(["before reload", "a reply while away"]);
    expect(second.isOpen.value).toBe(false);
  });

  it("a signed-in visitor reads again on opening the panel", async () => {
    const chat = page.chat({ claim: hashA });
    await idle(chat);
    expect(reads()).toHaveLength(1);
    chat.open();
    await until(() => reads().length === 2, "a read on open");
    expect(reads()[1]!.body).toStrictEqual({ visitorId: chat.visitorId.value, identity: hashA });
  });

  it("an anonymous visitor with a conversation reads again on opening the panel", async () => {
    const chat = await deliveredAnonymously();
    const before = reads().length;
    chat.open();
    await until(() => reads().length === before + 1, "a read on open");
  });

  it("ready describes a state: a listener added after start hears it at once", () => {
    const chat = page.chat();
    const ready = vi.fn();
    chat.events.on("ready", ready);
    expect(ready).toHaveBeenCalledExactlyOnceWith(undefined);
  });

  it("reloads the outbox when another tab clears the whole storage (a storage event without key)", () => {
    const chat = page.chat();
    localStorage.setItem(
      OUTBOX_KEY,
      JSON.stringify([{ clientId: "c_x", text: "from elsewhere", claim: null, visitorId: "v_x", createdAt: "2030-01-01T00:00:00.000Z", state: "failed", attempts: 0 }]),
    );
    window.dispatchEvent(new StorageEvent("storage", { key: "unrelated" }));
    expect(chat.outbox.items.value).toEqual([]);
    window.dispatchEvent(new StorageEvent("storage", { key: null }));
    expect(chat.outbox.items.value.map((i) => i.clientId)).toEqual(["c_x"]);
  });

  it("works in a browser without BroadcastChannel, and stops cleanly", async () => {
    vi.stubGlobal("BroadcastChannel", undefined);
    const chat = page.chat({}, false);
    const stop = chat.start();
    chat.identify(hashA);
    chat.logout();
    chat.send("still here");
    await until(() => chat.messages.value[0]?.state === "sent", "delivery");
    expect(page.warnings()).toEqual([]);
    expect(stop).not.toThrow();
  });
});

describe("stop", () => {
  it("ends everything start began: no retry on coming online, no outbox reload, no reads, the long-poll aborted", async () => {
    const chat = page.chat({ claim: hashA }, false);
    const stop = chat.start();
    chat.open();
    await until(() => polls().length === 1, "a long-poll");
    api.onMessage = () => new Response(null, { status: 503 });
    chat.send("queued");
    await until(() => chat.outbox.items.value[0]?.attempts === 1, "a failed attempt");
    api.onMessage = undefined;
    const requests = api.requests.length;
    stop();

    expect(fetchInit((b) => !!b.wait)[0]!.signal!.aborted).toBe(true);
    window.dispatchEvent(new Event("online"));
    localStorage.setItem(OUTBOX_KEY, "[]");
    window.dispatchEvent(new StorageEvent("storage", { key: OUTBOX_KEY }));
    setHidden(false);
    expect(await chat.sync()).toEqual({ ok: true });
    await idle(chat);
    expect(api.requests).toHaveLength(requests);
    expect(chat.outbox.items.value.map((i) => i.text)).toEqual(["queued"]);
  });

  it("a stopped tab no longer follows the others; identify there does not throw", async () => {
    const one = page.chat();
    const stopped = page.chat({}, false);
    const stop = stopped.start();
    const witness = page.chat();
    stop();
    one.identify(hashB);
    await until(() => witness.claim !== null, "a running tab to follow");
    expect(stopped.claim).toBeNull();
    expect(() => stopped.identify(hashA)).not.toThrow();
  });

  it("an answer that arrives after stop is not applied", async () => {
    api.reply(`user:${hashA.userId}`, "too late");
    const held = gate();
    api.onConversation = async () => {
      await held.wait;
      return undefined;
    };
    // Without the What's new tab: no announcements query gives a verdict before the read.
    const chat = page.chat({ claim: hashA, tabs: ["chat"] }, false);
    const stop = chat.start();
    await until(() => reads().length === 1, "the read in flight");
    stop();
    held.release();
    await idle(chat);
    expect(chat.history.value).toEqual([]);
    expect(chat.verdict.value).toBeNull();
  });
});

describe("sync", () => {
  it("before start sends nothing and says ok", async () => {
    const chat = page.chat({ claim: hashA }, false);
    expect(await chat.sync()).toEqual({ ok: true });
    expect(api.requests).toEqual([]);
  });

  it("asks only for what is after the last message it has", async () => {
    const chat = page.chat();
    chat.send("one");
    chat.send("two");
    await until(() => chat.history.value.length === 2, "both delivered");
    await chat.sync();
    expect(reads().at(-1)!.body).toStrictEqual({ visitorId: chat.visitorId.value, after: "m_0002" });
  });

  it("a failed read says so, with the server's Retry-After", async () => {
    api.onConversation = () => new HttpResponse(null, { status: 503, headers: { "Retry-After": "7" } });
    const chat = page.chat();
    expect(await chat.sync()).toEqual({ ok: false, retryAfter: 7 });
  });

  it("a read answered without messages still applies its verdict", async () => {
    api.onConversation = () => HttpResponse.json({ identity: { status: "verified", userId: hashA.userId } });
    const chat = page.chat({ claim: hashA }, false);
    page.cleanup(chat.start());
    await idle(chat);
    expect(await chat.sync()).toEqual({ ok: true });
    expect(chat.verdict.value).toEqual({ status: "verified", userId: hashA.userId });
    expect(chat.history.value).toEqual([]);
  });

  it("a read answered without a verdict adds its messages and keeps the verdict it had", async () => {
    const chat = page.chat({ claim: hashA });
    await until(() => chat.verdict.value?.status === "verified", "the first verdict");
    const reply = api.reply(`user:${hashA.userId}`, "no verdict here");
    api.onConversation = () => HttpResponse.json({ messages: [{ ...reply, owner: undefined }] });
    expect(await chat.sync()).toEqual({ ok: true });
    expect(chat.history.value.map((m) => m.text)).toEqual(["no verdict here"]);
    expect(chat.verdict.value).toEqual({ status: "verified", userId: hashA.userId });
  });

  it("a read that brings nothing new leaves the history as it was (nothing to re-render)", async () => {
    const chat = await deliveredAnonymously();
    const before = chat.history.value;
    await chat.sync();
    expect(chat.history.value).toBe(before);
  });

  it("encodes the app id in the URL", async () => {
    const chat = page.chat({ appId: "app x/y", claim: hashA });
    await idle(chat);
    expect(api.requests[0]!.url).toBe(`${API}/v1/apps/app%20x%2Fy/conversation`);
  });
});

describe("delivery", () => {
  it("a message answered without a verdict is shown as sent, and the verdict is unchanged", async () => {
    api.onMessage = (body) =>
      HttpResponse.json({ message: { id: "m_9", clientId: body.clientId, text: body.text, createdAt: "2030-01-01T00:00:00.000Z", author: { type: "visitor", visitorId: body.visitorId } } }, { status: 201 });
    const chat = page.chat();
    chat.send("no verdict");
    await until(() => chat.outbox.items.value.length === 0, "delivery");
    expect(chat.messages.value).toEqual([{ key: "m_9", text: "no verdict", mine: true, name: undefined, state: "sent" }]);
    // What start said of no claim, unchanged.
    expect(chat.verdict.value).toEqual({ status: "anonymous" });
  });

  it("after the first message, listens for replies even with the panel closed", async () => {
    const chat = await deliveredAnonymously();
    await until(() => polls().length === 1, "a long-poll");
    expect(polls()[0]!.body).toStrictEqual({ visitorId: chat.visitorId.value, after: chat.history.value[0]!.id, wait: 25 });
  });

  it("records the time the visitor wrote it", () => {
    const before = Date.now();
    const chat = page.chat();
    chat.send("when");
    const at = Date.parse(chat.outbox.items.value[0]!.createdAt);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});

describe("the long-poll", () => {
  it("waits as long as configured", async () => {
    const chat = page.chat({ claim: hashA, pollSeconds: 3 });
    chat.open();
    await until(() => polls().length === 1, "a long-poll");
    expect(polls()[0]!.body).toStrictEqual({ visitorId: chat.visitorId.value, identity: hashA, wait: 3 });
  });

  it("a signed-in visitor with no conversation and the panel closed does not poll", async () => {
    const chat = page.chat({ claim: hashA });
    await idle(chat);
    expect(reads()).toHaveLength(1);
    expect(polls()).toEqual([]);
  });

  it("is one loop, however many things ask for it", async () => {
    const chat = page.chat({ claim: hashA });
    chat.open();
    await until(() => polls().length === 1, "a long-poll");
    chat.send("more");
    window.dispatchEvent(new Event("online"));
    setHidden(false);
    chat.close();
    chat.open();
    await until(() => chat.outbox.items.value.length === 0, "delivery");
    await idle(chat);
    expect(polls()).toHaveLength(1);
  });

  it("backs off with jitter after each failed poll, and starts over after a good one", async () => {
    fakeTime();
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const fail = () => new Response(null, { status: 500 });
    const empty = () => HttpResponse.json({ messages: [], identity: { status: "verified", userId: hashA.userId } });
    api.onPoll = (_, nth) => [fail, fail, empty, fail][nth]?.();
    const chat = page.chat({ claim: hashA });
    chat.open();
    // After n failures in a row: 1000·2^n·(0.5 + 0.5/2) ms.
    for (const [n, wait] of [[2, 1500], [3, 3000], [5, 1500]] as const) {
      await until(() => polls().length === n - 1, `poll ${n - 1}`);
      await idle(chat);
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(polls()).toHaveLength(n - 1);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => polls().length >= n, `poll ${n}`);
    }
  });

  it("believes Retry-After over a shorter backoff, give or take a quarter", async () => {
    fakeTime();
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    api.onPoll = (_, nth) => (nth === 0 ? new HttpResponse(null, { status: 503, headers: { "Retry-After": "4" } }) : undefined);
    const chat = page.chat({ claim: hashA });
    chat.open();
    await until(() => polls().length === 1, "the 503");
    await idle(chat);
    // 4 s · (1 + 0.5/4) = 4.5 s; our own backoff would be 1.5 s.
    await vi.advanceTimersByTimeAsync(4499);
    expect(polls()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => polls().length === 2 && api.hanging.size === 1, "the next poll");
  });

  it("identify aborts the poll in flight and listens as the new user at once", async () => {
    const chat = page.chat({ claim: hashA });
    chat.open();
    await until(() => polls().length === 1, "A's long-poll");
    chat.identify(hashB);
    await until(() => polls().some((r) => r.body.identity?.userId === hashB.userId), "B's long-poll");
    expect(fetchInit((b) => !!b.wait && b.identity?.userId === hashA.userId)[0]!.signal!.aborted).toBe(true);
  });
});

describe("verdicts", () => {
  it("the identity event fires when the status, the user or the reason of a rejection changes, and only then", async () => {
    const chat = page.chat({ claim: hashA });
    const seen = identities(chat);
    await until(() => seen.length === 1, "the first verdict");
    api.verdict = () => ({ status: "unverified", userId: hashA.userId });
    await chat.sync();
    api.verdict = () => ({ status: "unverified", userId: "someone-else" });
    await chat.sync();
    api.verdict = () => ({ status: "rejected", reason: "bad_signature" });
    await chat.sync();
    await chat.sync();
    api.verdict = () => ({ status: "rejected", reason: "expired" });
    await chat.sync();
    expect(seen).toEqual([
      { status: "verified", userId: hashA.userId },
      { status: "unverified", userId: hashA.userId },
      { status: "unverified", userId: "someone-else" },
      { status: "rejected", reason: "bad_signature" },
      { status: "rejected", reason: "expired" },
    ]);
  });

  it("in debug, warns once per rejection, with its reason and the server's hint", async () => {
    api.verdict = () => ({ status: "rejected", reason: "expired", hint: "Sign a fresh token." });
    const chat = page.chat({ claim: hashA, debug: true });
    await idle(chat);
    await chat.sync();
    expect(page.warnings()).toEqual(["[Parley] identity rejected (expired); continuing as an anonymous visitor. Sign a fresh token."]);
  });

  it("in debug, a rejection without reason or hint says unknown", async () => {
    api.verdict = () => ({ status: "rejected" });
    const chat = page.chat({ claim: hashA, debug: true });
    await idle(chat);
    expect(page.warnings()).toEqual(["[Parley] identity rejected (unknown); continuing as an anonymous visitor."]);
  });

  it("the identity event gives the host a copy: changing it changes nothing here", async () => {
    const chat = page.chat({ claim: hashA });
    chat.events.on("identity", (v) => Object.assign(v as object, { status: "anonymous" }));
    await until(() => chat.verdict.value !== null, "the verdict");
    expect(chat.verdict.value).toEqual({ status: "verified", userId: hashA.userId });
  });

  it("identify and logout reset the unread count", async () => {
    const chat = await deliveredAnonymously();
    api.reply(`visitor:${chat.visitorId.value}`, "a reply");
    await chat.sync();
    expect(chat.unread.value).toBe(1);
    chat.identify(hashA);
    expect(chat.unread.value).toBe(0);
    api.reply(`user:${hashA.userId}`, "hi Alice");
    await until(() => chat.history.value.some((m) => m.text === "hi Alice"), "A's reply");
    // Signing in folded the anonymous thread into A's: its reply is read again, with A's.
    expect(chat.unread.value).toBe(2);
    chat.logout();
    expect(chat.unread.value).toBe(0);
  });
});

describe("another tab", () => {
  it("logging out makes this tab anonymous too, with the identity event", async () => {
    const one = page.chat({ claim: hashA });
    const two = page.chat({ claim: hashA });
    const seen = identities(two);
    await until(() => seen.length === 1, "two's verdict");
    one.logout();
    await until(() => two.claim === null, "two to log out");
    expect(seen).toEqual([{ status: "verified", userId: hashA.userId }, { status: "anonymous" }]);
    expect(two.verdict.value).toEqual({ status: "anonymous" });
    // A fresh anonymous visitor has nothing to read.
    await idle(two);
    expect(api.conversations().filter((r) => r.body.visitorId === two.visitorId.value)).toEqual([]);
  });

  it("an anonymous visitor's logout there makes this tab the same fresh visitor", async () => {
    const one = page.chat();
    const two = page.chat();
    const before = two.visitorId.value;
    one.logout();
    expect(one.visitorId.value).not.toBe(before);
    await until(() => two.visitorId.value !== before, "two to follow the logout");
    expect(two.visitorId.value).toBe(one.visitorId.value);
    expect(two.claim).toBeNull();
  });

  it("signing in makes this tab read the user's conversation", async () => {
    api.reply(`user:${hashB.userId}`, "for Bob");
    const one = page.chat();
    const two = page.chat();
    one.identify(hashB);
    await until(() => two.history.value.length === 1, "two to read Bob's conversation");
    expect(two.history.value.map((m) => m.text)).toEqual(["for Bob"]);
    expect(two.verdict.value).toEqual({ status: "verified", userId: hashB.userId });
  });

  it("starting the conversation makes this tab's visitor active: opening the panel here reads again", async () => {
    const one = page.chat();
    const two = page.chat();
    one.send("asked in tab one");
    await until(() => two.history.value.length === 1, "two to read the new conversation");
    await idle(two);
    const before = reads().length;
    two.open();
    await until(() => reads().length === before + 1, "a read on open");
  });

  it("ignores what is not a visitor, and news it already has", async () => {
    const chat = page.chat();
    const seen = identities(chat);
    const id = chat.visitorId.value;
    const channel = new BroadcastChannel(`parley:${APP}`);
    page.cleanup(() => channel.close());
    for (const junk of [null, {}, { record: null }, { record: { id: 5, owner: null }, claim: null }, { record: { id, owner: null }, claim: null }]) channel.postMessage(junk);
    channel.postMessage({ record: { id, owner: hashB.userId }, claim: hashB });
    await until(() => chat.claim !== null, "the real news");
    await until(() => seen.length === 2, "B's verdict");
    expect(chat.visitorId.value).toBe(id);
    // The first is start's (no claim: anonymous), heard late as the sticky event it is.
    expect(seen).toEqual([{ status: "anonymous" }, { status: "verified", userId: hashB.userId }]);
  });

  it("tabs of another app are not told", async () => {
    const other = page.chat({ appId: "app_other" });
    const otherTwin = page.chat({ appId: "app_other" });
    const mine = page.chat();
    other.identify(hashB);
    await until(() => otherTwin.claim !== null, "the same app's other tab");
    expect(mine.claim).toBeNull();
  });
});

describe("the view", () => {
  it("shows each line as the visitor sees it: own, operator's with a name, pending", async () => {
    const chat = await deliveredAnonymously("mine");
    api.reply(`visitor:${chat.visitorId.value}`, "theirs");
    await chat.sync();
    const held = gate();
    api.onMessage = async () => {
      await held.wait;
      return undefined;
    };
    chat.send("on its way");
    const clientId = chat.outbox.items.value[0]!.clientId;
    expect(chat.messages.value).toStrictEqual([
      { key: "m_0001", text: "mine", mine: true, name: undefined, state: "sent" },
      { key: "m_0002", text: "theirs", mine: false, name: "Grace", state: "sent" },
      { key: clientId, text: "on its way", mine: true, state: "pending", clientId },
    ]);
    held.release();
  });

  it("names only the operator: the visitor's own line has no name, even when the server gives one", async () => {
    api.onMessage = (body) =>
      HttpResponse.json(
        {
          message: { id: "m_7", clientId: body.clientId, text: body.text, createdAt: "2030-01-01T00:00:00.000Z", author: { type: "visitor", visitorId: body.visitorId, name: "Alice Liddell" } },
          identity: { status: "verified", userId: hashA.userId },
        },
        { status: 201 },
      );
    const chat = page.chat({ claim: hashA });
    chat.send("signed");
    await until(() => chat.outbox.items.value.length === 0, "delivery");
    expect(chat.messages.value).toStrictEqual([{ key: "m_7", text: "signed", mine: true, name: undefined, state: "sent" }]);
  });

  it("a message the server has but the outbox still holds (another tab sent it) shows once, as sent", async () => {
    localStorage.setItem(VISITOR_KEY, JSON.stringify({ id: "v_known", owner: null, active: true }));
    localStorage.setItem(
      OUTBOX_KEY,
      JSON.stringify([{ clientId: "c_dup", text: "sent elsewhere", claim: null, visitorId: "v_known", createdAt: "2030-01-01T00:00:00.000Z", state: "pending", attempts: 0 }]),
    );
    const message: Message & { owner: string } = {
      id: "m_0100",
      clientId: "c_dup",
      text: "sent elsewhere",
      createdAt: "2030-01-01T00:00:00.000Z",
      author: { type: "visitor", visitorId: "v_known" },
      owner: "visitor:v_known",
    };
    api.stored.push(message);
    const held = gate();
    api.onMessage = async () => {
      await held.wait;
      return undefined;
    };
    const chat = page.chat();
    await until(() => chat.history.value.length === 1, "the read at start");
    expect(chat.outbox.items.value.map((i) => i.clientId)).toEqual(["c_dup"]);
    expect(chat.messages.value).toStrictEqual([{ key: "m_0100", text: "sent elsewhere", mine: true, name: undefined, state: "sent" }]);
    held.release();
  });
});
