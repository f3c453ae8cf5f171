// `POST /v1/apps/:appId/stream`: the visitor's conversation as server-sent events, pushed the
// moment a message is stored (here or, on PostgreSQL, in another process). Opened with fetch, so
// the claim travels in the body as on every other route; `EventSource` could not send one. The
// stream carries only what its claim may read, and ends when that claim would stop being good
// (its `exp`) or after MAX_STREAM_MS, so the widget comes back with a fresh claim.
import type { Hono } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import type { ConversationResponse, StreamEvents } from "../../contract/wire.ts";
import { conversationKey } from "../policy/conversation-key.ts";
import { publicVerdict } from "../policy/public-verdict.ts";
import type { Store } from "../store.ts";
import type { Notifier } from "./notifier.ts";
import { conversationBody, readBody } from "./schemas.ts";
import { newConversation, RESTART_RETRY_AFTER_S, type VisitorEnv, type VisitorTools } from "./visitor-routes.ts";

/** Under the 30 s after which common proxies cut a silent connection. */
export const HEARTBEAT_MS = 15_000;
/** The longest a stream stays open: its claim is verified again when it re-opens. */
export const MAX_STREAM_MS = 10 * 60_000;

export interface StreamDeps {
  store: Store;
  notifier: Notifier;
  stopping?: AbortSignal;
  /** Tests shorten the heartbeat and the lifetime. */
  heartbeatMs?: number;
  maxStreamMs?: number;
  /** Seconds since the epoch, as verification sees them. */
  now: () => number;
}

/** How many streams this process holds open now (for the benchmark and health). */
export const openStreams = { count: 0 };

export function streamRoute(routes: Hono<VisitorEnv>, deps: StreamDeps, tools: VisitorTools) {
  const { store, notifier } = deps;

  routes.post("/v1/apps/:appId/stream", async (c) => {
    const body = await readBody(c, conversationBody);
    if (body instanceof Response) return body;
    const appId = c.get("app").id;
    const verdict = await tools.judge(c, body.identity);
    const counted = tools.count(c, body.visitorId);
    const first = await store.readConversation(appId, body.visitorId, verdict, body.after, counted);
    if ("limited" in first) return tools.refuse(c, counted, first.limited);
    const identity = publicVerdict(verdict, c.get("hint"));
    const newKey = newConversation(appId, conversationKey(body.visitorId, verdict));
    // A token ends the stream when it expires: the widget re-opens with a refreshed one.
    const exp = typeof verdict.data?.exp === "number" ? verdict.data.exp * 1000 - deps.now() * 1000 : Infinity;
    const lifetime = Math.max(0, Math.min(deps.maxStreamMs ?? MAX_STREAM_MS, exp));
    const heartbeat = deps.heartbeatMs ?? HEARTBEAT_MS;

    return streamSSE(c, async (stream) => {
      openStreams.count++;
      // Ends the waits below: the client went away, the server is stopping, or the stream's time is up.
      const ended = new AbortController();
      const end = () => ended.abort();
      stream.onAbort(end);
      c.req.raw.signal.addEventListener("abort", end);
      deps.stopping?.addEventListener("abort", end);
      const timeUp = setTimeout(end, lifetime);
      // Subscribed before the first read, and for the stream's whole life: a message stored
      // between a read and the next wait still marks the stream dirty, so none is missed.
      let dirty = false;
      const mark = () => {
        dirty = true;
        wake?.();
      };
      let wake: (() => void) | undefined;
      const unsubscribe = [notifier.subscribe(newKey, mark)];
      let conversationId = first.conversationId;
      if (conversationId) unsubscribe.push(notifier.subscribe(conversationId, mark));
      let after = body.after;
      try {
        await send(stream, "identity", identity);
        let read: { conversationId: string | undefined; messages: ConversationResponse["messages"] } = first;
        while (!ended.signal.aborted && !stream.aborted) {
          if (read.messages.length) {
            after = read.messages[read.messages.length - 1]!.id;
            await send(stream, "messages", { messages: read.messages }, after);
          }
          if (!conversationId && read.conversationId) {
            conversationId = read.conversationId;
            unsubscribe.push(notifier.subscribe(conversationId, mark));
          }
          if (!dirty) {
            const woke = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => resolve(false), heartbeat);
              const stop = () => resolve(false);
              ended.signal.addEventListener("abort", stop, { once: true });
              wake = () => {
                clearTimeout(timer);
                ended.signal.removeEventListener("abort", stop);
                resolve(true);
              };
            });
            wake = undefined;
            if (!woke) {
              if (!ended.signal.aborted) await stream.write(": keep-alive\n\n");
              // The server stops: one last look, so a message stored meanwhile goes out first.
              if (!deps.stopping?.aborted) {
                read = { conversationId, messages: [] };
                continue;
              }
            }
          }
          dirty = false;
          const again = await store.readConversation(appId, body.visitorId, verdict, after, undefined, { again: true });
          // Uncounted, a read is never limited; the type allows it.
          read = "limited" in again ? { conversationId, messages: [] } : again;
          if (deps.stopping?.aborted) {
            if (read.messages.length) await send(stream, "messages", { messages: read.messages }, read.messages[read.messages.length - 1]!.id);
            break;
          }
        }
        if (!stream.aborted) {
          // Stopping: come back in a few seconds (to the next process), not all at once. Time up: at once.
          const retryAfter = deps.stopping?.aborted ? RESTART_RETRY_AFTER_S : 0;
          await send(stream, "end", { retryAfter });
        }
      } finally {
        clearTimeout(timeUp);
        for (const off of unsubscribe) off();
        c.req.raw.signal.removeEventListener("abort", end);
        deps.stopping?.removeEventListener("abort", end);
        openStreams.count--;
      }
    });
  });
}

/** One event. A write to a client that left is dropped by Hono without a word: the abort ends the loop. */
function send<E extends keyof StreamEvents>(stream: SSEStreamingApi, event: E, data: StreamEvents[E], id?: string) {
  return stream.writeSSE({ event, data: JSON.stringify(data), id });
}
