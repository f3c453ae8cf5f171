// Opens storage for a process: the folder locked (embedded), the database migrated, the master
// key loaded. `close()` undoes it in order: the database first, then the lock.
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Env } from "../config.ts";
import type { Db } from "../db/db.ts";
import { migrate } from "../db/migrations.ts";
import { openEmbedded } from "../db/pglite.ts";
import { openPostgres } from "../db/postgres.ts";
import { loadMasterKey, UserError } from "../secrets.ts";
import { Store } from "../store.ts";
import { lockFolder, type FolderLock } from "./folder-lock.ts";

export interface OpenStore {
  store: Store;
  /** Whether this call created the data folder (a CLI says so). */
  created: boolean;
  close(): Promise<void>;
}

/**
 * `command` names the holder in the lock ("serve", "key create"), for the sentence a second
 * opener gets. Throws FolderHeld when a live process holds the folder: nothing is opened then.
 */
export async function openStore(env: Env, command: string): Promise<OpenStore> {
  const created = !existsSync(env.dataDir);
  const lock = env.databaseUrl ? undefined : (privateFolder(env.dataDir), lockFolder(env.dataDir, command));
  try {
    const masterKey = loadMasterKey(env.masterKey, env.dataDir);
    const db = await openDb(env);
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
    return { store: new Store(db, masterKey), created, close: () => closeAll(db, lock) };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

async function closeAll(db: Db, lock: FolderLock | undefined) {
  try {
    await db.close();
  } finally {
    lock?.release();
  }
}

async function openDb(env: Env): Promise<Db> {
  if (env.databaseUrl) {
    try {
      return await openPostgres(env.databaseUrl);
    } catch (err) {
      // The message of a failed connection can quote the URL; never print its password.
      throw new UserError(`Could not connect to DATABASE_URL (${redact(env.databaseUrl)}): ${(err as Error).message.replaceAll(env.databaseUrl, redact(env.databaseUrl))}`);
    }
  }
  try {
    const db = await openEmbedded(join(env.dataDir, "db"));
    // PGlite writes its files 0666 whatever the umask: the folder (0700) already keeps others
    // out, and its files — an older release's with them — are tightened too, once opened.
    tighten(env.dataDir);
    return db;
  } catch (err) {
    throw new UserError(`Could not open embedded storage in ${env.dataDir}: ${(err as Error).message}`);
  }
}

/**
 * The data folder holds every message and the encrypted keys (and, by default, the master key):
 * owner-only, whatever it was before, before anything opens it. The umask is narrowed for what
 * this process creates.
 */
function privateFolder(dir: string) {
  try {
    process.umask(0o077);
  } catch {
    /* not settable in a worker thread; tighten() still fixes what exists */
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Every file and folder below `path` owner-only (links are left alone: they may point anywhere). */
function tighten(path: string) {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink() || stat.isSocket()) return;
  if ((stat.mode & 0o077) !== 0) chmodSync(path, stat.isDirectory() ? 0o700 : 0o600);
  if (stat.isDirectory()) for (const name of readdirSync(path)) tighten(join(path, name));
}

/** The URL with any password masked, for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}
