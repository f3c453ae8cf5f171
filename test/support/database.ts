// The storage under test: embedded PGlite in the "server" project, a real PostgreSQL in
// "server-pg". The same suite runs on both; each test file gets its own empty database.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { migrate } from "../../server/db/migrations.ts";
import { openEmbedded } from "../../server/db/pglite.ts";
import { openPostgres } from "../../server/db/postgres.ts";
import { Store } from "../../server/store.ts";
import "./postgres-setup.ts";
import "./pglite-cluster.ts";

export async function openTestDb(): Promise<Db> {
  const url = await testDatabaseUrl();
  const cluster = inject("pgliteCluster"); // the mutation runs' shortcut past initdb (see pglite-cluster.ts)
  const db = url ? await openPostgres(url) : await openEmbedded(undefined, cluster ? new Blob([readFileSync(cluster)]) : undefined);
  await migrate(db);
  return db;
}

export async function openTestStore(): Promise<Store> {
  return new Store(await openTestDb(), randomBytes(32));
}

/** A URL to a fresh, empty PostgreSQL schema in the "server-pg" project; undefined for embedded storage. */
export async function testDatabaseUrl(): Promise<string | undefined> {
  const url = inject("databaseUrl");
  return url ? freshSchema(url) : undefined;
}

/** A new schema on the shared server, so files never see each other's rows. */
async function freshSchema(url: string): Promise<string> {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client(url);
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}
