// Every setting a Parley process reads from its environment, with its default, in one place
// (the README's table lists the same). Reading them checks them: a bad value is one sentence.
import { resolve } from "node:path";
import { UserError } from "./secrets.ts";

export interface RateLimits {
  /** Requests a minute for one app, all visitors together: the last resort; 0 turns it off. */
  appPerMinute: number;
  /** Requests a minute for one visitor of one app; 0 turns the limit off. */
  visitorPerMinute: number;
  /** Requests a minute from one client address to one app (visitor ids are free to invent); 0 turns it off. */
  addressPerMinute: number;
}

/** How long a client may take to send its request. A long-poll's wait is the response: not limited here. */
export interface ClientTimeouts {
  headersMs: number;
  requestMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { appPerMinute: 6000, visitorPerMinute: 120, addressPerMinute: 600 };
export const DEFAULT_TIMEOUTS: ClientTimeouts = { headersMs: 10_000, requestMs: 20_000 };
export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024;
/** In the data folder: the operator API for the folder's owner (the file's permissions are its authentication). */
export const ADMIN_SOCKET = "parley.sock";

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
  /** `PORT`: the API's port when `--port` is not given. */
  port?: string;
  /** Adds `Server-Timing` to responses (the server benchmark reads it). */
  serverTiming: boolean;
}

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
    maxBodyBytes: count(env, "PARLEY_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
    timeouts: {
      headersMs: count(env, "PARLEY_HEADERS_TIMEOUT_MS", DEFAULT_TIMEOUTS.headersMs),
      requestMs: count(env, "PARLEY_REQUEST_TIMEOUT_MS", DEFAULT_TIMEOUTS.requestMs),
    },
    port: env.PORT || undefined,
    serverTiming: env.PARLEY_SERVER_TIMING === "1",
  };
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${name} must be a whole number of 0 or more, not "${text}".`);
  return n;
}

/** A port from a flag or `PORT`: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string | undefined, fallback: number, flag = "--port"): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`${flag} must be a whole number from 0 to 65535, not "${value}".`);
  return n;
}
