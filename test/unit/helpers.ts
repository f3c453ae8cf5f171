// Shared fixtures for the unit tests: a fake Parley API on msw, a clean page between tests,
// and small ways to reach the widget's state. Nothing here replaces a part of Parley itself.
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, vi, type MockInstance } from "vitest";
import { boot } from "../../widget/core/boot.ts";
import { Chat, type ChatConfig } from "../../widget/core/chat.ts";
import { safeStorage } from "../../widget/core/storage.ts";
import type { Channel, OpenChannel } from "../../widget/core/tabs.ts";
// The lazy chunks the core fetches by itself, loaded up front as a browser that has them cached:
// `until` counts event loop turns, and the first transform of a lazily imported module takes more of them.
import "../../widget/live/stream.ts";
import "../../widget/core/refresher.ts";
import "../../widget/news/news.ts";
import type { Announcement, ConversationRequest, HashClaim, IdentityVerdict, Message, PayloadClaim, SendMessageRequest, TokenClaim } from "../../contract/wire.ts";

export const APP = "app_test";
export const API = "https://api.test";
/** The inline stub exactly as the docs print it. */
export const STUB = "window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)}";

export type Win = Window & { Parley?: any; ParleySettings?: any };
export const win = window as unknown as Win;

/** Runs the documented inline stub in the page's global scope, as a host page would. */
export function runStub(): void {
  (0, eval)(STUB);
}

/** The host calling `Parley(...)` through whatever `window.Parley` currently is. */
export const Parley = (...args: unknown[]): void => win.Parley(...args);

// Claims, one per proof, and the flat snippet fields that become a hash claim.
export const hashA: HashClaim = { userId: "user-alice-42", userHash: "a1".repeat(32), email: "alice@example.test", name: "Alice Liddell" };
export const hashB: HashClaim = { userId: "user-bob-77", userHash: "b2".repeat(32), name: "Bob Stone" };
export const payloadClaim: PayloadClaim = { payload: JSON.stringify({ id: "user-payload-1", plan: "pro" }), signature: "c3".repeat(32) };
const b64url = (s: string) => Buffer.from(s).toString("base64url");
export const tokenClaim: TokenClaim = { token: `${b64url(JSON.stringify({ sub: "user-token-9", app: APP }))}.${b64url("mac")}` };

export interface Captured {
  path: "messages" | "conversation";
  appId: string;
  url: string;
  body: any;
}

export type Answer = (body: any, nth: number) => Response | undefined | Promise<Response | undefined>;

/**
 * A fake Parley API. Every request is captured in order. Messages are stored per visitor and
 * per claimed user, so the conversation read returns only what that visitor or user wrote; a
 * verified claim takes over its visitor's anonymous messages, as the server's merge does.
 * Long-polls (`wait`) hang until the widget aborts them or the test ends, so nothing spins.
 */
export function useApi() {
  const state = {
    requests: [] as Captured[],
    /** Override the answer to `POST …/messages`; return undefined to fall back to the default. */
    onMessage: undefined as Answer | undefined,
    /** Override the answer to a (non-waiting) `POST …/conversation`. */
    onConversation: undefined as Answer | undefined,
    /** Answer a long-poll (`wait`) at once with this, instead of letting it hang. */
    onPoll: undefined as Answer | undefined,
    /** What the server says about a claim, by default. */
    verdict: (claim: any): IdentityVerdict => (claim ? { status: "verified", userId: userOf(claim) } : { status: "anonymous" }),
    /** What the server says about the claim of a message, when it differs from a read's verdict. */
    messageVerdict: undefined as ((claim: any) => IdentityVerdict) | undefined,
    stored: [] as (Message & { owner: string })[],
    hanging: new Set<() => void>(),
    /** Announcements every visitor reads (none by default), and the reads and marks they made. */
    announcements: [] as Announcement[],
    newsRequests: [] as { path: string; body: any }[],
    /** Whether `POST …/stream` streams; off, it answers 404 as a server without streams would. */
    streams: false,
    /** The streams the widget opened (their bodies), in order. */
    streamRequests: [] as ConversationRequest[],
    /** The streams open now: push what is new, end them (with a reconnect hint) or cut them. */
    openStreams: new Set<{ push(): void; end(retryAfter: number): void; cut(): void }>(),
  };
  let messageCount = 0;
  const answered = { messages: 0, conversation: 0, polls: 0 };

  /** A claim the server believes owns the conversation; any other is the anonymous visitor's. */
  const ownerOf = (body: { visitorId: string; identity?: unknown }, verdict: IdentityVerdict) =>
    body.identity && (verdict.status === "verified" || verdict.status === "unverified") ? `user:${userOf(body.identity)}` : `visitor:${body.visitorId}`;
  /** As the server does: a verified claim folds this browser's anonymous conversation into the user's. */
  const merge = (body: { visitorId: string; identity?: unknown }, verdict: IdentityVerdict) => {
    if (!body.identity || verdict.status !== "verified") return;
    for (const m of state.stored) if (m.owner === `visitor:${body.visitorId}`) m.owner = `user:${userOf(body.identity)}`;
  };

  const server = setupServer(
    http.post(`${API}/v1/apps/:appId/messages`, async ({ request }) => {
      const nth = answered.messages++;
      const body = (await request.json()) as SendMessageRequest;
      const custom = await state.onMessage?.(body, nth);
      if (custom) return custom;
      const verdict = (state.messageVerdict ?? state.verdict)(body.identity);
      merge(body, verdict);
      const again = state.stored.find((m) => m.clientId === body.clientId);
      if (again) return HttpResponse.json({ message: strip(again), identity: verdict }, { status: 200 });
      const message: Message & { owner: string } = {
        id: `m_${String(++messageCount).padStart(4, "0")}`,
        clientId: body.clientId,
        text: body.text,
        createdAt: new Date().toISOString(),
        author: { type: "visitor", visitorId: body.visitorId },
        owner: ownerOf(body, verdict),
      };
      state.stored.push(message);
      for (const open of state.openStreams) open.push();
      return HttpResponse.json({ message: strip(message), identity: verdict }, { status: 201 });
    }),
    http.post(`${API}/v1/apps/:appId/announcements/query`, async ({ request }) => {
      const body = await request.json();
      state.newsRequests.push({ path: "query", body });
      return HttpResponse.json({ announcements: state.announcements, identity: state.verdict((body as { identity?: unknown }).identity) });
    }),
    http.post(`${API}/v1/apps/:appId/announcements/:id/read`, async ({ request, params }) => {
      state.newsRequests.push({ path: `read ${String(params.id)}`, body: await request.json() });
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(`${API}/v1/apps/:appId/stream`, async ({ request }) => {
      const body = (await request.json()) as ConversationRequest;
      state.streamRequests.push(body);
      if (!state.streams) return HttpResponse.json({ error: { code: "not_found", message: "No such endpoint." } }, { status: 404 });
      const verdict = state.verdict(body.identity);
      merge(body, verdict);
      const owner = ownerOf(body, verdict);
      const mine = () => state.stored.filter((m) => m.owner === owner);
      let sent = body.after ? mine().findIndex((m) => m.id === body.after) + 1 : 0;
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          let open = true;
          const write = (event: string, data: unknown, id?: string) => open && controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n${id ? `id: ${id}\n` : ""}\n`));
          const close = (how: () => void) => {
            if (!open) return;
            open = false;
            state.openStreams.delete(live);
            how();
          };
          const live = {
            push() {
              const fresh = mine().slice(sent);
              sent += fresh.length;
              if (fresh.length) write("messages", { messages: fresh.map(strip) }, fresh[fresh.length - 1]!.id);
            },
            end(retryAfter: number) {
              write("end", { retryAfter });
              close(() => controller.close());
            },
            cut: () => close(() => controller.error(new Error("cut"))),
          };
          write("identity", verdict);
          live.push();
          state.openStreams.add(live);
          request.signal.addEventListener("abort", () => close(() => controller.close()));
        },
      });
      return new HttpResponse(stream, { headers: { "content-type": "text/event-stream" } });
    }),
    http.post(`${API}/v1/apps/:appId/conversation`, async ({ request }) => {
      const body = (await request.json()) as ConversationRequest;
      const poll = body.wait ? await state.onPoll?.(body, answered.polls++) : undefined;
      if (poll) return poll;
      if (body.wait) {
        await new Promise<void>((resolve) => {
          state.hanging.add(resolve);
          request.signal.addEventListener("abort", () => resolve());
        });
        return HttpResponse.json({ messages: [], identity: state.verdict(body.identity) });
      }
      const custom = await state.onConversation?.(body, answered.conversation++);
      if (custom) return custom;
      const verdict = state.verdict(body.identity);
      merge(body, verdict);
      const owner = ownerOf(body, verdict);
      const mine = state.stored.filter((m) => m.owner === owner);
      const after = body.after ? mine.findIndex((m) => m.id === body.after) + 1 : 0;
      return HttpResponse.json({ messages: mine.slice(after).map(strip), identity: verdict });
    }),
  );

  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  // Requests are recorded as fetch is called (msw's handlers may run in another order), so
  // `requests` is the order the widget sent them in. Restored by usePage's vi.restoreAllMocks.
  beforeEach(() => {
    const intercepted = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const match = /\/v1\/apps\/([^/]+)\/(messages|conversation)$/.exec(url);
      if (match) state.requests.push({ path: match[2] as Captured["path"], appId: decodeURIComponent(match[1]!), url, body: JSON.parse(String(init?.body)) });
      return intercepted(input, init);
    });
  });
  afterEach(() => {
    for (const resolve of state.hanging) resolve();
    state.hanging.clear();
    for (const open of state.openStreams) open.cut();
    state.streams = false;
    state.streamRequests.length = 0;
    state.requests.length = 0;
    state.stored.length = 0;
    state.onMessage = undefined;
    state.onConversation = undefined;
    state.onPoll = undefined;
    state.messageVerdict = undefined;
    state.announcements = [];
    state.newsRequests.length = 0;
    state.verdict = (claim: any) => (claim ? { status: "verified", userId: userOf(claim) } : { status: "anonymous" });
    messageCount = 0;
    answered.messages = answered.conversation = answered.polls = 0;
    server.resetHandlers();
  });
  afterAll(() => server.close());

  return Object.assign(state, {
    server,
    messages: () => state.requests.filter((r) => r.path === "messages"),
    conversations: () => state.requests.filter((r) => r.path === "conversation"),
    /** An operator reply, visible to whoever `owner` is (`user:<id>` or `visitor:<id>`). */
    reply(owner: string, text: string) {
      const message = { id: `m_${String(++messageCount).padStart(4, "0")}`, clientId: null, text, createdAt: new Date().toISOString(), author: { type: "operator" as const, name: "Grace" }, owner };
      state.stored.push(message);
      for (const open of state.openStreams) open.push();
      return message;
    },
  });
}

const strip = ({ owner: _owner, ...m }: Message & { owner: string }): Message => m;

/** Who a claim names, read the way the fake server (and the widget) would, without checking it. */
export function userOf(claim: any): string {
  if ("userId" in claim) return String(claim.userId);
  const json = "payload" in claim ? claim.payload : Buffer.from(claim.token.split(".")[0], "base64url").toString();
  const data = JSON.parse(json);
  return String(data.sub ?? data.id);
}

const work = new WeakMap<object, Set<Promise<unknown>>>();

/**
 * Resolves once everything `target` (a Chat from page.chat, or an Outbox passed to trackOutbox)
 * has started — reads (not long-polls, which wait by design) and outbox flushes — has been
 * answered and applied, including what those started in turn. The condition a negative check
 * waits on ("and then nothing else happened"), instead of a count of event-loop turns.
 */
export async function idle(target: object): Promise<void> {
  const pending = work.get(target);
  if (!pending) throw new Error("idle: only for a chat made by page.chat() or an outbox passed to trackOutbox()");
  while (pending.size) await Promise.allSettled([...pending]);
}

const track = <T extends object>(pending: Set<Promise<unknown>>, target: T, name: keyof T & string, skip?: (args: unknown[]) => boolean) => {
  const original = (target[name] as (...args: unknown[]) => Promise<unknown>).bind(target);
  (target as Record<string, unknown>)[name] = (...args: unknown[]) => {
    const result = original(...args);
    if (!skip?.(args)) {
      pending.add(result);
      void result.finally(() => pending.delete(result)).catch(() => {});
    }
    return result;
  };
};

/** Records every flush of `box` (its own calls included), for idle(box). */
export function trackOutbox<T extends { flush(): Promise<void> }>(box: T): T {
  const pending = new Set<Promise<unknown>>();
  work.set(box, pending);
  track(pending, box, "flush");
  return box;
}

/** Records the promise of every read and outbox flush a chat starts (its own calls included). */
function trackWork(chat: Chat) {
  const pending = new Set<Promise<unknown>>();
  work.set(chat, pending);
  track(pending, chat, "sync", ([wait]) => typeof wait === "number" && wait > 0);
  track(pending, chat.outbox, "flush");
  // The refresher's chunk once asked for (a host gave refreshIdentity): its timer starts when it arrives.
  const lazy = chat as unknown as { _renewal(): Promise<unknown> | undefined };
  const renewal = lazy._renewal.bind(chat);
  lazy._renewal = () => {
    const chunk = renewal();
    if (chunk) {
      pending.add(chunk);
      void chunk.finally(() => pending.delete(chunk));
    }
    return chunk;
  };
}

/**
 * A clean page for every test: no Parley globals, empty storage, no leftover DOM, console.warn
 * captured (and silent), and every chat started in the test stopped afterwards.
 */
export function usePage() {
  const cleanups: (() => void)[] = [];
  const page = {
    warn: undefined as unknown as MockInstance<(...args: unknown[]) => void>,
    /** Every console.warn so far, one string each. */
    warnings: () => page.warn.mock.calls.map((args) => args.map(String).join(" ")),
    cleanup: (fn: () => void) => cleanups.push(fn),
    /** Boots the widget against `settings` (and whatever the queue holds), as the bundle does; returns its chat. */
    boot(settings?: unknown): Chat | undefined {
      if (settings !== undefined) win.ParleySettings = settings;
      let chat: Chat | undefined;
      cleanups.push(
        boot(win, (c) => {
          chat = c;
          // Mounted after start: its first read and flush are not tracked, only what follows.
          trackWork(c);
          return () => {};
        }),
      );
      return chat;
    },
    /** A Chat on this page's localStorage, started; stopped after the test. `idle(chat)` waits for it. */
    chat(config: Partial<ChatConfig> = {}, start = true): Chat {
      const chat = new Chat({ appId: APP, apiBase: API, storage: safeStorage(() => localStorage), ...config });
      trackWork(chat);
      if (start) cleanups.push(chat.start());
      return chat;
    },
  };
  const reset = () => {
    delete win.Parley;
    delete win.ParleySettings;
    localStorage.clear();
    document.body.innerHTML = "";
    document.head.querySelectorAll("script").forEach((s) => s.remove());
  };
  beforeEach(() => {
    reset();
    page.warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
    vi.useRealTimers();
    vi.restoreAllMocks();
    reset();
  });
  return page;
}

/** Every localStorage entry, as one string per key, for "holds nothing of …" assertions. */
export function storageDump(): string[] {
  const out: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)!;
    out.push(`${key}=${localStorage.getItem(key)}`);
  }
  return out;
}

/**
 * Waits for a condition by yielding to the event loop (setImmediate), never by advancing or
 * reading a clock, so it works the same with fake timers and says nothing about speed.
 */
export async function until(condition: () => unknown, what = "condition"): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    try {
      if (condition()) return;
    } catch {
      /* not yet */
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A few turns of the event loop: for a fake server to take a moment (simulated latency). Never to
 * wait before a negative check — that waits on `idle(chat)` or `until(condition)`.
 */
export async function settle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** The loader's own `<script>` element, as the snippet writes it. Not inserted: nothing loads. */
export function loaderScript(attrs: { src?: string; appId?: string; apiBase?: string; nonce?: string } = {}): HTMLScriptElement {
  const s = document.createElement("script");
  s.src = attrs.src ?? "https://cdn.test/parley/loader.js";
  if (attrs.appId !== undefined) s.dataset.appId = attrs.appId;
  if (attrs.apiBase !== undefined) s.dataset.apiBase = attrs.apiBase;
  if (attrs.nonce !== undefined) s.nonce = attrs.nonce;
  return s;
}

/** A document whose `<head>` only records what the loader appends, so no script really loads. */
export function fakeDocument(readyState: DocumentReadyState = "loading") {
  const appended: HTMLScriptElement[] = [];
  const doc = {
    readyState,
    createElement: (tag: string) => document.createElement(tag),
    head: { appendChild: (el: HTMLScriptElement) => (appended.push(el), el) },
  } as unknown as Document;
  return { doc, appended };
}

/** A BroadcastChannel stand-in: what one end posts, every other open end of the same name hears. */
export function fakeChannels(): OpenChannel & { opened: number } {
  const ends = new Map<string, Set<Channel>>();
  const open = ((name: string) => {
    open.opened++;
    const set = ends.get(name) ?? new Set<Channel>();
    ends.set(name, set);
    const end: Channel = {
      onmessage: null,
      postMessage(data) {
        const copy = structuredClone(data);
        for (const other of set) if (other !== end) queueMicrotask(() => other.onmessage?.({ data: copy } as MessageEvent));
      },
      close: () => set.delete(end),
    };
    set.add(end);
    return end;
  }) as OpenChannel & { opened: number };
  open.opened = 0;
  return open;
}

/**
 * Web Locks in one page, as the browser's are across its tabs: one holder per name at a time, the
 * others queued in order; `ifAvailable` gets null when held; `signal` gives up a wait. Installed on
 * navigator until the returned function is called.
 */
export function installFakeLocks(): () => void {
  const tails = new Map<string, Promise<void>>();
  const held = new Set<string>();
  const locks = {
    async request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, fn: (lock: { name: string } | null) => unknown) {
      if (options.ifAvailable && held.has(name)) return fn(null);
      const before = tails.get(name) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      tails.set(name, before.then(() => mine));
      const aborted = new Promise<void>((resolve) => options.signal?.addEventListener("abort", () => resolve(), { once: true }));
      await Promise.race([before, aborted]);
      if (options.signal?.aborted) {
        // Our turn passes to the next in line once the one before us is done.
        void before.then(release);
        throw new DOMException("The request was aborted.", "AbortError");
      }
      held.add(name);
      try {
        return await fn({ name });
      } finally {
        held.delete(name);
        release();
      }
    },
  };
  const had = Object.getOwnPropertyDescriptor(navigator, "locks");
  Object.defineProperty(navigator, "locks", { value: locks, configurable: true });
  return () => {
    if (had) Object.defineProperty(navigator, "locks", had);
    else delete (navigator as { locks?: unknown }).locks;
  };
}
