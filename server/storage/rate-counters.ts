// Rate-limit counters, shared by every process on this storage. One statement a request.
import type { Queryable } from "../db/db.ts";

/**
 * Counts one hit in each of `own` (a caller's buckets: visitor, address) and, only while none of
 * them is over its limit, one in `shared` (the app-wide bucket). So a client already refused by its
 * own limit spends nothing of everyone's: rotating visitor ids from one address cannot use up the
 * app. Returns each bucket's count in this window.
 */
export async function countHits(db: Queryable, own: readonly (readonly [bucket: string, limit: number])[], shared: string | null, windowStart: number): Promise<Map<string, number>> {
  const rows = await db.query<{ bucket: string; hits: number }>(
    `WITH own AS (
       INSERT INTO rate_counters (bucket, window_start, hits) SELECT b, $3, 1 FROM unnest($1::text[]) AS b
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_counters.hits + 1 RETURNING bucket, hits
     ), over AS (
       SELECT 1 FROM own JOIN unnest($1::text[], $2::int[]) AS l(bucket, lim) USING (bucket) WHERE own.hits > l.lim
     ), shared AS (
       INSERT INTO rate_counters (bucket, window_start, hits) SELECT $4::text, $3, 1 WHERE $4::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM over)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_counters.hits + 1 RETURNING bucket, hits
     )
     SELECT bucket, hits FROM own UNION ALL SELECT bucket, hits FROM shared`,
    [own.map(([b]) => b), own.map(([, l]) => l), windowStart, shared],
  );
  // Old windows are swept now and then rather than on every request.
  if (Math.random() < 0.01) await db.query(`DELETE FROM rate_counters WHERE window_start < $1`, [windowStart]);
  return new Map(rows.map((r) => [r.bucket, Number(r.hits)]));
}
