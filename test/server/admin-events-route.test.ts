// The console's event stream route on its own (server/http/admin-events.ts's adminEventRoutes):
// what it writes between changes (keep-alives, only when quiet), and how it ends — time up or the
// server stopping — with the `retry` EventSource obeys. A short heartbeat and lifetime instead of
// the real 15 s and 10 min; no storage (the API-level behaviour is in admin-events.test.ts). And the
// middleware that rings the `feedback` event: which requests count as a change of the ideas board.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { adminEventRoutes, noticeFeedback, type EventsDeps } from "../../server/http/admin-events.ts";
import { feedbackChannel, Notifier } from "../../server/http/notifier.ts";
import { RESTART_RETRY_AFTER_S } from "../../server/http/visitor-routes.ts";
import { readEvents } from "../support/sse.ts";

function routes(deps: Partial<EventsDeps> = {}) {
  const notifier = new Notifier();
  const app = new Hono();
  adminEventRoutes(app, { notifier, ...deps });
  const open = (signal?: AbortSignal) => app.request("/v1/admin/apps/app_1/events", { signal });
  return { notifier, open };
}

describe("between changes", () => {
  it("a quiet stream gets a keep-alive comment under the heartbeat", async () => {
    const { open } = routes({ heartbeatMs: 20 });
    const client = new AbortController();
    const events = readEvents(await open(client.signal));
    const ready = await events.next();
    expect([ready.event, ready.data]).toEqual(["ready", "{}"]);
    await events.comments(2);
    client.abort();
  });

  it("a change is told as its event, with no keep-alive before it, and the events carry no data of their own", async () => {
    const { notifier, open } = routes({ heartbeatMs: 60_000 });
    const client = new AbortController();
    let comments = 0;
    const res = await open(client.signal);
    const events = readEvents(res);
    await events.next();
    notifier.notify("c_1");
    const inbox = await events.next();
    expect([inbox.event, inbox.data]).toEqual(["inbox", "{}"]);
    notifier.notify(feedbackChannel("app_1"));
    const feedback = await events.next();
    expect([feedback.event, feedback.data]).toEqual(["feedback", "{}"]);
    // Resolves only if a comment came: none should have.
    void events.comments(1).then(() => comments++, () => {});
    client.abort();
    await events.closed;
    expect(comments).toBe(0);
  });
});

describe("how it ends", () => {
  it("when its time is up: `end`, and EventSource comes back in a second (the session is checked again)", async () => {
    const { open } = routes({ heartbeatMs: 60_000, maxStreamMs: 30 });
    expect(await (await open()).text()).toBe("event: ready\ndata: {}\n\nevent: end\ndata: {}\nretry: 1000\n\n");
  });

  it("when the server stops: `end`, and EventSource comes back once the next process is up", async () => {
    const stopping = new AbortController();
    const { open } = routes({ heartbeatMs: 60_000, stopping: stopping.signal });
    const res = await open();
    const text = res.text();
    stopping.abort();
    expect(await text).toBe(`event: ready\ndata: {}\n\nevent: end\ndata: {}\nretry: ${RESTART_RETRY_AFTER_S * 1000}\n\n`);
  });
});

describe("noticeFeedback", () => {
  /** The board's routes as visitor-routes.ts mounts the middleware: `query` and a thread only read. */
  function board() {
    const notifier = new Notifier();
    const told: string[] = [];
    // Every notification, whatever its channel (what the PostgreSQL relay would send on).
    notifier.relay = (channel) => told.push(channel);
    const app = new Hono();
    const reads = /\/ideas\/(query|[^/]+)$/;
    app.use("/v1/apps/:appId/ideas/*", noticeFeedback(notifier, reads));
    app.use("/v1/ideas/*", noticeFeedback(notifier, reads));
    const answer = (c: { req: { header(n: string): string | undefined }; body(b: null, s: number): Response }) => c.body(null, Number(c.req.header("x-status") ?? 200));
    app.post("/v1/apps/:appId/ideas/query", answer);
    app.get("/v1/apps/:appId/ideas/:id/votes", answer);
    app.post("/v1/apps/:appId/ideas/:id/vote", answer);
    app.post("/v1/ideas/:id/vote", answer);
    const call = (method: string, path: string, status = 200) => app.request(path, { method, headers: { "x-status": String(status) } });
    return { told, call };
  }

  it("a successful write rings the app's feedback channel, once", async () => {
    const { told, call } = board();
    await call("POST", "/v1/apps/app_1/ideas/i_1/vote", 200);
    await call("POST", "/v1/apps/app_1/ideas/i_1/vote", 299);
    expect(told).toEqual([feedbackChannel("app_1"), feedbackChannel("app_1")]);
  });

  it("a read (GET, or a path the routes name as a read) or a refused or redirected write rings nothing", async () => {
    const { told, call } = board();
    await call("GET", "/v1/apps/app_1/ideas/i_1/votes");
    await call("POST", "/v1/apps/app_1/ideas/query");
    await call("POST", "/v1/apps/app_1/ideas/i_1/vote", 403);
    await call("POST", "/v1/apps/app_1/ideas/i_1/vote", 300);
    expect(told).toEqual([]);
  });

  it("a path with no app rings nothing", async () => {
    const { told, call } = board();
    await call("POST", "/v1/ideas/i_1/vote");
    expect(told).toEqual([]);
  });
});
