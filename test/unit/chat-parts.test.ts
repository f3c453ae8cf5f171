// The parts Chat is wired from, each on its own: the rejection rule, the timeline's view, the
// panel's unread count, the visitor record, the long-poll loop (a manual read, fake clock), the
// tabs on an injected channel (two chats, one fake channel, no BroadcastChannel), and a host that
// kept a reference to the stub.
import { afterEach, describe, expect, it, vi } from "vitest";
import { install } from "../../loader/loader.ts";
import type { IdentityVerdict, Message } from "../../contract/wire.ts";
import { boot } from "../../widget/core/boot.ts";
import type { Chat } from "../../widget/core/chat.ts";
import { Emitter } from "../../widget/core/emitter.ts";
import { afterRejection } from "../../widget/core/identity.ts";
import type { OutboxItem } from "../../widget/core/outbox.ts";
import { Panel } from "../../widget/core/panel.ts";
import { Poller } from "../../widget/core/poller.ts";
import { Refresher } from "../../widget/core/refresher.ts";
import { safeStorage } from "../../widget/core/storage.ts";
import { Timeline, viewOf } from "../../widget/core/timeline.ts";
import { isRecord, Visitor } from "../../widget/core/visitor.ts";
import { API, fakeChannels, fakeDocument, hashA, hashB, idle, loaderScript, runStub, until, useApi, usePage, win } from "./helpers.ts";

const page = usePage();
const api = useApi();

const reply = (id: string, text = "hi"): Message => ({ id, clientId: null, text, createdAt: "2030-01-01T00:00:00.000Z", author: { type: "operator", name: "Grace" } });
const mine = (id: string, clientId: string): Message => ({ id, clientId, text: "q", createdAt: "2030-01-01T00:00:00.000Z", author: { type: "visitor", visitorId: "v_1" } });

describe("the rejection rule", () => {
  const rejected = (reason: string): IdentityVerdict => ({ status: "rejected", reason: reason as never });
  it("renews an expired or revoked proof the host can renew; otherwise drops it after a message and keeps it after a read", () => {
    expect(afterRejection(rejected("expired"), true, false)).toBe("renew");
    expect(afterRejection(rejected("revoked_key"), true, true)).toBe("renew");
    expect(afterRejection(rejected("bad_signature"), true, true)).toBe("drop");
    expect(afterRejection(rejected("expired"), false, true)).toBe("drop");
    expect(afterRejection(rejected("expired"), false, false)).toBe("keep");
    expect(afterRejection(rejected("bad_signature"), true, false)).toBe("keep");
  });
});

describe("the timeline", () => {
  it("adds each message once, in order, and says which were new", () => {
    const t = new Timeline();
    expect(t.add([reply("m1"), reply("m2")]).map((m) => m.id)).toEqual(["m1", "m2"]);
    expect(t.add([reply("m2"), reply("m3")]).map((m) => m.id)).toEqual(["m3"]);
    expect(t.lastId()).toBe("m3");
    t.clear();
    expect(t.lastId()).toBeUndefined();
  });

  it("shows history, then this visitor's messages on their way, never another visitor's nor one already stored", () => {
    const item = (clientId: string, visitorId: string, state: OutboxItem["state"] = "pending"): OutboxItem => ({ clientId, text: clientId, claim: null, visitorId, createdAt: "", state, attempts: 0 });
    const view = viewOf([mine("m1", "c_stored"), reply("m2")], [item("c_stored", "v_1"), item("c_mine", "v_1", "failed"), item("c_other", "v_2")], "v_1");
    expect(view.map((v) => [v.key, v.mine, v.state, v.name])).toEqual([
      ["m1", true, "sent", undefined],
      ["m2", false, "sent", "Grace"],
      ["c_mine", true, "failed", undefined],
    ]);
  });
});

describe("the panel", () => {
  it("counts replies (not the visitor's own messages) while closed, and clears the count on open", () => {
    const events = new Emitter();
    const seen: string[] = [];
    events.on("open", () => seen.push("open"));
    events.on("close", () => seen.push("close"));
    const panel = new Panel(events);
    expect(panel.tab.value).toBe("chat");
    panel.arrived([reply("m1"), mine("m2", "c"), reply("m3")]);
    expect(panel.unread.value).toBe(2);
    expect(panel.open()).toBe(true);
    expect(panel.open()).toBe(false);
    expect(panel.unread.value).toBe(0);
    panel.arrived([reply("m4")]);
    expect(panel.unread.value).toBe(0);
    panel.close();
    panel.close();
    expect(seen).toEqual(["open", "close"]);
  });
});

describe("the visitor", () => {
  const KEY = "parley:app_test:visitor";
  const storage = () => safeStorage(() => localStorage);

  it("stays the same visitor when an anonymous one signs in, and becomes a new one for another user", () => {
    const v = new Visitor(storage(), KEY, null);
    const anonymous = v.id.value;
    expect(v.claimedBy("alice")).toBe(false);
    expect(v.id.value).toBe(anonymous);
    expect(v.claimedBy("bob")).toBe(true);
    expect(v.id.value).not.toBe(anonymous);
    v.persist();
    expect(JSON.parse(localStorage.getItem(KEY)!)).toEqual({ id: v.id.value, owner: "bob" });
  });

  it("writes nothing until it has something to keep; from then on, every change", () => {
    const v = new Visitor(storage(), KEY, null);
    v.claimedBy("alice");
    v.renew();
    expect(localStorage.getItem(KEY)).toBeNull();
    v.persist();
    v.claimedBy("bob");
    expect(JSON.parse(localStorage.getItem(KEY)!)).toEqual({ id: v.id.value, owner: "bob" });
    v.renew();
    expect(JSON.parse(localStorage.getItem(KEY)!)).toEqual({ id: v.id.value, owner: null });
  });

  it("is reused after a reload only by its owner or while anonymous", () => {
    const first = new Visitor(storage(), KEY, "alice");
    first.persist();
    expect(new Visitor(storage(), KEY, "alice").id.value).toBe(first.id.value);
    expect(new Visitor(storage(), KEY, "bob").id.value).not.toBe(first.id.value);
    expect(new Visitor(storage(), KEY, null).id.value).not.toBe(first.id.value);
  });

  it("persist() says whether it was the first time; another tab's record must carry a text id", () => {
    const v = new Visitor(storage(), KEY, null);
    expect(v.persist()).toBe(true);
    expect(v.persist()).toBe(false);
    expect(isRecord({ id: "v_1", owner: null })).toBe(true);
    for (const other of [null, "v_1", { id: 5 }, { owner: "u_1" }]) expect(isRecord(other), JSON.stringify(other)).toBe(false);
  });

  it("marks a conversation once", () => {
    const v = new Visitor(storage(), KEY, null);
    expect(v.markActive()).toBe(true);
    expect(v.markActive()).toBe(false);
    expect(new Visitor(storage(), KEY, null).record.active).toBe(true);
  });
});

describe("the long-poll loop", () => {
  afterEach(() => vi.useRealTimers());

  it("runs one poll at a time while wanted, and stops when no longer wanted", async () => {
    let wanted = true;
    const reads: (() => void)[] = [];
    const poller = new Poller({
      read: () => new Promise((resolve) => reads.push(() => resolve({ ok: true }))),
      wanted: () => wanted,
      seconds: 25,
    });
    const loop = poller.ensure();
    void poller.ensure();
    expect(reads).toHaveLength(1);
    reads[0]!();
    await until(() => reads.length === 2, "the next poll");
    wanted = false;
    reads[1]!();
    await loop;
    expect(reads).toHaveLength(2);
  });

  it("waits as long as the server says (up to a quarter more) after a refusal, not its own short backoff", async () => {
    vi.useFakeTimers();
    let n = 0;
    const poller = new Poller({
      read: async () => (++n === 1 ? { ok: false, retryAfter: 30 } : { ok: true }),
      wanted: () => n < 2,
      seconds: 25,
      random: () => 0,
    });
    const loop = poller.ensure();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(n).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await loop;
    expect(n).toBe(2);
  });

  it("polls again when the browser comes back online or the page into view — and after stop(), for neither", async () => {
    let want = false;
    let reads = 0;
    let ended = 0;
    const poller = new Poller({
      read: async () => {
        reads++;
        want = false;
        return { ok: true };
      },
      wanted: () => want || (ended++, false),
      seconds: 25,
    });
    const stop = poller.start();
    want = true;
    dispatchEvent(new Event("online"));
    expect(reads).toBe(1);
    await until(() => ended === 1, "the loop to end");
    want = true;
    document.dispatchEvent(new Event("visibilitychange"));
    expect(reads).toBe(2);
    await until(() => ended === 2, "the loop to end");
    stop();
    want = true;
    dispatchEvent(new Event("online"));
    document.dispatchEvent(new Event("visibilitychange"));
    expect(reads).toBe(2);
  });

  it("abort ends the poll in flight; the loop reads again without backing off", async () => {
    const signals: AbortSignal[] = [];
    let wanted = true;
    const poller = new Poller({
      read: (_s, signal) => {
        signals.push(signal);
        return new Promise((resolve) => signal.addEventListener("abort", () => resolve({ ok: false })));
      },
      wanted: () => wanted,
      seconds: 25,
    });
    void poller.ensure();
    poller.abort();
    await until(() => signals.length === 2, "a new poll at once");
    expect(signals[0]!.aborted).toBe(true);
    wanted = false;
    poller.abort();
  });
});

describe("the refresher", () => {
  afterEach(() => vi.useRealTimers());
  const token = (exp: number) => ({ token: `${Buffer.from(JSON.stringify({ sub: "u_1", exp })).toString("base64url")}.mac` });

  it("asks the host a minute before the token runs out — and, once stopped, never, even when asked to schedule", async () => {
    vi.useFakeTimers({ now: 0 });
    let claim = token(120);
    const host = vi.fn(() => token(3600));
    const refresher = new Refresher({ current: () => claim, owner: () => "u_1", use: (c) => void (claim = c as typeof claim) }, host);
    const stop = refresher.start();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(host).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(host).toHaveBeenCalledTimes(1);
    expect(claim).toEqual(token(3600));
    stop();
    claim = token(120);
    refresher.schedule();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(host).toHaveBeenCalledTimes(1);
  });
});

describe("tabs on an injected channel", () => {
  it("two chats on one fake channel agree on identify, logout and a new conversation — without BroadcastChannel", async () => {
    vi.stubGlobal("BroadcastChannel", undefined);
    const channel = fakeChannels();
    const one = page.chat({ channel });
    const two = page.chat({ channel });
    expect(channel.opened).toBe(2);
    expect(two.visitorId.value).not.toBe(one.visitorId.value);
    one.send("asked anonymously");
    // The first words make the other tab the same visitor: it shows them, then their thread.
    await until(() => two.visitorId.value === one.visitorId.value, "tab two to become tab one's visitor");
    await until(() => two.history.value.length === 1, "tab two to read the conversation tab one started");
    one.identify(hashA);
    await until(() => JSON.stringify(two.claim) === JSON.stringify(hashA), "tab two to adopt the claim");
    expect(two.visitorId.value).toBe(one.visitorId.value);
    one.identify(hashB);
    await until(() => JSON.stringify(two.claim) === JSON.stringify(hashB));
    expect(two.visitorId.value).toBe(one.visitorId.value);
    one.logout();
    await until(() => two.claim === null && two.visitorId.value === one.visitorId.value, "tab two to log out too");
    await idle(two);
  });

  it("takes another tab's person only with a claim shaped like a proof (any script of the origin can post there)", async () => {
    const channel = fakeChannels();
    const chat = page.chat({ channel });
    const forger = channel("parley:app_test")!;
    forger.postMessage({ record: { id: "v_forged", owner: null }, claim: "not a claim" });
    forger.postMessage({ record: { id: "v_forged", owner: null }, claim: { userId: "" } });
    await idle(chat);
    expect([chat.claim, chat.visitorId.value]).not.toContain("v_forged");
    expect(chat.claim).toBeNull();
    forger.postMessage({ record: { id: "v_forged", owner: null }, claim: null });
    await until(() => chat.visitorId.value === "v_forged", "an anonymous visitor of another tab, which it may be");
  });

  it("closes its end on stop, so a stopped tab hears nothing", async () => {
    const channel = fakeChannels();
    const one = page.chat({ channel });
    const two = page.chat({ channel }, false);
    const stop = two.start();
    stop();
    one.identify(hashA);
    await idle(one);
    expect(two.claim).toBeNull();
  });
});

describe("a host that kept the stub", () => {
  it("loses no call made through it after boot (the inline stub and the loader's)", () => {
    runStub();
    const inline = win.Parley;
    const { doc } = fakeDocument("loading");
    install(win, doc, loaderScript({ appId: "app_test", apiBase: API }));
    const loaderStub = win.Parley;
    let chat: Chat | undefined;
    page.cleanup(boot(win, (c) => ((chat = c), () => {})));
    inline("open");
    expect(chat!.isOpen.value).toBe(true);
    loaderStub("close");
    expect(chat!.isOpen.value).toBe(false);
    expect(page.warnings()).toEqual([]);
  });

  it("loses none while the widget waits for an app id either", () => {
    const { doc } = fakeDocument("loading");
    install(win, doc, loaderScript({ apiBase: API }));
    const loaderStub = win.Parley;
    let chat: Chat | undefined;
    page.cleanup(boot(win, (c) => ((chat = c), () => {})));
    expect(chat).toBeUndefined();
    loaderStub("open");
    loaderStub("init", { appId: "app_test" });
    expect(chat!.isOpen.value).toBe(true);
    expect(api.requests.every((r) => r.appId === "app_test")).toBe(true);
  });
});
