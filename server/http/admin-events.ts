// `GET /v1/admin/apps/:appId/events`: what changes in an app, as server-sent events, for the
// console (through its session: console-routes.ts) — `inbox` when a conversation has something
// new, `feedback` when an idea, a vote or a comment changed. The console then reads what changed;
// the events carry no data of their own, so one missed is one read later, never a wrong screen.
// (GET with the operator's credentials: EventSource works here, unlike the widget's stream.)
import type { Context, Hono, MiddlewareHandler } from "hono";
import { streamSSE } from "hono/streaming";
import type { AdminEvents } from "../../contract/operator.ts";
import { ANY_CONVERSATION, feedbackChannel, type Notifier } from "./notifier.ts";
import { HEARTBEAT_MS, MAX_STREAM_MS, openStreams } from "./stream-route.ts";
import { RESTART_RETRY_AFTER_S } from "./visitor-routes.ts";

export interface EventsDeps {
  notifier: Notifier;
  stopping?: AbortSignal;
  heartbeatMs?: number;
  maxStreamMs?: number;
}

export function adminEventRoutes(routes: Hono, deps: EventsDeps) {
  routes.get("/v1/admin/apps/:appId/events", (c) => {
    const appId = c.req.param("appId");
    return streamSSE(c, async (stream) => {
      openStreams.count++;
      const ended = new AbortController();
      const end = () => ended.abort();
      stream.onAbort(end);
      c.req.raw.signal.addEventListener("abort", end);
      deps.stopping?.addEventListener("abort", end);
      const timeUp = setTimeout(end, deps.maxStreamMs ?? MAX_STREAM_MS);
      // Changes that come while an event is being written are told once, after it.
      const due = new Set<keyof AdminEvents>();
      let wake = () => {};
      const mark = (event: keyof AdminEvents) => () => {
        due.add(event);
        wake();
      };
      const off = [deps.notifier.subscribe(ANY_CONVERSATION, mark("inbox")), deps.notifier.subscribe(feedbackChannel(appId), mark("feedback"))];
      try {
        await stream.writeSSE({ event: "ready", data: "{}" });
        while (!ended.signal.aborted && !stream.aborted) {
          if (!due.size) {
            const woke = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => resolve(false), deps.heartbeatMs ?? HEARTBEAT_MS);
              const stop = () => resolve(false);
              ended.signal.addEventListener("abort", stop, { once: true });
              wake = () => {
                clearTimeout(timer);
                ended.signal.removeEventListener("abort", stop);
                resolve(true);
              };
            });
            wake = () => {};
            if (!woke) {
              if (!ended.signal.aborted) await stream.write(": keep-alive\n\n");
              continue;
            }
          }
          for (const event of [...due]) {
            due.delete(event);
            await stream.writeSSE({ event, data: "{}" });
          }
        }
        // EventSource re-opens by itself, after `retry`: in a few seconds when the server stops (the
        // next process), at once when the stream's time is up (the session is checked again).
        if (!stream.aborted) await stream.writeSSE({ event: "end", data: "{}", retry: deps.stopping?.aborted ? RESTART_RETRY_AFTER_S * 1000 : 1000 });
      } finally {
        clearTimeout(timeUp);
        for (const unsubscribe of off) unsubscribe();
        c.req.raw.signal.removeEventListener("abort", end);
        deps.stopping?.removeEventListener("abort", end);
        openStreams.count--;
      }
    });
  });
}

/**
 * Tells the app's console when a request under `pattern` changed its ideas board: any successful
 * write (not a read: `reads` names the paths that only read).
 */
export function noticeFeedback(notifier: Notifier, reads: RegExp): MiddlewareHandler {
  return async (c: Context, next) => {
    await next();
    if (c.req.method === "GET" || reads.test(c.req.path) || c.res.status >= 300) return;
    const appId = c.req.param("appId");
    if (appId) notifier.notify(feedbackChannel(appId));
  };
}
