// The server process's life, in order: lock the folder and open storage; serve HTTP and, for the
// folder's owner, the operator API on a Unix socket; on stop, answer long-polls with "come back
// later", finish every request in flight, close storage, release the lock.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_SOCKET, type Env } from "./config.ts";
import { createApi } from "./http/api.ts";
import { Notifier } from "./http/notifier.ts";
import { relayOverPostgres } from "./realtime/pg-relay.ts";
import { localOperator } from "./http/local-operator.ts";
import type { Logger } from "./log.ts";
import { listen, listenSocket } from "./serve.ts";
import type { Store } from "./store.ts";
import { openStore } from "./storage/open.ts";

/** Longest socket path Linux (108) and macOS (104) accept, with the terminating NUL. */
const MAX_SOCKET_PATH = 103;

export interface ServerOptions {
  env: Env;
  port: number;
  host: string;
  log: Logger;
  /** Where the built loader and widget are, to serve them; none: the API only. */
  distDir?: string;
}

export interface RunningServer {
  url: string;
  /** The admin socket, when storage is embedded (and the path is short enough to bind). */
  socketPath?: string;
  store: Store;
  /** Stops taking requests, answers those in flight, closes storage. Resolves once all is closed. */
  stop(): Promise<void>;
}

export async function startServer({ env, port, host, log, distDir }: ServerOptions): Promise<RunningServer> {
  const opened = await openStore(env, "serve");
  const stopping = new AbortController();
  const notifier = new Notifier();
  const closers: (() => Promise<void>)[] = [];
  const api = createApi({
    notifier,
    store: opened.store,
    log,
    adminToken: env.adminToken,
    distDir,
    limits: env.limits,
    trustedProxies: env.trustedProxies,
    maxBodyBytes: env.maxBodyBytes,
    stopping: stopping.signal,
    serverTiming: env.serverTiming,
  });
  let stopped: Promise<void> | undefined;
  try {
    // Other processes on the same PostgreSQL hear of this one's messages, and it of theirs.
    if (env.databaseUrl) closers.push((await relayOverPostgres(notifier, env.databaseUrl, log)).close);
    const http = await listen(api, port, host, env.timeouts);
    closers.push(http.close);
    let socketPath: string | undefined = join(env.dataDir, ADMIN_SOCKET);
    if (env.databaseUrl) socketPath = undefined;
    else if (socketPath.length > MAX_SOCKET_PATH) {
      log("warn", "admin socket not opened: the data folder's path is too long for a Unix socket; administer with --server and PARLEY_ADMIN_TOKEN", { dataDir: env.dataDir });
      socketPath = undefined;
    } else {
      const socket = await listenSocket((request, bindings) => api.fetch(request, { ...(bindings as object), ...localOperator() }), socketPath);
      closers.push(socket.close);
    }
    return {
      url: http.url,
      socketPath,
      store: opened.store,
      stop: () =>
        (stopped ??= (async () => {
          stopping.abort();
          log("info", "shutting down");
          await Promise.all(closers.map((close) => close()));
          await opened.close();
          log("info", "stopped");
        })()),
    };
  } catch (err) {
    await Promise.all(closers.map((close) => close()));
    await opened.close();
    throw err;
  }
}

/** dist/, where the built loader and widget are (this module is built into dist/server/…). */
export function builtAssets(): string | undefined {
  for (const up of ["../", "../../"]) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(dir, "loader.js"))) return dir;
  }
  return undefined;
}
