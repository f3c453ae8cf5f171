// The widget's API: send a message, read the conversation (and, in announcement-routes.ts, "What's
// new"; in idea-routes.ts, the ideas board), each behind one gate: CORS, app, origin, body cap.
// Each request carries its own claim.
import { Hono, type Context } from "hono";
import { claimSubject } from "../../contract/claim.ts";
import { conversationKey } from "../policy/conversation-key.ts";
import type { ConversationResponse, SendMessageResponse } from "../../contract/wire.ts";
import type { Logger } from "../log.ts";
import { publicVerdict, rejectionHint } from "../policy/public-verdict.ts";
import type { App, Store } from "../store.ts";
import type { VerifyKey } from "../verify/keys.ts";
import { verifyClaim, type Verdict } from "../verify/verify.ts";
import { withoutControlCharacters } from "../text.ts";
import { clientAddress } from "./client-address.ts";
import { apiError, bodyCap } from "./errors.ts";
import type { Notifier } from "./notifier.ts";
import { rateLimiter } from "./rate-limit.ts";
import type { RateLimits } from "../config.ts";
import { conversationBody, readBody, sendMessageBody } from "./schemas.ts";
import { announcementRoutes } from "./announcement-routes.ts";
import { ideaRoutes } from "./idea-routes.ts";
import { streamRoute } from "./stream-route.ts";
import { noticeFeedback } from "./admin-events.ts";
import type { Hits, RateCount } from "../storage/rate-counters.ts";

export interface VisitorDeps {
  store: Store;
  notifier: Notifier;
  log: Logger;
  now: () => number;
  maxBodyBytes: number;
  limits: RateLimits;
  /** Aborted when the server is shutting down: long-polls and streams answer at once. */
  stopping?: AbortSignal;
  /** The stream's heartbeat and lifetime (stream-route.ts), shortened by tests. */
  stream?: { heartbeatMs?: number; maxStreamMs?: number };
  /** Proxies whose `X-Forwarded-For` names the client (see client-address.ts); none by default. */
  trustedProxies?: readonly string[];
}

/** The TCP peer of a request served by @hono/node-server (absent under `app.request` in tests). */
const peerAddress = (c: Context) => (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;

export type VisitorEnv = { Variables: { app: App; keys: () => VerifyKey[]; verifyMs: number; hint?: string } };
type Env = VisitorEnv;

/** What every visitor route does with its request, whatever it is for (announcement-routes.ts). */
export interface VisitorTools {
  /** The verdict on the request's claim (timed; a rejection logged, and its hint kept when hints are on). */
  judge(c: Context<Env>, claim: unknown): Promise<Verdict>;
  /** What the request counts against the limits. */
  count(c: Context<Env>, visitorId: string): RateCount | undefined;
  /** The 429 for a request storage found over a limit. */
  refuse(c: Context, count: RateCount | undefined, hits: Hits): Response;
}

export function visitorRoutes(deps: VisitorDeps) {
  const { store, notifier, log } = deps;
  const routes = new Hono<Env>();
  const limiter = rateLimiter(deps.limits, deps.now);

  routes.use("/v1/apps/:appId/*", async (c, next) => {
    const origin = c.req.header("origin");
    // Every answer is readable by the page, refusals included (they reveal only the refusal): the
    // widget must tell "this site is not allowed" from a network failure worth retrying forever.
    if (origin) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Expose-Headers", "Retry-After");
      c.header("Vary", "Origin");
    }
    // A preflight does nothing; the request that follows is judged (app, origin) on its own. The
    // widget causes none (its bodies go as text/plain: see schemas.ts readBody); other clients may.
    if (c.req.method === "OPTIONS") {
      c.header("Access-Control-Allow-Methods", "POST");
      c.header("Access-Control-Allow-Headers", "content-type");
      c.header("Access-Control-Max-Age", "600");
      return c.body(null, 204);
    }
    const found = await store.getAppForRequest(c.req.param("appId")!);
    const app = found?.app;
    if (!app) {
      log("warn", "unknown app", { app: c.req.param("appId")!.slice(0, 100), origin });
      return apiError(c, 404, "app_not_found", "No app with this id.");
    }
    if (origin && app.origins.length > 0 && !app.origins.includes(origin)) {
      log("warn", "origin refused", { app: app.id, origin: origin.slice(0, 200) });
      return apiError(c, 403, "origin_not_allowed", `Origin ${origin} is not allowed for this app.`);
    }
    if (deps.stopping?.aborted) return comeBackLater(c);
    c.set("app", app);
    c.set("keys", found.keys);
    await next();
  });
  routes.use("/v1/apps/:appId/*", bodyCap(deps.maxBodyBytes));

  // The count rides in the statement that does the request's work, which needs the verdict: so a
  // request over a limit has its claim verified before it is refused (microseconds, against the
  // round trip a separate count would cost every request).
  const count = (c: Context<Env>, visitorId: string) => limiter.count(c.get("app").id, visitorId, clientAddress(peerAddress(c), c.req.header("x-forwarded-for"), deps.trustedProxies ?? []));

  async function judge(c: Context<Env>, claim: unknown): Promise<Verdict> {
    const app = c.get("app");
    const started = performance.now();
    const keys = claim == null ? [] : c.get("keys")();
    const ctx = { appId: app.id, mode: app.mode, keys, now: deps.now() };
    const verdict = await verifyClaim(claim, ctx);
    // Decrypting the keys included: it is part of what verifying costs a request.
    c.set("verifyMs", performance.now() - started);
    if (verdict.status === "rejected") {
      // Rejections are rare, so the doctor's extra HMACs (hints on) cost valid traffic nothing.
      c.set("hint", await rejectionHint(claim, verdict, ctx, app.hints));
      log("warn", "claim rejected", { app: app.id, reason: verdict.reason, proof: verdict.proof, keyId: verdict.keyId });
    }
    return verdict;
  }

  routes.post("/v1/apps/:appId/messages", async (c) => {
    const body = await readBody(c, sendMessageBody);
    if (body instanceof Response) return body;
    const app = c.get("app");
    const verdict = await judge(c, body.identity);
    // What a rejected claim said it was, as an operator may read it: no control characters, 255 at most.
    const claimedUserId = verdict.status === "rejected" ? withoutControlCharacters(claimSubject(body.identity) ?? "").slice(0, 255) || undefined : undefined;
    const counted = count(c, body.visitorId);
    const result = await store.addVisitorMessage(app, { ...body, claimedUserId }, verdict, counted);
    if ("limited" in result) return limiter.refuse(c, counted, result.limited);
    if ("conflict" in result) return apiError(c, 409, "client_id_conflict", "This clientId belongs to another visitor's message.");
    if (result.created) {
      notifier.notify(result.conversationId);
      notifier.notify(newConversation(app.id, conversationKey(body.visitorId, verdict)));
    }
    return c.json<SendMessageResponse>({ message: result.message, identity: publicVerdict(verdict, c.get("hint")) }, result.created ? 201 : 200);
  });

  routes.post("/v1/apps/:appId/conversation", async (c) => {
    const body = await readBody(c, conversationBody);
    if (body instanceof Response) return body;
    const appId = c.get("app").id;
    const verdict = await judge(c, body.identity);
    const counted = count(c, body.visitorId);
    const deadline = Date.now() + (body.wait ?? 0) * 1000;
    // Only a wait needs to hear of the client leaving (asking for the signal costs every request).
    const signal = !body.wait ? undefined : deps.stopping ? AbortSignal.any([c.req.raw.signal, deps.stopping]) : c.req.raw.signal;
    let read = await store.readConversation(appId, body.visitorId, verdict, body.after, counted);
    for (;;) {
      if ("limited" in read) return limiter.refuse(c, counted, read.limited);
      const { conversationId, messages } = read;
      const left = deadline - Date.now();
      if (messages.length === 0 && deps.stopping?.aborted) return comeBackLater(c);
      if (messages.length > 0 || left <= 0 || !signal || signal.aborted) {
        return c.json<ConversationResponse>({ messages, identity: publicVerdict(verdict, c.get("hint")) });
      }
      // Idle, storage is not asked again until a message wakes the wait (from this process or,
      // on PostgreSQL, another: realtime/pg-relay.ts), or the server begins to stop (one last
      // look: a message that came meanwhile goes out rather than the 503).
      const channel = conversationId ?? newConversation(appId, conversationKey(body.visitorId, verdict));
      const changed = await notifier.waitForChange(channel, left, signal);
      if (changed || deps.stopping?.aborted) read = await store.readConversation(appId, body.visitorId, verdict, body.after, undefined, { again: true });
    }
  });

  streamRoute(routes, { store, notifier, stopping: deps.stopping, now: deps.now, ...deps.stream }, { judge, count, refuse: limiter.refuse });
  announcementRoutes(routes, store, { judge, count, refuse: limiter.refuse });
  // The app's console hears of every suggestion, vote and comment (admin-events.ts); reading the
  // board (`ideas/query`) or a thread (`ideas/:id`) changes nothing.
  const boardReads = /\/ideas\/(query|[^/]+)$/;
  routes.use("/v1/apps/:appId/ideas", noticeFeedback(notifier, boardReads));
  routes.use("/v1/apps/:appId/ideas/*", noticeFeedback(notifier, boardReads));
  ideaRoutes(routes, store, { judge, count, refuse: limiter.refuse });

  return routes;
}

/** What a long-poll waits on until its conversation exists: the first message in it (from another tab, say). */
export const newConversation = (appId: string, key: string) => `new ${appId} ${key}`;

/** Seconds a client should wait before calling again while this process restarts. */
export const RESTART_RETRY_AFTER_S = 5;

/**
 * The answer while shutting down: come back later, on a new connection (to the next process). The
 * widget honours Retry-After, so a restart is not met by a storm of retries.
 */
function comeBackLater(c: Context) {
  c.header("Retry-After", String(RESTART_RETRY_AFTER_S));
  c.header("Connection", "close");
  return apiError(c, 503, "shutting_down", `The server is restarting; try again in ${RESTART_RETRY_AFTER_S} seconds.`);
}
