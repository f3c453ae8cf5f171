// Migrating at once from several places applies each version once. On PostgreSQL: five processes
// (pools) on one database, where the advisory lock makes the others wait and then find nothing to
// do. On embedded storage, which one process owns: five migrations at once through that process's
// one connection.
import { expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { migrate } from "../../server/db/migrations.ts";
import { openEmbedded } from "../../server/db/pglite.ts";
import { openPostgres } from "../../server/db/postgres.ts";
import { testDatabaseUrl } from "../support/database.ts";

it("five migrations of one empty database at once: all succeed, each version applied once", async () => {
  const url = await testDatabaseUrl();
  const embedded = url ? undefined : await openEmbedded(undefined);
  const dbs: Db[] = url ? await Promise.all([1, 2, 3, 4, 5].map(() => openPostgres(url, 2))) : Array(5).fill(embedded);
  try {
    const versions = await Promise.all(dbs.map((db) => migrate(db)));
    expect(new Set(versions).size).toBe(1);
    const rows = await dbs[0]!.query<{ version: number }>(`SELECT version FROM schema_migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: versions[0]! }, (_, i) => i + 1));
  } finally {
    await Promise.all([...new Set(dbs)].map((db) => db.close()));
  }
});
