// Runs the API as a real HTTP server — on a TCP port, or on a Unix socket for the folder's owner —
// and stops it without dropping a request in flight.
import { chmodSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import { DEFAULT_TIMEOUTS, type ClientTimeouts } from "./config.ts";
import { UserError } from "./secrets.ts";

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Fetch = Pick<Hono, "fetch">["fetch"];

/** `flag`: the option that picks this port, for the sentence when the port is taken. */
export async function listen(app: Pick<Hono, "fetch">, port: number, hostname: string, timeouts = DEFAULT_TIMEOUTS, flag = "--port"): Promise<Running> {
  const server = createServer(app.fetch, timeouts);
  await new Promise<void>((done, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new UserError(`port ${port} is already in use (another parley serve?): stop it, or pick another port with ${flag}.`) : err),
    );
    server.listen(port, hostname, () => done());
  });
  const info = server.address() as AddressInfo;
  const host = hostname === "0.0.0.0" || hostname === "::" ? "localhost" : hostname;
  return { url: `http://${host.includes(":") ? `[${host}]` : host}:${info.port}`, port: info.port, close: () => closeServer(server) };
}

/**
 * Listens on a Unix socket at `path`, readable and writable by this user only. The caller holds
 * the folder's lock, so whatever file is at `path` is a dead process's socket: it is replaced.
 */
export async function listenSocket(fetch: Fetch, path: string): Promise<{ close(): Promise<void> }> {
  const server = createServer(fetch, DEFAULT_TIMEOUTS);
  rmSync(path, { force: true });
  await new Promise<void>((done, reject) => {
    server.once("error", reject);
    server.listen(path, () => done());
  });
  chmodSync(path, 0o600);
  return {
    close: async () => {
      await closeServer(server);
      rmSync(path, { force: true });
    },
  };
}

function createServer(fetch: Fetch, timeouts: ClientTimeouts): Server {
  return createAdaptorServer({
    fetch,
    serverOptions: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: 5_000,
      // How often Node looks for clients past those limits; its default (30 s) would let a slow
      // client hold a socket far longer than the limit says.
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
    },
  }) as Server;
}

/**
 * Stops taking connections and resolves once every request in flight is answered. Idle keep-alive
 * sockets would hold close() open, and a socket goes idle only once its answer is out: they are
 * closed as they go idle, not only at the start.
 */
function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(sweep);
      done();
    });
    server.closeIdleConnections();
  });
}
