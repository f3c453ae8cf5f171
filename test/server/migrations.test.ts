// Several processes starting at once on one PostgreSQL migrate once: the advisory lock makes the
// others wait, then find nothing to do. (Embedded storage has one process, its owner, by design.)
import { describe, expect, it } from "vitest";
import { migrate } from "../../server/db/migrations.ts";
import { openPostgres } from "../../server/db/postgres.ts";
import { testDatabaseUrl } from "../support/database.ts";

const url = await testDatabaseUrl();

describe("migrate", () => {
  if (!url) {
    it.skip("several processes at once — PostgreSQL only: embedded storage is opened by one process", () => {});
    return;
  }
  it("five processes migrating one empty database at once: all succeed, each version applied once", async () => {
    const dbs = await Promise.all([1, 2, 3, 4, 5].map(() => openPostgres(url, 2)));
    try {
      const versions = await Promise.all(dbs.map((db) => migrate(db)));
      expect(new Set(versions).size).toBe(1);
      const rows = await dbs[0]!.query<{ version: number }>(`SELECT version FROM schema_migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: versions[0]! }, (_, i) => i + 1));
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
