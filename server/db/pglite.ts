// Embedded storage: PGlite (PostgreSQL compiled to WebAssembly) in a folder, no server to install.
import { PGlite } from "@electric-sql/pglite";
import type { Db, Queryable } from "./db.ts";

/** `dir` undefined keeps everything in memory (tests), starting from `from` (a dumped data folder) if given. */
export async function openEmbedded(dir: string | undefined, from?: Blob): Promise<Db> {
  const pg = dir ? new PGlite(dir) : new PGlite(from ? { loadDataDir: from } : undefined);
  await pg.waitReady;
  const wrap = (q: Pick<PGlite, "query">): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      return (await q.query<T>(sql, params)).rows;
    },
  });
  // PGlite runs one statement at a time; serialising transactions here keeps a
  // long-poll or a concurrent request from interleaving inside another's transaction.
  let chain: Promise<unknown> = Promise.resolve();
  return {
    kind: "embedded",
    ...wrap(pg),
    transaction(fn) {
      const run = chain.then(() => pg.transaction((tx) => fn(wrap(tx))));
      chain = run.catch(() => undefined);
      return run;
    },
    close: () => pg.close(),
  };
}
