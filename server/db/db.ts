// One small interface over the SQL engines. Embedded PGlite and (later) PostgreSQL speak the
// same SQL, so the store above this file has no code path of its own for either.
export interface Db {
  /**
   * `prepare`: a name under which PostgreSQL parses and plans the statement once per connection,
   * for what every request runs. Only for a statement whose result columns cannot change with the
   * schema (no `SELECT *`): a prepared one would fail once a migration changed them. Embedded
   * storage has no use for it.
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], prepare?: string): Promise<T[]>;
  /** Runs `fn` in one transaction; `fn` must use the `tx` it is given. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: "embedded" | "postgres";
}
export type Queryable = Pick<Db, "query">;
