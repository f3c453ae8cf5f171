// Counts the SQL statements a database runs: each query, and a transaction's BEGIN, the statements
// inside it and its COMMIT (or ROLLBACK). On PostgreSQL each is a round trip; on embedded storage
// each is a pass through PGlite. What the round-trip tests count with.
import type { Db, Queryable } from "../../server/db/db.ts";

export interface CountedDb {
  db: Db;
  /** Statements run since the last `take()`, each as its first words (for a readable failure). */
  take(): string[];
}

export function countStatements(inner: Db): CountedDb {
  let seen: string[] = [];
  const note = (sql: string) => seen.push(sql.replace(/\s+/g, " ").trim().slice(0, 60));
  const counted = (q: Queryable): Queryable => ({
    query<T>(sql: string, params?: unknown[], prepare?: string) {
      note(sql);
      return q.query<T>(sql, params, prepare);
    },
  });
  const db: Db = {
    kind: inner.kind,
    ...counted(inner),
    async transaction(fn) {
      note("BEGIN");
      try {
        const result = await inner.transaction((tx) => fn(counted(tx)));
        note("COMMIT");
        return result;
      } catch (err) {
        note("ROLLBACK");
        throw err;
      }
    },
    close: () => inner.close(),
  };
  return { db, take: () => seen.splice(0) };
}
