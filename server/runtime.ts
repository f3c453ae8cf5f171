// Opens what a process needs from its environment: storage (migrated) and the master key.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Db } from "./db/db.ts";
import { migrate } from "./db/migrations.ts";
import { DEFAULT_RATE_LIMITS, type RateLimits } from "./http/rate-limit.ts";
import { DEFAULT_TIMEOUTS, type ClientTimeouts } from "./serve.ts";
import { openEmbedded } from "./db/pglite.ts";
import { openPostgres } from "./db/postgres.ts";
import { loadMasterKey, UserError } from "./secrets.ts";
import { Store } from "./store.ts";

export interface Env {
  dataDir: string;
  databaseUrl?: string;
  masterKey?: string;
  adminToken?: string;
  limits: RateLimits;
  /** Addresses of the reverse proxies whose `X-Forwarded-For` names the client. */
  trustedProxies: string[];
  maxBodyBytes: number;
  timeouts: ClientTimeouts;
}

/** Every setting the server reads from its environment, with its default (see the README). */
export function readEnv(env = process.env): Env {
  return {
    dataDir: resolve(env.PARLEY_DATA_DIR || ".parley"),
    databaseUrl: env.DATABASE_URL || undefined,
    masterKey: env.PARLEY_MASTER_KEY || undefined,
    adminToken: env.PARLEY_ADMIN_TOKEN || undefined,
    limits: {
      appPerMinute: count(env, "PARLEY_RATE_APP_PER_MIN", DEFAULT_RATE_LIMITS.appPerMinute),
      visitorPerMinute: count(env, "PARLEY_RATE_VISITOR_PER_MIN", DEFAULT_RATE_LIMITS.visitorPerMinute),
      addressPerMinute: count(env, "PARLEY_RATE_ADDRESS_PER_MIN", DEFAULT_RATE_LIMITS.addressPerMinute),
    },
    trustedProxies: (env.PARLEY_TRUSTED_PROXIES ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean),
    maxBodyBytes: count(env, "PARLEY_MAX_BODY_BYTES", 32 * 1024),
    timeouts: {
      headersMs: count(env, "PARLEY_HEADERS_TIMEOUT_MS", DEFAULT_TIMEOUTS.headersMs),
      requestMs: count(env, "PARLEY_REQUEST_TIMEOUT_MS", DEFAULT_TIMEOUTS.requestMs),
    },
  };
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${name} must be a whole number of 0 or more, not "${text}".`);
  return n;
}

export async function openStore(env: Env): Promise<Store> {
  const masterKey = loadMasterKey(env.masterKey, env.dataDir);
  const db = await openDb(env);
  await migrate(db);
  return new Store(db, masterKey);
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
  privateFolder(env.dataDir);
  try {
    const db = await openEmbedded(join(env.dataDir, "db"));
    // PGlite writes its files 0666 whatever the umask: the folder (0700) already keeps others
    // out, and its files — an older release's with them — are tightened too, once opened.
    tighten(env.dataDir);
    return db;
  } catch (err) {
    throw new UserError(`Could not open embedded storage in ${env.dataDir} (is another parley process using it?): ${(err as Error).message}`);
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
  if (stat.isSymbolicLink()) return;
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
