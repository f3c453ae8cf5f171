// One small interface over the SQL engines. Embedded PGlite and (later) PostgreSQL speak the
// same SQL, so the store above this file has no code path of its own for either.
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction; `fn` must use the `tx` it is given. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: "embedded" | "postgres";
}
export type Queryable = Pick<Db, "query">;
