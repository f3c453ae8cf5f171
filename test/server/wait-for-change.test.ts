// Notifier.waitForChange: a long-poll reads storage again only when a notification ended its wait —
// not its timer, not its signal — and the wait leaves nothing registered. Fake timers.
import type { EventEmitter } from "node:events";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Notifier } from "../../server/http/notifier.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
const busOf = (n: Notifier) => (n as unknown as { bus: EventEmitter }).bus;

it.each([
  ["a notification for its conversation", true, (n: Notifier) => n.notify("conv_a")],
  ["its timer (a notification for another conversation does not count)", false, (n: Notifier) => n.notify("conv_b")],
  ["its signal", false, (_n: Notifier, ac: AbortController) => ac.abort()],
])("ended by %s: %s, and nothing left registered", async (_label, expected, end) => {
  const n = new Notifier();
  const ac = new AbortController();
  const changed = n.waitForChange("conv_a", 5_000, ac.signal);
  end(n, ac);
  await vi.advanceTimersByTimeAsync(5_000);
  expect(await changed).toBe(expected);
  expect(busOf(n).listenerCount("conv_a")).toBe(0);
  expect(vi.getTimerCount()).toBe(0);
});
