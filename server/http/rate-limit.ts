// Per-app and per-visitor request limits, counted in storage so that every process behind a
// load balancer enforces the same limit. Fixed one-minute windows: simple, and one statement.
import type { Context } from "hono";
import type { Queryable } from "../db/db.ts";
import { countHits } from "../store.ts";
import { apiError } from "./errors.ts";

export interface RateLimits {
  /** Requests a minute for one app, all visitors together; 0 turns the limit off. */
  appPerMinute: number;
  /** Requests a minute for one visitor of one app; 0 turns the limit off. */
  visitorPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { appPerMinute: 6000, visitorPerMinute: 120 };

export function rateLimiter(db: Queryable, limits: RateLimits, now: () => number) {
  /** A 429 response when over a limit, else undefined (and the hit is counted). */
  return async (c: Context, appId: string, visitorId: string): Promise<Response | undefined> => {
    const buckets: [string, number][] = [];
    if (limits.appPerMinute > 0) buckets.push([`app:${appId}`, limits.appPerMinute]);
    if (limits.visitorPerMinute > 0) buckets.push([`visitor:${appId}:${visitorId}`, limits.visitorPerMinute]);
    if (!buckets.length) return undefined;
    const t = now();
    const windowStart = t - (t % 60);
    const counts = await countHits(db, buckets.map(([b]) => b), windowStart);
    const over = buckets.find(([bucket, limit]) => (counts.get(bucket) ?? 0) > limit);
    if (!over) return undefined;
    c.header("Retry-After", String(Math.max(1, windowStart + 60 - t)));
    const who = over[0].startsWith("app:") ? "this app" : "this visitor";
    return apiError(c, 429, "rate_limited", `Too many requests for ${who}; retry after the Retry-After seconds.`);
  };
}
