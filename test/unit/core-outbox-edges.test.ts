// The outbox at its edges: the Web Lock it asks for, and the plain call where there is none; which
// statuses count as delivered; what retry resets; stop cancelling a scheduled retry without
// blocking later sends; and which refused messages forgetFailed drops. Time is fake where it matters.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Outbox, webLock, type Deliver, type OutboxItem } from "../../widget/core/outbox.ts";
import { safeStorage } from "../../widget/core/storage.ts";
import { hashA, idle, trackOutbox, until, usePage } from "./helpers.ts";

const page = usePage();

const KEY = "parley:app_edge:outbox";
const fakeTime = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
const stored = (): OutboxItem[] => JSON.parse(localStorage.getItem(KEY) ?? "[]");
const item = (text: string, visitorId = "v_1") => ({ clientId: `c_${text}`, text, claim: hashA, visitorId, createdAt: "2030-01-01T00:00:00.000Z" });

function scripted(statuses: number[], message?: string) {
  const calls: OutboxItem[] = [];
  const deliver = vi.fn<Deliver>(async (it) => {
    calls.push(structuredClone(it));
    return { status: statuses[Math.min(calls.length - 1, statuses.length - 1)]!, message };
  });
  return { deliver, calls };
}

function outbox(deliver: Deliver, random = () => 0) {
  const box = trackOutbox(new Outbox(safeStorage(() => localStorage), KEY, deliver, random));
  page.cleanup(() => box.stop());
  return box;
}

/** Replaces navigator.locks for one test; restored after it. */
let restoreLocks: (() => void) | undefined;
function setLocks(value: unknown) {
  const original = Object.getOwnPropertyDescriptor(navigator, "locks");
  Object.defineProperty(navigator, "locks", { value, configurable: true });
  restoreLocks = () => (original ? Object.defineProperty(navigator, "locks", original) : delete (navigator as { locks?: unknown }).locks);
}
afterEach(() => {
  vi.unstubAllGlobals();
  restoreLocks?.();
  restoreLocks = undefined;
});

describe("webLock", () => {
  it("asks for the named lock only if it is free, and runs the work while holding it", async () => {
    const request = vi.fn(async (_name: string, _opts: unknown, cb: (lock: unknown) => unknown) => cb({ name: "held" }));
    setLocks({ request });
    const work = vi.fn(async () => {});
    await webLock("parley:app_edge:outbox")(work);
    expect(request).toHaveBeenCalledExactlyOnceWith("parley:app_edge:outbox", { ifAvailable: true }, expect.any(Function));
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("does not run the work when another tab holds the lock", async () => {
    setLocks({ request: async (_n: string, _o: unknown, cb: (lock: unknown) => unknown) => cb(null) });
    const work = vi.fn(async () => {});
    await webLock("x")(work);
    expect(work).not.toHaveBeenCalled();
  });

  it("runs the work at once in a browser without Web Locks", async () => {
    setLocks(undefined);
    const work = vi.fn(async () => {});
    await webLock("x")(work);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("runs the work at once where there is no navigator at all", async () => {
    vi.stubGlobal("navigator", undefined);
    const work = vi.fn(async () => {});
    await webLock("x")(work);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("waits for the work to finish before resolving", async () => {
    setLocks(undefined);
    let done = false;
    await webLock("x")(async () => {
      await new Promise((r) => setImmediate(r));
      done = true;
    });
    expect(done).toBe(true);
  });
});

describe("what counts as delivered", () => {
  it.each([200, 201, 204, 299])("%i removes the message", async (status) => {
    const { deliver } = scripted([status]);
    const box = outbox(deliver);
    box.add(item("ok"));
    await idle(box);
    expect(box.items.value).toEqual([]);
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it.each([199, 300, 304])("%i is a refusal: the message is kept as failed, named by its status", async (status) => {
    const { deliver, calls } = scripted([status]);
    const box = outbox(deliver);
    box.add(item("odd"));
    await idle(box);
    expect(box.items.value).toEqual([{ ...item("odd"), state: "failed", attempts: 0, error: `HTTP ${status}` }]);
    expect(calls).toHaveLength(1);
  });
});

describe("retry", () => {
  it("makes a failed message pending again from scratch: no attempts, no error", async () => {
    let release!: (r: { status: number }) => void;
    const deliver = vi.fn<Deliver>(async () => ({ status: 400, message: "no" }));
    const box = outbox(deliver);
    box.add(item("again"));
    await idle(box);
    expect(box.items.value[0]).toMatchObject({ state: "failed", error: "no" });
    deliver.mockImplementation(() => new Promise((r) => (release = r)));
    box.retry("c_again");
    expect(box.items.value).toStrictEqual([{ ...item("again"), state: "pending", attempts: 0 }]);
    expect(stored()).toStrictEqual([{ ...item("again"), state: "pending", attempts: 0 }]);
    await until(() => release, "the second attempt");
    release({ status: 201 });
    await idle(box);
    expect(box.items.value).toEqual([]);
  });

  it("during a backoff sends at once (the wait is skipped)", async () => {
    fakeTime();
    const { deliver, calls } = scripted([503, 201]);
    const box = outbox(deliver);
    box.add(item("waiting"));
    await until(() => box.items.value[0]?.attempts === 1, "the 503");
    box.retry("c_waiting");
    await until(() => box.items.value.length === 0, "delivery without the backoff");
    expect(calls.map((c) => c.attempts)).toEqual([0, 0]);
  });
});

describe("stop", () => {
  it("cancels the scheduled retry; a later flush sends at once", async () => {
    fakeTime();
    const { deliver, calls } = scripted([503, 201]);
    const box = outbox(deliver);
    box.add(item("stopped"));
    await until(() => box.items.value[0]?.attempts === 1, "the 503");
    box.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await idle(box);
    expect(calls).toHaveLength(1);
    await box.flush();
    expect(calls).toHaveLength(2);
    expect(box.items.value).toEqual([]);
  });
});

describe("backoff of the outbox", () => {
  it("waits its own backoff when that is longer than the server's Retry-After", async () => {
    fakeTime();
    const calls: number[] = [];
    const deliver = vi.fn<Deliver>(async () => {
      calls.push(calls.length);
      return calls.length <= 2 ? { status: 503, retryAfter: 1 } : { status: 201 };
    });
    // random 1: the own backoff is 1 s after the first failure, 2 s after the second; Retry-After says 1 s.
    const box = outbox(deliver, () => 1);
    box.add(item("slow"));
    await until(() => box.items.value[0]?.attempts === 1, "the first 503");
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => box.items.value[0]?.attempts === 2, "the second 503");
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => box.items.value.length === 0, "delivery");
  });
});

describe("forgetFailed", () => {
  it("drops other visitors' refused messages, keeps theirs still pending and every one of this visitor", () => {
    localStorage.setItem(
      KEY,
      JSON.stringify([
        { ...item("old failed", "v_old"), state: "failed", attempts: 0, error: "no" },
        { ...item("old pending", "v_old"), state: "pending", attempts: 2 },
        { ...item("mine failed", "v_me"), state: "failed", attempts: 0, error: "no" },
        { ...item("mine pending", "v_me"), state: "pending", attempts: 0 },
      ]),
    );
    const box = new Outbox(safeStorage(() => localStorage), KEY, vi.fn(), () => 0);
    box.forgetFailed("v_me");
    const kept = ["c_old pending", "c_mine failed", "c_mine pending"];
    expect(box.items.value.map((i) => i.clientId)).toEqual(kept);
    expect(stored().map((i) => i.clientId)).toEqual(kept);
  });
});

describe("reload", () => {
  it("shows what another tab wrote to storage, and keeps only entries with a clientId", () => {
    const box = new Outbox(safeStorage(() => localStorage), KEY, vi.fn(), () => 0);
    expect(box.items.value).toEqual([]);
    const theirs = { ...item("theirs"), state: "pending", attempts: 1 };
    localStorage.setItem(KEY, JSON.stringify([theirs, { clientId: 5 }, "x"]));
    box.reload();
    expect(box.items.value).toEqual([theirs]);
  });
});

describe("a flush asked for while one runs", () => {
  const pending = (text: string) => ({ ...item(text), state: "pending", attempts: 0 });

  it("runs again after it: a message added once the first had sent all it saw, but still held the lock, is sent then", async () => {
    localStorage.setItem(KEY, JSON.stringify([pending("first")]));
    const { deliver, calls } = scripted([201]);
    let letGo!: () => void;
    const held = new Promise<void>((r) => (letGo = r));
    let sentAll = false;
    // Holds the lock after the work until the test lets go: the window where a new message finds the flush busy.
    const exclusive = async (fn: () => Promise<void>) => {
      await fn();
      sentAll = true;
      await held;
    };
    const box = trackOutbox(new Outbox(safeStorage(() => localStorage), KEY, deliver, () => 0, exclusive));
    const first = box.flush();
    await until(() => sentAll, "the first pass done, the lock still held");
    box.add(item("second"));
    expect(calls.map((c) => c.text)).toEqual(["first"]);
    letGo();
    await first;
    expect(calls.map((c) => c.text)).toEqual(["first", "second"]);
    expect(box.items.value).toEqual([]);
  });

  it("does not run again when the pass ended in a backoff: the message it could not send waits its time", async () => {
    fakeTime();
    localStorage.setItem(KEY, JSON.stringify([pending("first")]));
    let answer!: (r: { status: number }) => void;
    const calls: string[] = [];
    const deliver = vi.fn<Deliver>(async (it) => {
      calls.push(it.text);
      return calls.length === 1 ? new Promise((r) => (answer = r)) : { status: 503 };
    });
    const box = outbox(deliver);
    const first = box.flush();
    await until(() => calls.length === 1, "the first delivery under way");
    box.add(item("second"));
    answer({ status: 503 });
    await first;
    expect(calls).toEqual(["first"]);
    expect(box.items.value.map((i) => [i.text, i.attempts])).toEqual([
      ["first", 1],
      ["second", 0],
    ]);
  });
});
