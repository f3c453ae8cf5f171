// Per-visitor, per-address and per-app request limits, counted in storage so that every process
// behind a load balancer enforces the same limit. Fixed one-minute windows: simple, one statement.
import type { Context } from "hono";
import type { Queryable } from "../db/db.ts";
import { countHits } from "../storage/rate-counters.ts";
import { addressKey } from "./client-address.ts";
import { apiError } from "./errors.ts";
import type { RateLimits } from "../config.ts";


export function rateLimiter(db: Queryable, limits: RateLimits, now: () => number) {
  /** A 429 response when over a limit, else undefined (and the hit is counted). */
  return async (c: Context, appId: string, visitorId: string, address: string | undefined): Promise<Response | undefined> => {
    const own: [string, number][] = [];
    if (limits.visitorPerMinute > 0) own.push([`visitor:${appId}:${visitorId}`, limits.visitorPerMinute]);
    if (limits.addressPerMinute > 0 && address) own.push([`addr:${appId}:${addressKey(address)}`, limits.addressPerMinute]);
    const shared = limits.appPerMinute > 0 ? `app:${appId}` : null;
    if (!own.length && !shared) return undefined;
    const t = now();
    const windowStart = t - (t % 60);
    const counts = await countHits(db, own, shared, windowStart);
    const over = own.find(([bucket, limit]) => (counts.get(bucket) ?? 0) > limit) ?? (shared && (counts.get(shared) ?? 0) > limits.appPerMinute ? [shared] : undefined);
    if (!over) return undefined;
    c.header("Retry-After", String(Math.max(1, windowStart + 60 - t)));
    const who = over[0].startsWith("app:") ? "this app" : over[0].startsWith("addr:") ? "this address" : "this visitor";
    return apiError(c, 429, "rate_limited", `Too many requests for ${who}; retry after the Retry-After seconds.`);
  };
}
