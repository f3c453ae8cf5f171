// server/http/rate-limit.ts on its own: what one request counts (nothing at all with every limit
// off), which request sweeps old windows, and the 429 naming the limit that was met — the clock
// and storage's hits passed in, no database.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { rateLimiter } from "../../server/http/rate-limit.ts";
import type { Hits, RateCount } from "../../server/storage/rate-counters.ts";

const LIMITS = { appPerMinute: 100, visitorPerMinute: 5, addressPerMinute: 10 };

/** The limiter's 429 for `count` and `hits`, as a client reads it. */
async function refusal(limiter: ReturnType<typeof rateLimiter>, count: RateCount | undefined, hits: Hits) {
  const app = new Hono().get("/", (c) => limiter.refuse(c, count, hits));
  const res = await app.request("/");
  return { status: res.status, retryAfter: res.headers.get("retry-after"), message: ((await res.json()) as { error: { message: string } }).error.message };
}

describe("count", () => {
  it("counts nothing when every limit is off", () => {
    expect(rateLimiter({ appPerMinute: 0, visitorPerMinute: 0, addressPerMinute: 0 }, () => 1000).count("app_1", "v_1", "203.0.113.7")).toBeUndefined();
  });

  it("the first request of each window sweeps the old ones; the others in it do not", () => {
    let now = 6000; // a window's first second
    const limiter = rateLimiter(LIMITS, () => now);
    expect(limiter.count("app_1", "v_1", undefined)!.sweep).toBe(true);
    now = 6059;
    expect(limiter.count("app_1", "v_1", undefined)!.sweep).toBe(false);
    now = 6060;
    const next = limiter.count("app_1", "v_1", undefined)!;
    expect([next.windowStart, next.sweep]).toEqual([6060, true]);
    expect(limiter.count("app_1", "v_2", undefined)!.sweep).toBe(false);
  });
});

describe("refuse", () => {
  const limiter = rateLimiter(LIMITS, () => 6010);
  const count = limiter.count("app_1", "v_1", "203.0.113.7")!;

  it("names the bucket over its limit — one exactly at its limit is not over", async () => {
    const app = await refusal(limiter, count, { "visitor:app_1:v_1": 5, "addr:app_1:203.0.113.7": 10, "app:app_1": 101 });
    expect(app).toEqual({ status: 429, retryAfter: "50", message: "Too many requests for this app; retry after the Retry-After seconds." });
    const address = await refusal(limiter, count, { "visitor:app_1:v_1": 5, "addr:app_1:203.0.113.7": 11 });
    expect(address.message).toBe("Too many requests for this address; retry after the Retry-After seconds.");
  });

  it("without a count or a bucket over, still a 429 for this visitor, until the window ends", async () => {
    expect(await refusal(limiter, undefined, {})).toEqual({ status: 429, retryAfter: "60", message: "Too many requests for this visitor; retry after the Retry-After seconds." });
    expect(await refusal(limiter, count, {})).toEqual({ status: 429, retryAfter: "50", message: "Too many requests for this visitor; retry after the Retry-After seconds." });
  });
});
