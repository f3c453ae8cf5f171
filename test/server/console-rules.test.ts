// The console's rules as pure functions, with the clock passed in: sessions (idle and absolute
// expiry, sign-out, nothing usable kept), the per-address backoff on wrong tokens, and which
// requests count as coming from the console's own pages.
import { describe, expect, it } from "vitest";
import { MAX_WAIT_S, SignInBackoff } from "../../server/console/backoff.ts";
import { crossSiteReason } from "../../server/console/same-origin.ts";
import { ConsoleSessions, IDLE_S, MAX_AGE_S } from "../../server/console/sessions.ts";

const T = 1_800_000_000;

describe("ConsoleSessions", () => {
  it("a created id is live; an unknown, empty or missing one is not", () => {
    const sessions = new ConsoleSessions();
    const id = sessions.create(T);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.touch(id, T + 1)).toBe(true);
    expect(sessions.touch(id + "x", T + 1)).toBe(false);
    expect(sessions.touch(id.slice(0, -1), T + 1)).toBe(false);
    expect(sessions.touch("", T)).toBe(false);
    expect(sessions.touch(undefined, T)).toBe(false);
  });

  it("ids are random: a thousand differ", () => {
    const sessions = new ConsoleSessions();
    const ids = new Set(Array.from({ length: 1000 }, () => sessions.create(T)));
    expect(ids.size).toBe(1000);
  });

  it("keeps no id as given: what it holds is not a cookie anyone could send", () => {
    const sessions = new ConsoleSessions();
    const id = sessions.create(T);
    expect(JSON.stringify([...(sessions as unknown as { sessions: Map<string, unknown> }).sessions.keys()])).not.toContain(id);
  });

  it("ends on sign-out, and only that session", () => {
    const sessions = new ConsoleSessions();
    const a = sessions.create(T);
    const b = sessions.create(T);
    sessions.end(a);
    expect(sessions.touch(a, T)).toBe(false);
    expect(sessions.touch(b, T)).toBe(true);
  });

  it("ends after IDLE_S without use; each use pushes that back", () => {
    const sessions = new ConsoleSessions();
    const idle = sessions.create(T);
    const used = sessions.create(T);
    expect(sessions.touch(used, T + IDLE_S - 1)).toBe(true);
    expect(sessions.touch(idle, T + IDLE_S + 1)).toBe(false);
    expect(sessions.touch(used, T + IDLE_S + 1)).toBe(true);
    // Once ended, it stays ended.
    expect(sessions.touch(idle, T + 2)).toBe(false);
  });

  it("ends MAX_AGE_S after sign-in however often it is used", () => {
    const sessions = new ConsoleSessions();
    const id = sessions.create(T);
    for (let t = T; t < T + MAX_AGE_S; t += IDLE_S / 2) expect(sessions.touch(id, t)).toBe(true);
    expect(sessions.touch(id, T + MAX_AGE_S + 1)).toBe(false);
  });

  it("holds at most 1000 sessions: the oldest sign-in goes first", () => {
    const sessions = new ConsoleSessions();
    const first = sessions.create(T);
    const second = sessions.create(T);
    for (let i = 0; i < 999; i++) sessions.create(T);
    expect(sessions.size).toBe(1000);
    expect(sessions.touch(first, T)).toBe(false);
    expect(sessions.touch(second, T)).toBe(true);
  });
});

describe("SignInBackoff", () => {
  it("doubles the wait after each wrong token in a row: 1, 2, 4, 8 … seconds, up to MAX_WAIT_S", () => {
    const backoff = new SignInBackoff();
    const waits: number[] = [];
    let t = T;
    for (let i = 0; i < 12; i++) {
      const wait = backoff.failed("198.51.100.1", t);
      waits.push(wait);
      t += wait;
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, MAX_WAIT_S, MAX_WAIT_S, MAX_WAIT_S]);
  });

  it("an address may not try until its wait is over; others are not affected", () => {
    const backoff = new SignInBackoff();
    expect(backoff.wait("a", T)).toBe(0);
    backoff.failed("a", T);
    backoff.failed("a", T + 1);
    expect(backoff.wait("a", T + 1)).toBe(2);
    expect(backoff.wait("a", T + 2.5)).toBe(0.5);
    expect(backoff.wait("a", T + 3)).toBe(0);
    expect(backoff.wait("b", T + 1)).toBe(0);
  });

  it("a right token clears the address: the next wrong one costs a second again", () => {
    const backoff = new SignInBackoff();
    for (let i = 0; i < 5; i++) backoff.failed("a", T + i * 100);
    backoff.succeeded("a");
    expect(backoff.wait("a", T + 500)).toBe(0);
    expect(backoff.failed("a", T + 500)).toBe(1);
  });

  it("forgets an address an hour after its last wrong token", () => {
    const backoff = new SignInBackoff();
    for (let i = 0; i < 5; i++) backoff.failed("a", T);
    expect(backoff.failed("a", T + 3601)).toBe(1);
    for (let i = 0; i < 5; i++) backoff.failed("b", T);
    expect(backoff.wait("b", T + 3601)).toBe(0);
    expect(backoff.size).toBe(1);
  });

  it("tracks at most 10,000 addresses, forgetting the one whose last failure is oldest", () => {
    const backoff = new SignInBackoff();
    backoff.failed("first", T);
    backoff.failed("second", T);
    backoff.failed("first", T + 1); // failed again: now the most recent
    for (let i = 0; i < 9999; i++) backoff.failed(`x${i}`, T + 2);
    expect(backoff.size).toBe(10_000);
    expect(backoff.wait("second", T + 2)).toBe(0);
    expect(backoff.wait("first", T + 2)).toBeGreaterThan(0);
  });
});

describe("crossSiteReason", () => {
  const host = "console.example.com";
  it("Sec-Fetch-Site decides when sent: only same-origin passes, whatever Origin says", () => {
    expect(crossSiteReason({ fetchSite: "same-origin", host })).toBeUndefined();
    expect(crossSiteReason({ fetchSite: "same-origin", origin: "https://evil.example", host })).toBeUndefined();
    for (const fetchSite of ["same-site", "cross-site", "none", "", "SAME-ORIGIN"]) expect(crossSiteReason({ fetchSite, origin: `https://${host}`, host }), fetchSite).toMatch(/Sec-Fetch-Site/);
  });

  it("without it, Origin must name this very host (any scheme: TLS may end at a proxy)", () => {
    expect(crossSiteReason({ origin: `https://${host}`, host })).toBeUndefined();
    expect(crossSiteReason({ origin: `http://${host}`, host })).toBeUndefined();
    expect(crossSiteReason({ origin: "http://127.0.0.1:8787", host: "127.0.0.1:8787" })).toBeUndefined();
    expect(crossSiteReason({ origin: `https://${host}`, host: "Console.Example.com" })).toBeUndefined();
    expect(crossSiteReason({ origin: "http://127.0.0.1:8788", host: "127.0.0.1:8787" })).toMatch(/another site/);
    expect(crossSiteReason({ origin: `https://${host}.evil.example`, host })).toMatch(/another site/);
    expect(crossSiteReason({ origin: `https://sub.${host}`, host })).toMatch(/another site/);
    expect(crossSiteReason({ origin: "null", host })).toMatch(/not a URL/);
    expect(crossSiteReason({ origin: `https://${host}` })).toMatch(/another site/);
  });

  it("with neither header, refused", () => {
    expect(crossSiteReason({ host })).toMatch(/neither/);
  });
});
