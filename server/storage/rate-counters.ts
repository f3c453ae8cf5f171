// Rate-limit counters, shared by every process on this storage. Counting is no statement of its
// own: parley_count_hits (migration 8) runs inside the function that does the request's work
// (visitor-requests.ts), and that work happens only while no limit is over.

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

/** parley_count_hits's arguments, cast, from `$first` on: nothing counted without a count. */
export function countArguments(count: RateCount | undefined, first: number): { sql: string; values: unknown[] } {
  const casts = ["bigint", "text[]", "int[]", "text", "int", "boolean"];
  return {
    sql: casts.map((cast, i) => `$${first + i}::${cast}`).join(", "),
    values: [
      count?.windowStart ?? null,
      count?.own.map(([bucket]) => bucket) ?? [],
      count?.own.map(([, limit]) => limit) ?? [],
      count?.shared?.[0] ?? null,
      count?.shared?.[1] ?? null,
      count?.sweep ?? false,
    ],
  };
}
