// refreshIdentity at its edges: which proofs and verdicts ever lead to asking the host, when the
// renewal is scheduled (and cancelled: stop, a newer token, before start), that an identify made
// while the host is answering wins, that a read's failed refresh keeps the claim, the exact warning
// of each failed refresh (debug only), and which proof a queued message goes with.
import { describe, expect, it, vi } from "vitest";
import type { Claim, IdentityVerdict, TokenClaim } from "../../contract/wire.ts";
import { chatHandlers, createDispatcher } from "../../widget/core/commands.ts";
import { curable } from "../../widget/core/identity.ts";
import { REFRESH_TIMEOUT_MS, refreshInMs } from "../../widget/core/refresher.ts";
import { APP, hashA, hashB, idle, settle, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

const VISITOR_KEY = `parley:${APP}:visitor`;
const OUTBOX_KEY = `parley:${APP}:outbox`;
const USER = "user-token-9";
const b64url = (s: string) => Buffer.from(s).toString("base64url");
/** An HMAC-token-shaped claim for `sub`, expiring at `exp` (seconds); the widget never checks its MAC. */
const token = (exp: unknown, sub = USER, mac = "mac"): TokenClaim => ({ token: `${b64url(JSON.stringify({ sub, app: APP, exp }))}.${b64url(mac)}` });
const nowS = () => Math.floor(Date.now() / 1000);
const fakeTime = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
const sentClaims = () => api.messages().map((r) => r.body.identity);
const rejectedAs = (reason: IdentityVerdict["reason"]) => (claim: unknown): IdentityVerdict => (claim ? { status: "rejected", reason } : { status: "anonymous" });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A host callback whose answer the test gives, when it chooses. */
function heldCallback() {
  let answer!: (claim: unknown) => void;
  const fn = vi.fn(() => new Promise<unknown>((r) => (answer = r)));
  return { fn, answer: (claim: unknown) => answer(claim) };
}

describe("the rules (pure)", () => {
  const now = 1_800_000_000_000;

  it("reads exp only from a token (either form), and only a positive number", () => {
    expect(refreshInMs(token(now / 1000 + 600), now)).toBe(540_000);
    const jwt = { token: `${b64url('{"alg":"HS256"}')}.${b64url(JSON.stringify({ sub: USER, exp: now / 1000 + 600 }))}.sig` };
    expect(refreshInMs(jwt, now)).toBe(540_000);
    expect(refreshInMs(token(0), now)).toBeUndefined();
    expect(refreshInMs(token(-5), now)).toBeUndefined();
    expect(refreshInMs(token(String(now / 1000 + 600)), now)).toBeUndefined();
    expect(refreshInMs({ payload: JSON.stringify({ id: USER, exp: now / 1000 + 600 }), signature: "ab" }, now)).toBeUndefined();
  });

  it("only an expired proof or a revoked key is cured by a fresh proof", () => {
    expect(curable({ status: "rejected", reason: "expired" })).toBe(true);
    expect(curable({ status: "rejected", reason: "revoked_key" })).toBe(true);
    for (const reason of ["bad_signature", "malformed", "wrong_app", "missing_proof", undefined] as const) expect(curable({ status: "rejected", reason })).toBe(false);
  });
});

describe("when the host is asked", () => {
  it("never for a proof that does not expire", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => hashA);
    const chat = page.chat({ claim: hashA, refreshIdentity });
    chat.send("hello");
    await until(() => chat.outbox.items.value.length === 0, "delivery");
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(refreshIdentity).not.toHaveBeenCalled();
    expect(sentClaims()).toEqual([hashA]);
  });

  it("never for a rejection a fresh proof does not cure: the claim is dropped as without a callback", async () => {
    api.messageVerdict = rejectedAs("bad_signature");
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600));
    const chat = page.chat({ claim: token(nowS() + 3600), refreshIdentity });
    chat.send("hello");
    await until(() => chat.claim === null, "the claim dropped");
    expect(refreshIdentity).not.toHaveBeenCalled();
  });

  it("never on a verdict that is not a rejection: the claim stays as given", async () => {
    const claim = token(nowS() + 3600);
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600, USER, "unasked"));
    const chat = page.chat({ claim, refreshIdentity });
    chat.send("one");
    await until(() => chat.outbox.items.value.length === 0, "the first delivered");
    await chat.sync();
    expect(refreshIdentity).not.toHaveBeenCalled();
    expect(chat.claim).toStrictEqual(claim);
    chat.send("two");
    await until(() => api.messages().length === 2, "the second sent");
    expect(sentClaims()).toEqual([claim, claim]);
  });

  it("never without a callback: in debug, the rejection is the only warning", async () => {
    api.messageVerdict = rejectedAs("expired");
    const chat = page.chat({ claim: token(nowS() + 3600), debug: true });
    chat.send("hello");
    await until(() => chat.claim === null, "the claim dropped");
    await idle(chat);
    expect(page.warnings()).toEqual(["[Parley] identity rejected (expired); continuing as an anonymous visitor."]);
  });

  it("again a minute before each fresh token runs out", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => token(nowS() + 120, USER, `fresh-${refreshIdentity.mock.calls.length}`));
    const chat = page.chat({ claim: token(nowS() + 120), refreshIdentity });
    await idle(chat);
    await vi.advanceTimersByTimeAsync(61_000);
    await until(() => (chat.claim as TokenClaim).token.endsWith(b64url("fresh-1")), "the first renewal in use");
    await vi.advanceTimersByTimeAsync(61_000);
    await until(() => (chat.claim as TokenClaim).token.endsWith(b64url("fresh-2")), "the second renewal in use");
    expect(refreshIdentity).toHaveBeenCalledTimes(2);
  });

  it("for a token given with identify, a minute before it runs out", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600, USER, "fresh"));
    const chat = page.chat();
    chat.identify(token(nowS() + 120), refreshIdentity);
    await vi.advanceTimersByTimeAsync(58_000);
    expect(refreshIdentity).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3_000);
    await until(() => refreshIdentity.mock.calls.length === 1, "the renewal");
  });

  it("for the same proof given again with a callback only now, a minute before it runs out", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600, USER, "fresh"));
    const claim = token(nowS() + 120);
    const chat = page.chat({ claim });
    chat.identify(claim, refreshIdentity);
    await vi.advanceTimersByTimeAsync(61_000);
    await until(() => refreshIdentity.mock.calls.length === 1, "the renewal");
  });

  it("never for the last user's token once they logged out", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600, USER, "fresh"));
    const chat = page.chat({ claim: token(nowS() + 120), refreshIdentity });
    await idle(chat);
    chat.logout();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(refreshIdentity).not.toHaveBeenCalled();
  });

  it("once, by one refresher, when the chat stopped and started again before the refresher arrived; and never after the last stop", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => token(nowS() + 120, USER, `fresh-${refreshIdentity.mock.calls.length}`));
    const chat = page.chat({ claim: token(nowS() + 120), refreshIdentity }, false);
    chat.start()();
    const stop = chat.start();
    await idle(chat);
    await vi.advanceTimersByTimeAsync(61_000);
    await until(() => refreshIdentity.mock.calls.length === 1, "the renewal");
    await settle();
    expect(refreshIdentity).toHaveBeenCalledTimes(1);
    stop();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(refreshIdentity).toHaveBeenCalledTimes(1);
  });

  it("identify without a callback keeps the one the settings gave", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600, USER, "fresh"));
    const chat = page.chat({ claim: hashA, refreshIdentity });
    chat.identify(token(nowS() + 120));
    await vi.advanceTimersByTimeAsync(61_000);
    await until(() => refreshIdentity.mock.calls.length === 1, "the renewal");
  });

  it("identify with a non-function callback keeps the one the settings gave", async () => {
    const fresh = token(nowS() + 3600, USER, "fresh");
    const chat = page.chat({ refreshIdentity: async () => fresh });
    createDispatcher(chatHandlers(chat))("identify", token(nowS() - 10), { refreshIdentity: "soon" });
    chat.send("with a fresh proof");
    await until(() => api.messages().length === 1, "the message");
    expect(sentClaims()).toEqual([fresh]);
  });

  it("not for the old token once identify gave one that lasts longer", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600, USER, "fresh"));
    const chat = page.chat({ claim: token(nowS() + 120), refreshIdentity });
    await idle(chat);
    chat.identify(token(nowS() + 7200, USER, "longer"));
    await vi.advanceTimersByTimeAsync(61_000);
    expect(refreshIdentity).not.toHaveBeenCalled();
  });

  it("not after stop", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600));
    const chat = page.chat({ claim: token(nowS() + 120), refreshIdentity }, false);
    chat.start()();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(refreshIdentity).not.toHaveBeenCalled();
  });

  it("not for calls replayed before start: only once the chat runs", async () => {
    fakeTime();
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600, USER, "fresh"));
    const chat = page.chat({}, false);
    chat.identify(token(nowS() + 120), refreshIdentity);
    await vi.advanceTimersByTimeAsync(61_000);
    expect(refreshIdentity).not.toHaveBeenCalled();
    page.cleanup(chat.start());
    await vi.advanceTimersByTimeAsync(61_000);
    await until(() => refreshIdentity.mock.calls.length === 1, "the renewal, once running");
  });
});

describe("while the host is answering", () => {
  it("an identify of someone else wins: the failed refresh does not drop the new claim", async () => {
    api.messageVerdict = (claim) => (claim && "token" in claim ? rejectedAs("expired")(claim) : api.verdict(claim));
    const host = heldCallback();
    const chat = page.chat({ claim: token(nowS() + 3600), refreshIdentity: host.fn });
    chat.send("hello");
    await until(() => host.fn.mock.calls.length === 1, "the host asked");
    chat.identify(hashB);
    host.answer({ nope: true });
    await chat.sync();
    await idle(chat);
    expect(chat.claim).toStrictEqual(hashB);
    // B's own read at identify and the test's: the late answer about the old claim starts none.
    expect(api.conversations().filter((r) => same(r.body.identity, hashB))).toHaveLength(2);
  });

  it("an identify of the same user wins over the host's late answer", async () => {
    api.messageVerdict = rejectedAs("expired");
    const host = heldCallback();
    const chat = page.chat({ claim: token(nowS() + 3600), refreshIdentity: host.fn });
    chat.send("hello");
    await until(() => host.fn.mock.calls.length === 1, "the host asked");
    const given = token(nowS() + 3600, USER, "given");
    api.messageVerdict = undefined;
    chat.identify(given);
    host.answer(token(nowS() + 3600, USER, "late"));
    await chat.sync();
    expect(chat.claim).toStrictEqual(given);
  });
});

describe("a failed refresh", () => {
  it("after a read answered expired, keeps the claim: the next message still carries it", async () => {
    api.verdict = (claim) => (claim ? { status: "rejected", reason: "expired" } : { status: "anonymous" });
    api.messageVerdict = () => ({ status: "verified", userId: USER });
    const claim = token(nowS() + 3600);
    const refreshIdentity = vi.fn(async () => ({ nope: true }));
    const chat = page.chat({ claim, refreshIdentity });
    await until(() => refreshIdentity.mock.calls.length === 1, "the host asked");
    await chat.sync();
    expect(chat.claim).toStrictEqual(claim);
    // The announcements' read at idle repeats the verdict in force: nothing new to ask.
    await idle(chat);
    await settle();
    expect(refreshIdentity).toHaveBeenCalledTimes(1);
    chat.send("still me");
    await until(() => api.messages().length === 1, "the message");
    expect(sentClaims()).toEqual([claim]);
  });

  it("says nothing outside debug", async () => {
    api.messageVerdict = rejectedAs("expired");
    const chat = page.chat({ claim: token(nowS() + 3600), refreshIdentity: () => Promise.reject(new Error("backend down")) });
    chat.send("hello");
    await until(() => chat.claim === null, "the claim dropped");
    expect(page.warnings()).toEqual([]);
  });

  const backendDown = new Error("backend down");
  const notReady = new TypeError("not ready");
  const mallory = token(nowS() + 3600, "mallory");
  it.each<[string, () => unknown, string, unknown]>([
    ["answers junk", () => "a string", "expected an object", "a string"],
    ["answers an empty token", () => ({ token: "" }), "token must be a non-empty string", { token: "" }],
    ["answers another user", () => mallory, "another user (use identify)", mallory],
  ])("in debug, names why when the callback %s", async (_, refreshIdentity, why, detail) => {
    api.messageVerdict = rejectedAs("expired");
    const chat = page.chat({ claim: token(nowS() + 3600), refreshIdentity, debug: true });
    chat.send("hello");
    await until(() => chat.claim === null, "the claim dropped");
    expect(page.warn.mock.calls.filter(([m]) => String(m).startsWith("[Parley] refreshIdentity"))).toEqual([[`[Parley] refreshIdentity: ${why}`, detail]]);
  });

  // For a throw the sentence is the shape check's (an Error is an object, not a claim), which names
  // no throw: pinned only as "a refreshIdentity warning, with what was thrown attached", so a
  // clearer sentence does not break it.
  it.each<[string, () => unknown, Error]>([
    ["rejects", () => Promise.reject(backendDown), backendDown],
    [
      "throws at once",
      () => {
        throw notReady;
      },
      notReady,
    ],
  ])("in debug, warns with what the callback threw when it %s", async (_, refreshIdentity, thrown) => {
    api.messageVerdict = rejectedAs("expired");
    const chat = page.chat({ claim: token(nowS() + 3600), refreshIdentity, debug: true });
    chat.send("hello");
    await until(() => chat.claim === null, "the claim dropped");
    const calls = page.warn.mock.calls.filter(([m]) => String(m).startsWith("[Parley] refreshIdentity"));
    expect(calls).toEqual([[expect.stringMatching(/^\[Parley\] refreshIdentity: \S/), thrown]]);
    expect(calls[0]![1]).toBe(thrown);
  });

  it("gives a host that hangs ten seconds, then goes on without it", async () => {
    fakeTime();
    api.messageVerdict = rejectedAs("expired");
    const claim = token(nowS() + 3600);
    const chat = page.chat({ claim, refreshIdentity: () => new Promise(() => {}), debug: true });
    chat.send("hello");
    await until(() => api.messages().length === 1, "the message sent");
    await idle(chat);
    await vi.advanceTimersByTimeAsync(REFRESH_TIMEOUT_MS - 1);
    expect(chat.claim).toStrictEqual(claim);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => chat.claim === null, "the claim dropped");
    expect(page.warn.mock.calls.filter(([m]) => String(m).startsWith("[Parley] refreshIdentity"))).toEqual([["[Parley] refreshIdentity: expected an object", "timed out"]]);
    expect(REFRESH_TIMEOUT_MS).toBe(10_000);
  });
});

describe("the proof a queued message goes with", () => {
  /** A message written earlier on this browser, under a token that has run out since. */
  function queuedUnderExpiredToken() {
    const expired = token(nowS() - 10, USER, "expired");
    localStorage.setItem(VISITOR_KEY, JSON.stringify({ id: "v_q", owner: USER }));
    localStorage.setItem(
      OUTBOX_KEY,
      JSON.stringify([{ clientId: "c_q", text: "written earlier", claim: expired, visitorId: "v_q", createdAt: "2030-01-01T00:00:00.000Z", state: "pending", attempts: 1 }]),
    );
    return expired;
  }

  it("the current proof of the same user when it is fresh: the host is not asked again", async () => {
    queuedUnderExpiredToken();
    const current = token(nowS() + 3600, USER, "current");
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600, USER, "asked"));
    const chat = page.chat({ claim: current, refreshIdentity });
    await until(() => chat.outbox.items.value.length === 0, "delivery");
    expect(sentClaims()).toEqual([current]);
    expect(refreshIdentity).not.toHaveBeenCalled();
  });

  it("without a callback, the proof it was written under, even when a fresh one is current", async () => {
    const expired = queuedUnderExpiredToken();
    const chat = page.chat({ claim: token(nowS() + 3600, USER, "current") });
    await until(() => chat.outbox.items.value.length === 0, "delivery");
    expect(sentClaims()).toEqual([expired]);
  });

  it("after the claim was dropped, the proof it was written under (never anonymously)", async () => {
    const expired = queuedUnderExpiredToken();
    const current = token(nowS() + 3600, USER, "current");
    // Written before the expired one: its rejection (not a cure for a fresh proof) drops the claim.
    const items = JSON.parse(localStorage.getItem(OUTBOX_KEY)!);
    localStorage.setItem(OUTBOX_KEY, JSON.stringify([{ ...items[0], clientId: "c_first", text: "first", claim: current }, ...items]));
    api.messageVerdict = rejectedAs("bad_signature");
    const refreshIdentity = vi.fn(async () => token(nowS() + 3600, USER, "asked"));
    const chat = page.chat({ claim: current, refreshIdentity });
    await until(() => chat.outbox.items.value.length === 0, "both delivered");
    expect(chat.claim).toBeNull();
    expect(api.messages().map((r) => [r.body.clientId, r.body.identity])).toEqual([
      ["c_first", current],
      ["c_q", expired],
    ]);
    expect(refreshIdentity).not.toHaveBeenCalled();
  });

  it("a proof that does not expire goes as written, whatever is current", async () => {
    const chat = page.chat({ claim: hashA, refreshIdentity: vi.fn(async () => hashB as Claim) });
    api.onMessage = () => new Response(null, { status: 503 });
    chat.send("as A");
    await until(() => chat.outbox.items.value[0]?.attempts === 1, "the first attempt");
    api.onMessage = undefined;
    chat.outbox.kick();
    await until(() => chat.outbox.items.value.length === 0, "delivery");
    expect(sentClaims()).toEqual([hashA, hashA]);
  });
});
