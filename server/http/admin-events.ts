// `GET /v1/admin/apps/:appId/events`: what changes in an app, as server-sent events, for the
// console (through its session: console-routes.ts) — `inbox` when a conversation has something
// new, `feedback` when an idea, a vote or a comment changed. The console then reads what changed;
// the events carry no data of their own, so one missed is one read later, never a wrong screen.
// (GET with the operator's credentials: EventSource works here, unlike the widget's stream.)
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { AdminEvents } from "../../contract/operator.ts";
import { ANY_CONVERSATION, feedbackChannel, type Notifier } from "./notifier.ts";
import { Bell, endedBy, eventStream, HEARTBEAT_MS, MAX_STREAM_MS, openStreams } from "./sse.ts";
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
    return eventStream(c, async (out, gone) => {
      openStreams.count++;
      const { ended, release } = endedBy(gone, deps.maxStreamMs ?? MAX_STREAM_MS, deps.stopping);
      // Changes that come while waiting or writing are told once, at the next turn.
      const due = new Set<keyof AdminEvents>();
      const bell = new Bell(ended);
      const mark = (event: keyof AdminEvents) => () => {
        due.add(event);
        bell.ring();
      };
      const off = [deps.notifier.subscribe(ANY_CONVERSATION, mark("inbox")), deps.notifier.subscribe(feedbackChannel(appId), mark("feedback"))];
      try {
        out.send("ready", "{}");
        while (!ended.aborted) {
          if (!(await bell.wait(deps.heartbeatMs ?? HEARTBEAT_MS)) && !ended.aborted) out.comment("keep-alive");
          for (const event of due) out.send(event, "{}");
          due.clear();
        }
        // EventSource re-opens by itself, after `retry`: in a few seconds when the server stops (the
        // next process), at once when the stream's time is up (the session is checked again).
        out.send("end", "{}", { retry: deps.stopping?.aborted ? RESTART_RETRY_AFTER_S * 1000 : 1000 });
      } finally {
        release();
        for (const unsubscribe of off) unsubscribe();
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
