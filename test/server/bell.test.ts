// What a stream waits on between reads (server/http/stream-route.ts): the Bell, and the signal that
// ends a stream (endedBy). Pure: fake timers, no storage, no HTTP.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Bell, endedBy } from "../../server/http/sse.ts";

afterEach(() => vi.useRealTimers());

describe("Bell", () => {
  it("a ring before the wait is remembered: the next wait answers rung at once, the one after waits again", async () => {
    vi.useFakeTimers();
    const bell = new Bell(new AbortController().signal);
    bell.ring();
    expect(await bell.wait(1000)).toBe(true);
    let quiet: boolean | undefined;
    void bell.wait(1000).then((r) => (quiet = r));
    await vi.advanceTimersByTimeAsync(999);
    expect(quiet).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(quiet).toBe(false);
  });

  it("a fresh bell is not rung; a ring during a wait answers it rung", async () => {
    vi.useFakeTimers();
    const bell = new Bell(new AbortController().signal);
    const waiting = bell.wait(1000);
    bell.ring();
    expect(await waiting).toBe(true);
    const next = bell.wait(10);
    await vi.advanceTimersByTimeAsync(10);
    expect(await next).toBe(false);
  });

  it("ending answers a wait at once, not rung; once ended, a wait answers at once", async () => {
    const ended = new AbortController();
    const bell = new Bell(ended.signal);
    const waiting = bell.wait(60_000);
    ended.abort();
    expect(await waiting).toBe(false);
    expect(await bell.wait(60_000)).toBe(false);
  });
});

describe("endedBy", () => {
  it("is ended at once when the client is already gone, or the server already stopping", () => {
    const gone = new AbortController();
    gone.abort();
    expect(endedBy(gone.signal, 60_000).ended.aborted).toBe(true);
    const stopping = new AbortController();
    stopping.abort();
    expect(endedBy(new AbortController().signal, 60_000, stopping.signal).ended.aborted).toBe(true);
    expect(endedBy(new AbortController().signal, 60_000, new AbortController().signal).ended.aborted).toBe(false);
  });

  it("ends when the client goes, the server stops, or the time is up; release lets go of all three", async () => {
    vi.useFakeTimers();
    const gone = new AbortController();
    const stopping = new AbortController();
    const a = endedBy(gone.signal, 60_000, stopping.signal);
    stopping.abort();
    expect(a.ended.aborted).toBe(true);
    const b = endedBy(new AbortController().signal, 1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(b.ended.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(b.ended.aborted).toBe(true);
    const c = endedBy(gone.signal, 1000, new AbortController().signal);
    c.release();
    gone.abort();
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.ended.aborted).toBe(false);
  });
});
