// Refresh before reject: with a `refreshIdentity` callback, a token is renewed a minute before it
// runs out, before a message goes with one that has, and when the server says it expired or its key
// was revoked — so a message is never filed anonymously only because a token aged. A callback that
// throws, hangs or answers junk falls back to the rejected path (a warning in debug), and never
// blocks sending. Rules: widget/core/refresher.ts; wiring: widget/core/chat.ts.
import { HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import type { Claim, TokenClaim } from "../../contract/wire.ts";
import { createDispatcher, chatHandlers } from "../../widget/core/commands.ts";
import { freshClaim, refreshInMs } from "../../widget/core/refresher.ts";
import { resolveOptions } from "../../widget/core/options.ts";
import { APP, idle, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

const b64url = (s: string) => Buffer.from(s).toString("base64url");
/** An HMAC-token-shaped claim for `sub`, expiring at `exp` (seconds); the widget never checks its MAC. */
const token = (exp: number, sub = "user-token-9", mac = "mac"): TokenClaim => ({ token: `${b64url(JSON.stringify({ sub, app: APP, exp }))}.${b64url(mac)}` });
const nowS = () => Math.floor(Date.now() / 1000);
const sentClaims = () => api.messages().map((r) => r.body.identity);
const rejected = (reason: string) => () => ({ status: "rejected" as const, reason: reason as "expired" });

describe("the rules (pure)", () => {
  it("refresh a token a minute before its exp; now once it is that close or past; never a proof that does not expire", () => {
    const now = 1_800_000_000_000;
    expect(refreshInMs(token(now / 1000 + 3600), now)).toBe(3_540_000);
    expect(refreshInMs(token(now / 1000 + 30), now)).toBe(0);
    expect(refreshInMs(token(now / 1000 - 5), now)).toBe(0);
    expect(refreshInMs({ userId: "u", userHash: "h" } as Claim, now)).toBeUndefined();
    expect(refreshInMs({ token: "not.a.token" }, now)).toBeUndefined();
    expect(refreshInMs(null, now)).toBeUndefined();
  });

  it("a fresh claim must be a claim, of the same user", () => {
    const fresh = token(nowS() + 3600);
    expect(freshClaim(fresh, "user-token-9")).toBe(fresh);
    expect(freshClaim(token(nowS() + 3600, "someone-else"), "user-token-9")).toBe("another user (use identify)");
    expect(freshClaim(undefined, "user-token-9")).toBe("expected an object");
    expect(freshClaim({ token: "" }, "user-token-9")).toBe("token must be a non-empty string");
  });
});

describe("refreshIdentity", () => {
  it("renews the token a minute before it runs out, without any request failing first", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const fresh = token(nowS() + 7200, "user-token-9", "fresh");
    const refreshIdentity = vi.fn(async () => fresh);
    const chat = page.chat({ claim: token(nowS() + 120), refreshIdentity });
    await idle(chat);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(refreshIdentity).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    await until(() => refreshIdentity.mock.calls.length === 1, "the refresh a minute before exp");
    await until(() => JSON.stringify(chat.claim) === JSON.stringify(fresh), "the fresh token in use");
    chat.send("after the refresh");
    await until(() => api.messages().length === 1);
    expect(sentClaims()).toEqual([fresh]);
  });

  it("a message written with a token that has run out goes with a fresh one, filed as the user", async () => {
    const fresh = token(nowS() + 3600, "user-token-9", "fresh");
    const refreshIdentity = vi.fn(async () => fresh);
    const chat = page.chat({ claim: token(nowS() - 10), refreshIdentity });
    chat.send("written after the token aged");
    await until(() => chat.outbox.items.value.length === 0 && api.messages().length === 1, "the message delivered");
    expect(sentClaims()).toEqual([fresh]);
    expect(chat.messages.value.map((m) => [m.text, m.state])).toEqual([["written after the token aged", "sent"]]);
    expect(chat.verdict.value).toEqual({ status: "verified", userId: "user-token-9" });
  });

  it("a queued message whose own token is still good goes with it, whatever fresher token of the user came since", async () => {
    const own = token(nowS() + 3600, "user-token-9", "own");
    const fresher = token(nowS() + 7200, "user-token-9", "fresher");
    const refreshIdentity = vi.fn(async () => fresher);
    api.onMessage = (_body, nth) => (nth === 0 ? HttpResponse.json({ error: { code: "internal", message: "down" } }, { status: 503 }) : undefined);
    const chat = page.chat({ claim: own, refreshIdentity });
    chat.send("written with the first token");
    await until(() => chat.outbox.items.value[0]?.attempts === 1, "the first attempt refused");
    chat.identify(fresher);
    chat.outbox.kick();
    await until(() => chat.outbox.items.value.length === 0, "the message delivered");
    expect(sentClaims()).toEqual([own, own]);
    expect(refreshIdentity).not.toHaveBeenCalled();
  });

  it("on an expired or revoked verdict, renews and reads again as the user; the claim is kept", async () => {
    for (const reason of ["expired", "revoked_key"]) {
      const fresh = token(nowS() + 3600, "user-token-9", `fresh-${reason}`);
      const refreshIdentity = vi.fn(async () => fresh);
      api.messageVerdict = rejected(reason);
      const chat = page.chat({ claim: token(nowS() + 3600), refreshIdentity });
      chat.send(`the server says ${reason}`);
      await until(() => JSON.stringify(chat.claim) === JSON.stringify(fresh), "the renewed claim");
      // A read now, not only the next long-poll (which may wait for a reply).
      await until(() => api.conversations().some((r) => !r.body.wait && JSON.stringify(r.body.identity) === JSON.stringify(fresh)), "a read with it");
      await idle(chat);
      // The message stays in view; the server folds it into the user's thread on that read.
      expect(chat.messages.value.map((m) => m.text)).toContain(`the server says ${reason}`);
      expect(chat.verdict.value?.status).toBe("verified");
      api.messageVerdict = undefined;
      api.requests.length = 0;
    }
  });

  it("without a callback, an expired verdict takes the rejected path: the claim is dropped, the message stays", async () => {
    api.messageVerdict = rejected("expired");
    const chat = page.chat({ claim: token(nowS() + 3600) });
    chat.send("no callback");
    await until(() => chat.claim === null, "the claim dropped");
    expect(chat.messages.value.map((m) => [m.text, m.state])).toEqual([["no callback", "sent"]]);
  });

  it.each([
    ["throws", () => Promise.reject(new Error("backend down")), false],
    ["answers junk", async () => ({ nope: true }), false],
    ["answers another user", async () => token(nowS() + 3600, "mallory"), false],
    ["hangs", () => new Promise(() => {}), true],
  ] as const)("a callback that %s: the rejected path, a warning in debug, and sending is never blocked", async (_label, refreshIdentity, hangs) => {
    if (hangs) vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    api.messageVerdict = rejected("expired");
    const chat = page.chat({ claim: token(nowS() + 3600), refreshIdentity, debug: true });
    chat.send("first");
    await until(() => api.messages().length === 1, "the first message sent");
    if (hangs) await vi.advanceTimersByTimeAsync(10_000);
    await until(() => chat.claim === null, "the claim dropped after the failed refresh");
    expect(page.warnings().some((w) => w.startsWith("[Parley] refreshIdentity: "))).toBe(true);
    chat.send("second");
    await until(() => api.messages().length === 2, "the next message sent, anonymously");
    expect(sentClaims()[1]).toBeUndefined();
  });

  it("is read from settings and init, and given with identify; a non-function is refused with a warning", async () => {
    const fn = async () => token(nowS() + 3600);
    expect(resolveOptions(undefined, [{ from: "ParleySettings", value: { appId: APP, refreshIdentity: fn } }]).refreshIdentity).toBe(fn);
    expect(resolveOptions(undefined, [{ from: "init", value: { appId: APP, refreshIdentity: "soon" } }]).refreshIdentity).toBeUndefined();
    expect(page.warnings()).toEqual(["[Parley] init.refreshIdentity: expected a function returning a fresh identity"]);

    const fresh = token(nowS() + 3600, "user-token-9", "from-identify");
    const chat = page.chat();
    const dispatch = createDispatcher(chatHandlers(chat));
    dispatch("identify", token(nowS() - 10), { refreshIdentity: async () => fresh });
    chat.send("after identify");
    await until(() => api.messages().length === 1);
    expect(sentClaims()).toEqual([fresh]);
  });
});
