// The durable outbox: a message shows at once as pending, survives a reload, is retried with
// backoff on transient failures, fails visibly on a refusal, and is delivered once under one clientId.
// Time is fake (only setTimeout/clearTimeout); nothing here depends on how fast the machine is.
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { backoffMs, MAX_BACKOFF_MS, Outbox, type Deliver, type OutboxItem } from "../../widget/core/outbox.ts";
import { safeStorage } from "../../widget/core/storage.ts";
import { API, hashA, idle, settle, trackOutbox, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

const KEY = "parley:app_test:outbox";
const fakeTime = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
const stored = (): OutboxItem[] => JSON.parse(localStorage.getItem(KEY) ?? "[]");
const item = (text: string, clientId = `c_${text}`) => ({ clientId, text, claim: hashA, visitorId: "v_1", createdAt: "2030-01-01T00:00:00.000Z" });

/** A deliver function answering from a script of statuses (the last one repeats). */
function scripted(statuses: number[], message?: string) {
  const calls: OutboxItem[] = [];
  const deliver = vi.fn<Deliver>(async (it) => {
    calls.push(structuredClone(it));
    const status = statuses[Math.min(calls.length - 1, statuses.length - 1)]!;
    return { status, message };
  });
  return { deliver, calls };
}

function outbox(deliver: Deliver, random = () => 0) {
  const box = trackOutbox(new Outbox(safeStorage(() => localStorage), KEY, deliver, random));
  page.cleanup(() => box.stop());
  return box;
}

describe("backoffMs", () => {
  it("doubles from one second, with jitter between half and all of it, capped at a minute", () => {
    expect(backoffMs(0, () => 0)).toBe(500);
    expect(backoffMs(0, () => 1)).toBe(1000);
    expect(backoffMs(1, () => 0)).toBe(1000);
    expect(backoffMs(3, () => 1)).toBe(8000);
    expect(backoffMs(10, () => 1)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(50, () => 0.5)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
  });
});

describe("Outbox", () => {
  it("holds a new message as pending at once, in memory and in storage, and removes it once delivered", async () => {
    let release!: (r: { status: number }) => void;
    const deliver = vi.fn<Deliver>(() => new Promise((r) => (release = r)));
    const box = outbox(deliver);
    box.add(item("hello"));
    expect(box.items.value).toEqual([expect.objectContaining({ clientId: "c_hello", text: "hello", state: "pending", attempts: 0, claim: hashA })]);
    expect(stored()).toEqual(box.items.value);
    release({ status: 201 });
    await until(() => box.items.value.length === 0);
    expect(localStorage.getItem(KEY)).toBeNull();
    expect(deliver).toHaveBeenCalledTimes(1);
  });

  it.each([0, 408, 425, 429, 500, 502, 503])("retries status %i after the backoff, not before, with the same clientId", async (status) => {
    fakeTime();
    const { deliver, calls } = scripted([status, status, status, 201]);
    const box = outbox(deliver, () => 0);
    box.add(item("retry me"));
    for (const [n, wait] of [[2, 500], [3, 1000], [4, 2000]] as const) {
      await until(() => box.items.value[0]?.attempts === n - 1, `failure ${n - 1}`);
      expect(box.items.value[0]!.state).toBe("pending");
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(calls).toHaveLength(n - 1);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => calls.length === n, `attempt ${n}`);
    }
    await until(() => box.items.value.length === 0);
    expect(new Set(calls.map((c) => c.clientId))).toEqual(new Set(["c_retry me"]));
    await vi.advanceTimersByTimeAsync(10 * MAX_BACKOFF_MS);
    expect(calls).toHaveLength(4);
  });

  it("never waits more than the cap between attempts", async () => {
    fakeTime();
    const { deliver, calls } = scripted([503]);
    const box = outbox(deliver, () => 1);
    box.add(item("patient"));
    // Nine quick failures (kick skips each wait), so the next wait would be 256 s uncapped.
    for (let n = 1; n < 9; n++) {
      await until(() => box.items.value[0]?.attempts === n, `failure ${n}`);
      box.kick();
    }
    await until(() => box.items.value[0]?.attempts === 9, "failure 9");
    await vi.advanceTimersByTimeAsync(MAX_BACKOFF_MS - 1);
    expect(calls).toHaveLength(9);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => calls.length === 10, "attempt 10");
    expect(box.items.value[0]).toMatchObject({ state: "pending" });
  });

  it.each([400, 401, 403, 404, 413, 422])("marks status %i failed with the server's message, and does not retry it by itself", async (status) => {
    fakeTime();
    const { deliver, calls } = scripted([status], "text too long");
    const box = outbox(deliver);
    box.add(item("refused"));
    await until(() => box.items.value[0]?.state === "failed");
    expect(box.items.value[0]).toMatchObject({ state: "failed", error: "text too long" });
    expect(stored()[0]).toMatchObject({ state: "failed" });
    await vi.advanceTimersByTimeAsync(10 * MAX_BACKOFF_MS);
    box.kick();
    await idle(box);
    expect(calls).toHaveLength(1);
  });

  it("believes the server's Retry-After over its own shorter backoff (429, 503)", async () => {
    fakeTime();
    const calls: OutboxItem[] = [];
    const deliver = vi.fn<Deliver>(async (it) => {
      calls.push(structuredClone(it));
      return calls.length === 1 ? { status: 429, retryAfter: 30 } : { status: 201 };
    });
    const box = outbox(deliver);
    box.add(item("throttled"));
    await until(() => calls.length === 1 && box.items.value[0]?.attempts === 1, "the 429");
    // Our own backoff would try again after 0.5 s; the server asked for 30.
    await vi.advanceTimersByTimeAsync(29_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => box.items.value.length === 0, "delivery after Retry-After");
    expect(calls).toHaveLength(2);
  });

  it("names the status when the server gives no message", async () => {
    const { deliver } = scripted([400]);
    const box = outbox(deliver);
    box.add(item("x"));
    await until(() => box.items.value[0]?.state === "failed");
    expect(box.items.value[0]!.error).toBe("HTTP 400");
  });

  it("retry sends a failed message again at once, under the same clientId; remove forgets it", async () => {
    const { deliver, calls } = scripted([400, 201]);
    const box = outbox(deliver);
    box.add(item("again"));
    box.add(item("gone"));
    await until(() => box.items.value.every((i) => i.state === "failed"));
    box.remove("c_gone");
    expect(box.items.value.map((i) => i.clientId)).toEqual(["c_again"]);
    expect(stored().map((i) => i.clientId)).toEqual(["c_again"]);
    box.retry("c_again");
    await until(() => box.items.value.length === 0);
    expect(calls.map((c) => c.clientId)).toEqual(["c_again", "c_gone", "c_again"]);
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it("sends oldest first, one at a time, and a transient failure holds the later ones back", async () => {
    fakeTime();
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    let fail = true;
    const box = outbox(async (it) => {
      inFlight++;
      most = Math.max(most, inFlight);
      order.push(it.text);
      await settle(2);
      inFlight--;
      if (fail && it.text === "1") return { status: 503 };
      return { status: 201 };
    });
    box.add(item("1"));
    box.add(item("2"));
    box.add(item("3"));
    await until(() => box.items.value[0]?.attempts === 1);
    await idle(box);
    expect(order).toEqual(["1"]);
    fail = false;
    await vi.advanceTimersByTimeAsync(500);
    await until(() => box.items.value.length === 0);
    expect(order).toEqual(["1", "1", "2", "3"]);
    expect(most).toBe(1);
  });

  it("a message written during the backoff waits behind the one being retried", async () => {
    fakeTime();
    const { deliver, calls } = scripted([503, 201]);
    const box = outbox(deliver, () => 0);
    box.add(item("a"));
    await until(() => box.items.value[0]?.attempts === 1);
    box.add(item("b"));
    await idle(box);
    expect(calls.map((c) => c.text)).toEqual(["a"]);
    expect(box.items.value.map((i) => [i.text, i.state])).toEqual([
      ["a", "pending"],
      ["b", "pending"],
    ]);
    await vi.advanceTimersByTimeAsync(500);
    await until(() => box.items.value.length === 0);
    expect(calls.map((c) => c.text)).toEqual(["a", "a", "b"]);
  });

  it("kick skips the backoff (e.g. back online)", async () => {
    fakeTime();
    const { deliver, calls } = scripted([0, 201]);
    const box = outbox(deliver, () => 1);
    box.add(item("offline"));
    await until(() => box.items.value[0]?.attempts === 1);
    box.kick();
    await until(() => box.items.value.length === 0);
    expect(calls).toHaveLength(2);
  });

  it("delivers each message once however often flush and kick are called", async () => {
    const { deliver, calls } = scripted([201]);
    const box = outbox(deliver);
    box.add(item("a"));
    box.add(item("b"));
    void box.flush();
    box.kick();
    void box.flush();
    box.add(item("c"));
    await until(() => box.items.value.length === 0);
    await idle(box);
    expect(calls.map((c) => c.text)).toEqual(["a", "b", "c"]);
  });

  it("survives a reload: a new Outbox on the same storage has the message and delivers it", async () => {
    const first = outbox(scripted([503]).deliver);
    first.add(item("before reload"));
    await until(() => first.items.value[0]?.attempts === 1);
    first.stop();

    const { deliver, calls } = scripted([201]);
    const second = outbox(deliver);
    expect(second.items.value).toEqual([expect.objectContaining({ clientId: "c_before reload", text: "before reload", state: "pending", claim: hashA, visitorId: "v_1" })]);
    await second.flush();
    expect(calls.map((c) => c.clientId)).toEqual(["c_before reload"]);
    expect(second.items.value).toEqual([]);
  });

  it("ignores unreadable storage and entries without a clientId", () => {
    localStorage.setItem(KEY, "{not json");
    expect(outbox(vi.fn()).items.value).toEqual([]);
    localStorage.setItem(KEY, JSON.stringify([null, 7, { text: "no id" }, { ...item("ok"), state: "pending", attempts: 0 }]));
    expect(outbox(vi.fn()).items.value.map((i) => i.clientId)).toEqual(["c_ok"]);
  });
});

describe("the outbox in a chat, against the server", () => {
  it("shows the message at once as pending, and as sent once the server has it", async () => {
    let release!: () => void;
    api.onMessage = () => new Promise<undefined>((r) => (release = () => r(undefined)));
    const chat = page.chat();
    expect(chat.send("hello")).toBe(true);
    expect(chat.messages.value).toEqual([expect.objectContaining({ text: "hello", state: "pending", mine: true })]);
    await until(() => release);
    release();
    await until(() => chat.messages.value[0]?.state === "sent");
    expect(chat.messages.value).toHaveLength(1);
    expect(chat.outbox.items.value).toEqual([]);
  });

  it("retries a network error, a 500 and a 429 with backoff, then delivers once under one clientId", async () => {
    fakeTime();
    vi.spyOn(Math, "random").mockReturnValue(0);
    api.onMessage = (_, nth) => [HttpResponse.error(), new Response("oops", { status: 500 }), HttpResponse.json({ error: { code: "rate_limited", message: "slow down" } }, { status: 429 })][nth];
    const chat = page.chat();
    chat.send("persistent");
    await until(() => chat.outbox.items.value[0]?.attempts === 1, "the network error");
    expect(chat.messages.value).toEqual([expect.objectContaining({ text: "persistent", state: "pending" })]);

    await vi.advanceTimersByTimeAsync(499);
    expect(api.messages()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => chat.outbox.items.value[0]?.attempts === 2, "the 500");
    expect(chat.messages.value[0]!.state).toBe("pending");

    await vi.advanceTimersByTimeAsync(999);
    expect(api.messages()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => chat.outbox.items.value[0]?.attempts === 3, "the 429");

    await vi.advanceTimersByTimeAsync(2000);
    await until(() => chat.outbox.items.value.length === 0, "delivery");
    expect(api.messages()).toHaveLength(4);
    expect(new Set(api.messages().map((r) => r.body.clientId)).size).toBe(1);
    expect(api.stored.filter((m) => m.text === "persistent")).toHaveLength(1);
    expect(chat.messages.value).toEqual([expect.objectContaining({ text: "persistent", state: "sent" })]);
    expect(chat.history.value).toHaveLength(1);
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it("reads Retry-After from a 429 and waits that long before the next attempt", async () => {
    fakeTime();
    vi.spyOn(Math, "random").mockReturnValue(0);
    api.onMessage = (_, nth) => (nth === 0 ? HttpResponse.json({ error: { code: "rate_limited", message: "slow down" } }, { status: 429, headers: { "Retry-After": "20" } }) : undefined);
    const chat = page.chat();
    chat.send("patient");
    await until(() => chat.outbox.items.value[0]?.attempts === 1, "the 429");
    await vi.advanceTimersByTimeAsync(19_999);
    expect(api.messages()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => chat.outbox.items.value.length === 0, "delivery after 20 s");
    expect(api.messages()).toHaveLength(2);
  });

  it("marks a 400 failed, keeps it, and retry or remove it from the chat", async () => {
    api.onMessage = (_, nth) => (nth === 0 ? HttpResponse.json({ error: { code: "bad_request", message: "text: too long" } }, { status: 400 }) : undefined);
    const chat = page.chat();
    chat.send("first");
    await until(() => chat.messages.value[0]?.state === "failed");
    expect(chat.outbox.items.value[0]).toMatchObject({ state: "failed", error: "text: too long" });
    const clientId = chat.messages.value[0]!.clientId!;
    chat.outbox.retry(clientId);
    await until(() => chat.messages.value[0]?.state === "sent");
    expect(api.messages().map((r) => r.body.clientId)).toEqual([clientId, clientId]);

    api.onMessage = () => HttpResponse.json({ error: { code: "bad_request", message: "no" } }, { status: 400 });
    chat.send("second");
    await until(() => chat.messages.value[1]?.state === "failed");
    chat.outbox.remove(chat.messages.value[1]!.clientId!);
    expect(chat.messages.value.map((m) => m.text)).toEqual(["first"]);
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it("survives a reload: a new Chat on the same storage shows it pending and delivers it, once", async () => {
    api.server.use(http.post(`${API}/v1/apps/:appId/messages`, () => HttpResponse.error(), { once: true }));
    const first = page.chat({ claim: hashA }, false);
    const stop = first.start();
    first.send("before reload");
    await until(() => first.outbox.items.value[0]?.attempts === 1);
    stop();
    const clientId = first.outbox.items.value[0]!.clientId;

    const second = page.chat({ claim: hashA }, false);
    expect(second.visitorId.value).toBe(first.visitorId.value);
    expect(second.messages.value).toEqual([expect.objectContaining({ text: "before reload", state: "pending", clientId })]);
    page.cleanup(second.start());
    await until(() => second.messages.value[0]?.state === "sent");
    expect(second.messages.value).toHaveLength(1);
    const sent = api.messages().map((r) => r.body);
    expect(sent.map((b) => b.clientId)).toEqual([clientId, clientId]);
    expect(sent[1]).toMatchObject({ identity: hashA, visitorId: first.visitorId.value, text: "before reload" });
  });

  it("tries again at once when the browser comes back online", async () => {
    fakeTime();
    api.onMessage = (_, nth) => (nth === 0 ? HttpResponse.error() : undefined);
    const chat = page.chat();
    chat.send("offline");
    await until(() => chat.outbox.items.value[0]?.attempts === 1);
    window.dispatchEvent(new Event("online"));
    await until(() => chat.outbox.items.value.length === 0, "delivery without waiting for the backoff");
    expect(api.messages()).toHaveLength(2);
  });

  it("refuses empty and over-long messages without queueing them", () => {
    const chat = page.chat();
    expect(chat.send("   ")).toBe(false);
    expect(chat.send("x".repeat(4001))).toBe(false);
    expect(page.warnings()[0]).toMatch(/4000 characters/);
    expect(chat.send("x".repeat(4000))).toBe(true);
    expect(chat.outbox.items.value).toHaveLength(1);
  });
});
