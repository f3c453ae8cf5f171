// The notifier that wakes long-polls, on its own: a wait ends on a notification for its own
// conversation, on its timer, or when its signal aborts — whichever is first — and leaves nothing
// registered behind (a server holds polls for days). Fake timers: no wall-clock waits.
import { getEventListeners } from "node:events";
import type { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Notifier } from "../../server/http/notifier.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A wait, and whether it has ended. */
function track(promise: Promise<void>) {
  const state = { done: false };
  void promise.then(() => (state.done = true));
  return state;
}
/** The notifier's own emitter (private): to check no listener is left behind. */
const busOf = (n: Notifier) => (n as unknown as { bus: EventEmitter }).bus;

describe("Notifier.wait", () => {
  it("ends on a notification for its conversation, and not on another's", async () => {
    const n = new Notifier();
    const w = track(n.wait("conv_a", 10_000));
    n.notify("conv_b");
    await vi.advanceTimersByTimeAsync(9_999);
    expect(w.done).toBe(false);
    n.notify("conv_a");
    await vi.advanceTimersByTimeAsync(0);
    expect(w.done).toBe(true);
  });

  it("ends after its time, with no notification", async () => {
    const n = new Notifier();
    const w = track(n.wait("conv_a", 2_000));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.done).toBe(true);
  });

  it("ends when its signal aborts", async () => {
    const n = new Notifier();
    const ac = new AbortController();
    const w = track(n.wait("conv_a", 10_000, ac.signal));
    await vi.advanceTimersByTimeAsync(0);
    expect(w.done).toBe(false);
    ac.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.done).toBe(true);
  });

  it.each([
    ["a notification", (n: Notifier, ac: AbortController) => (n.notify("conv_a"), ac)],
    ["its timer", (_n: Notifier, ac: AbortController) => ac],
    ["its signal", (_n: Notifier, ac: AbortController) => (ac.abort(), ac)],
  ])("once ended by %s, nothing is left registered: no listener, no timer", async (_label, end) => {
    const n = new Notifier();
    const ac = new AbortController();
    const w = track(n.wait("conv_a", 5_000, ac.signal));
    end(n, ac);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(w.done).toBe(true);
    expect(busOf(n).listenerCount("conv_a")).toBe(0);
    expect(getEventListeners(ac.signal, "abort")).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a wait ended early clears its timer at once (nothing keeps a stopping process alive)", async () => {
    const n = new Notifier();
    const w = track(n.wait("conv_a", 60_000));
    n.notify("conv_a");
    await vi.advanceTimersByTimeAsync(0);
    expect(w.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
