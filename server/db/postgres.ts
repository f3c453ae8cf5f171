// PostgreSQL through node-postgres: the same SQL as embedded storage, over a connection pool.
import pg from "pg";
import type { Db, Queryable } from "./db.ts";

// bigint (bigserial) columns come back as strings by default; ours fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openPostgres(url: string, max = Number(process.env.PARLEY_DB_POOL || 10)): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client's error (e.g. the server restarting) must not crash the process; the next
  // query gets a fresh connection.
  pool.on("error", () => {});
  await pool.query("SELECT 1");
  return {
    kind: "postgres",
    async query<T>(sql: string, params: unknown[] = [], prepare?: string) {
      return (await pool.query({ text: sql, values: params, name: prepare })).rows as T[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      const tx: Queryable = { query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[] };
      try {
        await client.query("BEGIN");
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
