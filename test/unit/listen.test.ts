// The stream reader (widget/live/stream.ts's `listen`) and the one listening tab (listener.ts's
// `lead`) on their own: what each answer of the server becomes, without a chat around them. fetch
// is a stand-in answering what each test scripts; time is fake where silence matters.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { IdentityVerdict, Message } from "../../contract/wire.ts";
import { lead } from "../../widget/live/listener.ts";
import { listen, SILENCE_MS } from "../../widget/live/stream.ts";
import { installFakeLocks, until } from "./helpers.ts";

const URL = "https://api.test/v1/apps/app_test/stream";
const BODY = { visitorId: "v_1" };

/** fetch answering `res` once; the request it got is kept. */
function answer(res: Response) {
  const requests: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    return res;
  });
  return requests;
}

/** An event stream the test writes to: `send` one event, `close` it. */
function eventStream(headers: Record<string, string> = { "content-type": "text/event-stream; charset=utf-8" }) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    res: new Response(body, { status: 200, headers }),
    send: (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)),
    close: () => controller.close(),
    /** As fetch does to the body of a request aborted mid-way. */
    abort: () => controller.error(new DOMException("The operation was aborted.", "AbortError")),
  };
}

function handlers() {
  const heard = { verdicts: [] as IdentityVerdict[], messages: [] as Message[][] };
  return { heard, on: { identity: (v: IdentityVerdict) => heard.verdicts.push(v), messages: (m: Message[]) => heard.messages.push(m) } };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("listen", () => {
  it("posts the request as JSON, without cookies, and reads verdict, messages and the server's end with its reconnect hint", async () => {
    const s = eventStream();
    const requests = answer(s.res);
    const { heard, on } = handlers();
    const ended = listen(URL, BODY, new AbortController().signal, on);
    await until(() => requests.length === 1, "the request");
    expect(requests[0]!.url).toBe(URL);
    expect(requests[0]!.init).toMatchObject({ method: "POST", body: JSON.stringify(BODY), credentials: "omit" });
    const message = { id: "m_1", text: "hi", createdAt: "2030-01-01T00:00:00.000Z", author: { type: "operator" } } as Message;
    s.send("identity", { status: "anonymous" });
    s.send("messages", { messages: [message] });
    s.send("end", { retryAfter: 7 });
    s.close();
    expect(await ended).toEqual({ ok: true, opened: true, retryAfter: 7 });
    expect(heard).toEqual({ verdicts: [{ status: "anonymous" }], messages: [[message]] });
  });

  it("a stream that closes without the server's end is not ok: the caller backs off", async () => {
    const s = eventStream();
    answer(s.res);
    const ended = listen(URL, BODY, new AbortController().signal, handlers().on);
    s.send("identity", { status: "anonymous" });
    s.send("ping", {});
    s.close();
    expect(await ended).toEqual({ ok: false, opened: true, retryAfter: undefined });
  });

  it("an event it does not know is not an end", async () => {
    const s = eventStream();
    answer(s.res);
    const { heard, on } = handlers();
    const ended = listen(URL, BODY, new AbortController().signal, on);
    s.send("later", { retryAfter: 3 });
    s.close();
    expect(await ended).toEqual({ ok: false, opened: false, retryAfter: undefined });
    expect(heard).toEqual({ verdicts: [], messages: [] });
  });

  it.each([
    ["404 with no such endpoint", json(404, { error: { code: "not_found", message: "No such endpoint." } }), true],
    ["405, a server that knows the path but not POST on it", new Response(null, { status: 405 }), true],
    ["404 with no such app", json(404, { error: { code: "app_not_found", message: "No such app." } }), false],
    ["403, an origin not allowed", json(403, { error: { code: "origin_not_allowed", message: "Not here." } }), false],
    ["404 as a proxy's JSON, with no error in it", json(404, { message: "Not Found" }), true],
    ["404 as a proxy's page", new Response("<h1>Not Found</h1>", { status: 404, headers: { "content-type": "text/html" } }), true],
  ])("%s: the status and error, and whether this server has no stream", async (_, res, unsupported) => {
    answer(res);
    const end = await listen(URL, BODY, new AbortController().signal, handlers().on);
    expect(end).toMatchObject({ ok: false, opened: false, status: res.status, unsupported });
  });

  it("a refusal's Retry-After is passed on; a body that is not JSON is no error", async () => {
    answer(new Response("busy", { status: 429, headers: { "retry-after": "30" } }));
    const end = await listen(URL, BODY, new AbortController().signal, handlers().on);
    expect(end).toEqual({ ok: false, opened: false, status: 429, error: undefined, retryAfter: 30, unsupported: false });
  });

  it.each([
    ["JSON", { "content-type": "application/json" }],
    ["JSON naming event-stream only in a parameter", { "content-type": "application/json; profile=text/event-stream" }],
    ["no content type", {} as Record<string, string>],
  ])("a 200 that is not an event stream (%s, something in the way rewrote it) means no stream here", async (_, headers) => {
    const s = eventStream(headers);
    answer(s.res);
    const { heard, on } = handlers();
    const end = listen(URL, BODY, new AbortController().signal, on);
    s.send("identity", { status: "anonymous" });
    s.close();
    expect(await end).toEqual({ ok: false, opened: false, unsupported: true });
    expect(heard.verdicts).toEqual([]);
  });

  it(`gives up on a stream silent for ${SILENCE_MS / 1000} s (a connection that died without a word), not before, and each word restarts the count`, async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const s = eventStream();
    let aborted: AbortSignal | undefined;
    vi.stubGlobal("fetch", async (_: string, init: RequestInit) => {
      aborted = init.signal!;
      aborted.addEventListener("abort", s.abort);
      return s.res;
    });
    let done = false;
    const ended = listen(URL, BODY, new AbortController().signal, handlers().on).then((e) => ((done = true), e));
    await until(() => aborted, "the request");
    s.send("identity", { status: "anonymous" });
    await vi.advanceTimersByTimeAsync(SILENCE_MS - 1);
    s.send("ping", {});
    await vi.advanceTimersByTimeAsync(SILENCE_MS - 1);
    expect(aborted!.aborted).toBe(false);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(aborted!.aborted).toBe(true);
    expect(await ended).toMatchObject({ ok: false, opened: true });
  });

  it("aborting the caller's signal ends the request, and the signal is let go after", async () => {
    const s = eventStream();
    let sent: AbortSignal | undefined;
    vi.stubGlobal("fetch", async (_: string, init: RequestInit) => ((sent = init.signal!), s.res));
    const caller = new AbortController();
    const remove = vi.spyOn(caller.signal, "removeEventListener");
    const ended = listen(URL, BODY, caller.signal, handlers().on);
    await until(() => sent, "the request");
    s.close();
    await ended;
    expect(remove).toHaveBeenCalledWith("abort", expect.any(Function));
    caller.abort();
    expect(sent!.aborted).toBe(false);
  });
});

describe("lead", () => {
  it("where there is no navigator at all (a worker), it reads for itself", async () => {
    vi.stubGlobal("navigator", undefined);
    const read = vi.fn(async () => ({ ok: true }));
    expect(await lead("parley:app_test:listen", new AbortController().signal, read)).toEqual({ ok: true });
    expect(read).toHaveBeenCalledTimes(1);
  });

  it("without Web Locks, every tab reads for itself", async () => {
    const read = vi.fn(async () => ({ ok: false }));
    expect(await lead("parley:app_test:listen", new AbortController().signal, read)).toEqual({ ok: false });
    expect(read).toHaveBeenCalledTimes(1);
  });

  it("a tab waiting its turn that gives up (the person changed) reads nothing and answers an empty, successful read", async () => {
    const restore = installFakeLocks();
    try {
      let letGo!: () => void;
      const first = lead("parley:app_test:listen", new AbortController().signal, () => new Promise<{ ok: boolean }>((r) => (letGo = () => r({ ok: true }))));
      await until(() => letGo, "the first tab listening");
      const waiting = new AbortController();
      const read = vi.fn(async () => ({ ok: false }));
      const second = lead("parley:app_test:listen", waiting.signal, read);
      waiting.abort();
      expect(await second).toEqual({ ok: true });
      letGo();
      await first;
      expect(read).not.toHaveBeenCalled();
    } finally {
      restore();
    }
  });
});
