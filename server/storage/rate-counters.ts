// Rate-limit counters, shared by every process on this storage. They are not a statement of their
// own: the counting rides in the statement that does the request's work (visitor-requests.ts), and
// that work happens only while no limit is over.
import type { Param } from "./sql.ts";

/** What one request counts: one hit in each bucket, in this window. */
export interface RateCount {
  /** The caller's own buckets (visitor, address), each with its limit a window. */
  own: readonly (readonly [bucket: string, limit: number])[];
  /** The app-wide bucket and its limit, or null when off: counted only while no own bucket is over. */
  shared: readonly [bucket: string, limit: number] | null;
  windowStart: number;
  /** Also delete the counters of older windows (the first request of a window asks for it). */
  sweep: boolean;
}

/** Each bucket counted, with its hits in this window. */
export type Hits = Record<string, number>;

/**
 * CTEs that count one hit in each of `count.own` and — only while none of them is over its limit —
 * one in `count.shared`; so a client already refused by its own limit spends nothing of everyone's
 * (rotating visitor ids from one address cannot use up the app). They end in `rate(limited, hits)`,
 * one row. `undefined` counts nothing: `limited` is false (a long-poll's re-read is not a request).
 */
export function rateCounting(count: RateCount | undefined, $: Param): string {
  const window = $(count?.windowStart ?? 0);
  const buckets = $(count?.own.map(([bucket]) => bucket) ?? []);
  const shared = $(count?.shared?.[0] ?? null);
  return `rate_own AS (
       INSERT INTO rate_counters (bucket, window_start, hits) SELECT b, ${window}::bigint, 1 FROM unnest(${buckets}::text[]) AS b
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_counters.hits + 1 RETURNING bucket, hits
     ), rate_own_over AS (
       SELECT 1 FROM rate_own JOIN unnest(${buckets}::text[], ${$(count?.own.map(([, limit]) => limit) ?? [])}::int[]) AS l(bucket, lim) USING (bucket) WHERE rate_own.hits > l.lim
     ), rate_shared AS (
       INSERT INTO rate_counters (bucket, window_start, hits) SELECT ${shared}::text, ${window}::bigint, 1
        WHERE ${shared}::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rate_own_over)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_counters.hits + 1 RETURNING bucket, hits
     ), rate_swept AS (
       DELETE FROM rate_counters WHERE ${$(count?.sweep ?? false)}::boolean AND window_start < ${window}::bigint
     ), rate AS (
       SELECT EXISTS (SELECT 1 FROM rate_own_over) OR EXISTS (SELECT 1 FROM rate_shared WHERE hits > ${$(count?.shared?.[1] ?? 0)}::int) AS limited,
              (SELECT json_object_agg(bucket, hits) FROM (SELECT bucket, hits FROM rate_own UNION ALL SELECT bucket, hits FROM rate_shared) h) AS hits
     )`;
}
