// The whole HTTP surface, assembled. Pure wiring: routes live in their own files.
import { join } from "node:path";
import { Hono } from "hono";
import type { Logger } from "../log.ts";
import type { Store } from "../store.ts";
import { adminRoutes } from "./admin-routes.ts";
import { assetRoutes } from "./assets.ts";
import { consoleRoutes } from "./console-routes.ts";
import { localOperator } from "./local-operator.ts";
import { hasControlCharacter } from "../text.ts";
import { apiError } from "./errors.ts";
import { Notifier } from "./notifier.ts";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_RATE_LIMITS, type RateLimits } from "../config.ts";
import { visitorRoutes } from "./visitor-routes.ts";

export interface ApiOptions {
  store: Store;
  log: Logger;
  adminToken?: string;
  distDir?: string;
  maxBodyBytes?: number;
  /** Seconds since the epoch; injectable so token expiry is testable. */
  now?: () => number;
  limits?: RateLimits;
  /** Adds `Server-Timing: verify;dur=…, total;dur=…` to responses (for the benchmark). */
  serverTiming?: boolean;
  /** Aborted when the server begins shutting down. */
  stopping?: AbortSignal;
  /** Proxies trusted to name the client in `X-Forwarded-For` (for the per-address limit). */
  trustedProxies?: readonly string[];
  /** The stream's heartbeat and lifetime (stream-route.ts), shortened by tests. */
  stream?: { heartbeatMs?: number; maxStreamMs?: number };
  /** What wakes long-polls; injectable so a test can see a poll wait and be woken. */
  notifier?: Notifier;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function createApi(opts: ApiOptions) {
  const { store, log } = opts;
  const notifier = opts.notifier ?? new Notifier();
  const api = new Hono<{ Variables: { verifyMs?: number } }>();

  api.use(async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } catch {
      // Hono hands only Error instances to onError and rethrows anything else: answer that too,
      // with the same body, never a bare 500 from the HTTP layer.
      log("error", "unhandled", { path: c.req.path, error: "a non-Error value was thrown" });
      c.res = apiError(c, 500, "internal", "Something went wrong on our side.");
    }
    // Shutting down: each connection closes after its answer, so none keeps the old process alive.
    if (opts.stopping?.aborted) c.header("Connection", "close");
    const ms = performance.now() - started;
    const verifyMs = c.get("verifyMs");
    if (opts.serverTiming) c.res.headers.set("Server-Timing", `verify;dur=${(verifyMs ?? 0).toFixed(3)}, total;dur=${ms.toFixed(3)}`);
    log("info", "request", { method: c.req.method, path: c.req.path, status: c.res.status, ms: round(ms), verifyMs: verifyMs === undefined ? undefined : round(verifyMs) });
  });

  // No id of ours holds a control character: a path with one (a NUL, say) names nothing, and must
  // never reach storage, which would refuse it with an error of its own.
  api.use("/v1/*", async (c, next) => {
    if (/%(?:[01][0-9a-f]|7f)/i.test(c.req.path) || hasControlCharacter(c.req.path)) return apiError(c, 404, "not_found", "No such endpoint.");
    await next();
  });

  api.get("/healthz", async (c) => {
    // A load balancer stops sending here once shutdown begins.
    if (opts.stopping?.aborted) return c.json({ ok: false, storage: store.db.kind, error: { code: "shutting_down", message: "The server is shutting down." } }, 503);
    try {
      await store.db.query("SELECT 1");
      return c.json({ ok: true, storage: store.db.kind });
    } catch {
      return c.json({ ok: false, storage: store.db.kind, error: { code: "storage_unreachable", message: "Storage did not answer." } }, 503);
    }
  });
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const limits = opts.limits ?? DEFAULT_RATE_LIMITS;
  api.route("/", visitorRoutes({ store, notifier, log, now, maxBodyBytes, limits, stopping: opts.stopping, stream: opts.stream, trustedProxies: opts.trustedProxies }));
  api.route("/", adminRoutes(store, notifier, opts.adminToken, maxBodyBytes, { stopping: opts.stopping }));
  // The console calls the operator routes above as the local operator, once its cookie is checked.
  api.route("/", consoleRoutes({ adminToken: opts.adminToken, operator: (request) => api.fetch(request, localOperator()), consoleDir: opts.distDir && join(opts.distDir, "console"), log, maxBodyBytes, trustedProxies: opts.trustedProxies }));
  if (opts.distDir) api.route("/", assetRoutes(opts.distDir));

  api.notFound((c) => apiError(c, 404, "not_found", "No such endpoint."));
  api.onError((err, c) => {
    log("error", "unhandled", { path: c.req.path, error: err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : "unknown" });
    return apiError(c, 500, "internal", "Something went wrong on our side.");
  });
  return api;
}
