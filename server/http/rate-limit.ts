// Per-visitor, per-address and per-app request limits, counted in storage so that every process
// behind a load balancer enforces the same limit. Fixed one-minute windows. Counting is no round
// trip of its own: it rides in the statement that does the request's work (storage/rate-counters.ts).
import type { Context } from "hono";
import type { RateLimits } from "../config.ts";
import type { Hits, RateCount } from "../storage/rate-counters.ts";
import { addressKey } from "./client-address.ts";
import { apiError } from "./errors.ts";

export function rateLimiter(limits: RateLimits, now: () => number) {
  let swept = -1;
  return {
    /** What one request counts; undefined when every limit is off. */
    count(appId: string, visitorId: string, address: string | undefined): RateCount | undefined {
      const own: [string, number][] = [];
      if (limits.visitorPerMinute > 0) own.push([`visitor:${appId}:${visitorId}`, limits.visitorPerMinute]);
      if (limits.addressPerMinute > 0 && address) own.push([`addr:${appId}:${addressKey(address)}`, limits.addressPerMinute]);
      const shared: [string, number] | null = limits.appPerMinute > 0 ? [`app:${appId}`, limits.appPerMinute] : null;
      if (!own.length && !shared) return undefined;
      const t = now();
      const windowStart = t - (t % 60);
      // Old windows are swept by the first request of each window, in the same statement.
      const sweep = windowStart !== swept;
      swept = windowStart;
      return { own, shared, windowStart, sweep };
    },

    /** The 429 for a request storage refused, naming the limit it met. */
    refuse(c: Context, count: RateCount | undefined, hits: Hits): Response {
      const over = [...(count?.own ?? []), ...(count?.shared ? [count.shared] : [])].find(([bucket, limit]) => (hits[bucket] ?? 0) > limit)?.[0] ?? "";
      const t = now();
      c.header("Retry-After", String(Math.max(1, (count?.windowStart ?? t) + 60 - t)));
      const who = over.startsWith("app:") ? "this app" : over.startsWith("addr:") ? "this address" : "this visitor";
      return apiError(c, 429, "rate_limited", `Too many requests for ${who}; retry after the Retry-After seconds.`);
    },
  };
}
