// The widget's small I/O pieces at their edges: the exact request postJson makes and every shape of
// answer it turns into a value; which statuses are worth a retry; storage that degrades to memory
// only for what the browser would not keep; random ids; and the emitter's clear.
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi, type Mock } from "vitest";
import { isTransient, postJson } from "../../widget/core/api.ts";
import { Emitter } from "../../widget/core/emitter.ts";
import { randomId } from "../../widget/core/ids.ts";
import { warn } from "../../widget/core/log.ts";
import { readJson, safeStorage } from "../../widget/core/storage.ts";
import { API, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

const URL_ = `${API}/v1/apps/app_io/conversation`;
const answer = (response: () => Response) => api.server.use(http.post(URL_, response, { once: true }));

describe("postJson", () => {
  it("POSTs the body as JSON text, without cookies, with the caller's signal", async () => {
    const controller = new AbortController();
    await postJson(URL_, { visitorId: "v_1", after: undefined }, controller.signal);
    const [url, init] = (globalThis.fetch as Mock).mock.calls[0]!;
    expect(url).toBe(URL_);
    expect(init).toStrictEqual({
      method: "POST",
      body: '{"visitorId":"v_1"}',
      signal: controller.signal,
      credentials: "omit",
    });
  });

  it("sends no header of its own, so the body goes as text/plain;charset=UTF-8: a simple request, with no CORS preflight", async () => {
    await postJson(URL_, { visitorId: "v_1" });
    const [url, init] = (globalThis.fetch as Mock).mock.calls[0]!;
    expect((init as RequestInit).headers).toBeUndefined();
    expect(new Request(url, init).headers.get("content-type")).toBe("text/plain;charset=UTF-8");
  });

  it("a 2xx answer is its status and its JSON", async () => {
    answer(() => HttpResponse.json({ messages: [], identity: { status: "anonymous" } }, { status: 200 }));
    expect(await postJson(URL_, {})).toStrictEqual({ status: 200, data: { messages: [], identity: { status: "anonymous" } } });
  });

  it("a 2xx answer that is not JSON is its status with no data", async () => {
    answer(() => new HttpResponse("<html>", { status: 200, headers: { "content-type": "text/html" } }));
    expect(await postJson(URL_, {})).toStrictEqual({ status: 200, data: undefined });
  });

  it("an error answer is its status, the server's error, and no Retry-After when it gave none", async () => {
    answer(() => HttpResponse.json({ error: { code: "bad_request", message: "no" } }, { status: 400 }));
    expect(await postJson(URL_, {})).toStrictEqual({ status: 400, error: { code: "bad_request", message: "no" }, retryAfter: undefined });
  });

  it("an error answer that is not JSON keeps its status (a proxy's page is not a network failure)", async () => {
    answer(() => new HttpResponse("Bad Gateway", { status: 502 }));
    expect(await postJson(URL_, {})).toStrictEqual({ status: 502, error: undefined, retryAfter: undefined });
  });

  it("reads Retry-After in seconds, and ignores one that is not a number", async () => {
    answer(() => HttpResponse.json({ error: { code: "rate_limited", message: "slow" } }, { status: 429, headers: { "Retry-After": "12" } }));
    expect(await postJson(URL_, {})).toMatchObject({ status: 429, retryAfter: 12 });
    answer(() => new HttpResponse(null, { status: 503, headers: { "Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT" } }));
    expect(await postJson(URL_, {})).toStrictEqual({ status: 503, error: undefined, retryAfter: undefined });
  });

  it("a network failure or an abort is status 0, never a throw", async () => {
    answer(() => HttpResponse.error());
    expect(await postJson(URL_, {})).toStrictEqual({ status: 0 });
    const controller = new AbortController();
    controller.abort();
    expect(await postJson(URL_, {}, controller.signal)).toStrictEqual({ status: 0 });
  });
});

describe("isTransient", () => {
  it.each([0, 408, 425, 429, 500, 501, 503, 599])("%i is worth another try", (status) => expect(isTransient(status)).toBe(true));
  it.each([200, 201, 300, 400, 401, 403, 404, 407, 409, 413, 422, 424, 426, 428, 430, 499])("%i is not", (status) => expect(isTransient(status)).toBe(false));
});

describe("safeStorage", () => {
  it("keeps in memory, for this page, what a full storage refused, and reads it back", () => {
    const backing = {
      getItem: vi.fn(() => null),
      setItem: vi.fn(() => {
        throw new DOMException("full", "QuotaExceededError");
      }),
      removeItem: vi.fn(),
    } as unknown as Storage;
    const s = safeStorage(() => backing);
    s.set("k", "v");
    expect(s.get("k")).toBe("v");
    expect(backing.getItem).toHaveBeenCalledWith("k");
    s.remove("k");
    expect(s.get("k")).toBeNull();
    expect(backing.removeItem).toHaveBeenCalledWith("k");
  });

  it("prefers what the browser stored (another tab's write) over this page's memory", () => {
    const s = safeStorage(() => localStorage);
    s.set("k", "mine");
    localStorage.setItem("k", "theirs");
    expect(s.get("k")).toBe("theirs");
    localStorage.setItem("k", "");
    expect(s.get("k")).toBe("");
  });

  it("readJson reads stored JSON of any kind, including falsy values", () => {
    const s = safeStorage(() => localStorage);
    s.set("zero", "0");
    s.set("null", "null");
    expect(readJson(s, "zero")).toBe(0);
    expect(readJson(s, "null")).toBeNull();
  });
});

describe("randomId", () => {
  it("is 32 lowercase hex digits, each byte two digits even when small", () => {
    const spy = vi.spyOn(crypto, "getRandomValues").mockImplementation(((array: Uint8Array) => {
      array.set([0, 1, 15, 16, 255, 10, 160, 7, 0, 0, 0, 0, 0, 0, 0, 171]);
      return array;
    }) as typeof crypto.getRandomValues);
    expect(randomId()).toBe("00010f10ff0aa00700000000000000ab");
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("differs every time", () => {
    expect(randomId()).toMatch(/^[0-9a-f]{32}$/);
    expect(randomId()).not.toBe(randomId());
  });
});

describe("Emitter.clear", () => {
  it("drops every listener and every remembered state", () => {
    const e = new Emitter();
    const fn = vi.fn();
    e.emit("ready", undefined, true);
    e.on("open", fn);
    e.clear();
    e.emit("open");
    e.on("ready", fn);
    expect(fn).not.toHaveBeenCalled();
  });

  it("a sticky event replays its payload, and a non-sticky one after it does not replace it", () => {
    const e = new Emitter();
    e.emit("identity", { status: "verified", userId: "u" }, true);
    e.emit("identity", { status: "anonymous" });
    const late = vi.fn();
    e.on("identity", late);
    expect(late).toHaveBeenCalledExactlyOnceWith({ status: "verified", userId: "u" });
  });

  it("a listener added twice is called once; off of an unknown listener is harmless", () => {
    const e = new Emitter();
    const fn = vi.fn();
    e.on("open", fn);
    e.on("open", fn);
    e.off("close", fn);
    e.emit("open", 1);
    expect(fn).toHaveBeenCalledExactlyOnceWith(1);
  });

  it("a throwing late listener of a sticky event is reported, not thrown", () => {
    const e = new Emitter();
    e.emit("ready", undefined, true);
    expect(() =>
      e.on("ready", () => {
        throw new Error("late");
      }),
    ).not.toThrow();
    expect(page.warnings()).toEqual(['[Parley] a "ready" handler threw: Error: late']);
  });
});

describe("warn", () => {
  it("prefixes the message, and passes a detail as its own argument", () => {
    const detail = { toString: () => "never formatted" };
    warn("one");
    warn("two", detail);
    warn("three", null);
    expect(page.warn.mock.calls).toEqual([["[Parley] one"], ["[Parley] two", detail], ["[Parley] three", null]]);
  });
});
