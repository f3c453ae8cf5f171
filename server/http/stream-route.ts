// `POST /v1/apps/:appId/stream`: the visitor's conversation as server-sent events, pushed the
// moment a message is stored (here or, on PostgreSQL, in another process). Opened with fetch, so
// the claim travels in the body as on every other route; `EventSource` could not send one. The
// stream carries only what its claim may read, and ends when that claim would stop being good
// (its `exp`) or after MAX_STREAM_MS, so the widget comes back with a fresh claim.
import type { Hono } from "hono";
import type { Message, StreamEvents } from "../../contract/wire.ts";
import { conversationKey } from "../policy/conversation-key.ts";
import { publicVerdict } from "../policy/public-verdict.ts";
import type { Store } from "../store.ts";
import { CLOCK_SKEW_S } from "../verify/claims.ts";
import type { Notifier } from "./notifier.ts";
import { conversationBody, readBody } from "./schemas.ts";
import { Bell, endedBy, eventStream, HEARTBEAT_MS, MAX_STREAM_MS, openStreams, type EventWriter } from "./sse.ts";
import { apiError } from "./errors.ts";
import { newConversation, RESTART_RETRY_AFTER_S, type VisitorEnv, type VisitorTools } from "./visitor-routes.ts";

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

/**
 * Streams one visitor may hold open at once in a process: a browser needs one (its tabs share it),
 * a re-open may overlap the stream it replaces. An address may hold as many as its requests a
 * minute; with the limits off, neither is capped.
 */
export const STREAMS_PER_VISITOR = 4;
/** Seconds a client refused for holding too many streams waits before it tries again. */
const TOO_MANY_RETRY_S = 30;

export function streamRoute(routes: Hono<VisitorEnv>, deps: StreamDeps, tools: VisitorTools) {
  const { store, notifier } = deps;
  /** Streams open now per rate-limit bucket (a visitor's, an address's): a long-lived request counts while it lasts. */
  const held = new Map<string, number>();

  routes.post("/v1/apps/:appId/stream", async (c) => {
    const body = await readBody(c, conversationBody);
    if (body instanceof Response) return body;
    const appId = c.get("app").id;
    const verdict = await tools.judge(c, body.identity);
    const counted = tools.count(c, body.visitorId);
    const caps = (counted?.own ?? []).map(([bucket, limit]) => [bucket, bucket.startsWith("visitor:") ? STREAMS_PER_VISITOR : limit] as const);
    if (caps.some(([bucket, cap]) => (held.get(bucket) ?? 0) >= cap)) {
      c.header("Retry-After", String(TOO_MANY_RETRY_S));
      return apiError(c, 429, "too_many_streams", "Too many streams open for this visitor or address; retry after the Retry-After seconds.");
    }
    // Held from here (no await between the check and the hold), let go when the stream ends or is refused.
    for (const [bucket] of caps) held.set(bucket, (held.get(bucket) ?? 0) + 1);
    const letGo = () => {
      for (const [bucket] of caps) {
        const left = (held.get(bucket) ?? 1) - 1;
        if (left > 0) held.set(bucket, left);
        else held.delete(bucket);
      }
    };
    const first = await store.readConversation(appId, body.visitorId, verdict, body.after, counted).catch((err: unknown) => {
      letGo();
      throw err;
    });
    if ("limited" in first) {
      letGo();
      return tools.refuse(c, counted, first.limited);
    }
    const identity = publicVerdict(verdict, c.get("hint"));
    const newKey = newConversation(appId, conversationKey(body.visitorId, verdict));
    // A token ends the stream when it stops being good (its exp, and the skew allowed after it):
    // the widget re-opens with a refreshed one. Not at exp itself: a token in that skew is still
    // verified, and a stream ended at once would be re-opened at once, in a loop.
    const exp = typeof verdict.data?.exp === "number" ? (verdict.data.exp + CLOCK_SKEW_S - deps.now()) * 1000 : Infinity;
    const lifetime = Math.max(0, Math.min(deps.maxStreamMs ?? MAX_STREAM_MS, exp));
    const heartbeat = deps.heartbeatMs ?? HEARTBEAT_MS;

    return eventStream(c, async (out, gone) => {
      openStreams.count++;
      // Ends the waits below: the client went away, the server is stopping, or the stream's time is up.
      const { ended, release } = endedBy(gone, lifetime, deps.stopping);
      // Subscribed before the first read, and for the stream's whole life: a message stored
      // between a read and the next wait still marks the stream dirty, so none is missed.
      const bell = new Bell(ended);
      const unsubscribe = [notifier.subscribe(newKey, bell.ring)];
      let conversationId = first.conversationId;
      if (conversationId) unsubscribe.push(notifier.subscribe(conversationId, bell.ring));
      let read: { conversationId: string | undefined; messages: Message[] } = first;
      let after = body.after;
      try {
        send(out, "identity", identity);
        for (;;) {
          if (read.messages.length) {
            after = read.messages[read.messages.length - 1]!.id;
            send(out, "messages", { messages: read.messages }, after);
          }
          if (!conversationId && read.conversationId) {
            conversationId = read.conversationId;
            unsubscribe.push(notifier.subscribe(conversationId, bell.ring));
          }
          if (ended.aborted) break;
          if (!(await bell.wait(heartbeat))) {
            if (ended.aborted && !deps.stopping?.aborted) break;
            // Quiet: a keep-alive. Stopping: one last look, so a message stored meanwhile goes out first.
            if (!ended.aborted) {
              out.comment("keep-alive");
              read = { conversationId, messages: [] };
              continue;
            }
          }
          const again = await store.readConversation(appId, body.visitorId, verdict, after, undefined, { again: true });
          // Uncounted, a read is never limited; the type allows it.
          read = "limited" in again ? { conversationId, messages: [] } : again;
          if (deps.stopping?.aborted) {
            if (read.messages.length) send(out, "messages", { messages: read.messages }, read.messages[read.messages.length - 1]!.id);
            break;
          }
        }
        // Stopping: come back in a few seconds (to the next process), not all at once. Time up: at once.
        send(out, "end", { retryAfter: deps.stopping?.aborted ? RESTART_RETRY_AFTER_S : 0 });
      } finally {
        release();
        letGo();
        for (const off of unsubscribe) off();
        openStreams.count--;
      }
    });
  });
}

function send<E extends keyof StreamEvents>(out: EventWriter, event: E, data: StreamEvents[E], id?: string) {
  out.send(event, JSON.stringify(data), { id });
}
