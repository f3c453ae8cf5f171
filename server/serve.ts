// Runs the API as a real HTTP server, and stops it without dropping a request in flight.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { UserError } from "./secrets.ts";

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** How long a client may take to send its request. A long-poll's wait is the response: not limited here. */
export interface ClientTimeouts {
  headersMs: number;
  requestMs: number;
}
export const DEFAULT_TIMEOUTS: ClientTimeouts = { headersMs: 10_000, requestMs: 20_000 };

export function listen(app: Pick<Hono, "fetch">, port: number, hostname: string, timeouts = DEFAULT_TIMEOUTS): Promise<Running> {
  return new Promise((resolveListen, reject) => {
    const serverOptions = {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: 5_000,
      // How often Node looks for clients past those limits; its default (30 s) would let a slow
      // client hold a socket far longer than the limit says.
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
    };
    const server = serve({ fetch: app.fetch, port, hostname, serverOptions }, (info: AddressInfo) => {
      const host = hostname === "0.0.0.0" || hostname === "::" ? "localhost" : hostname;
      resolveListen({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            // close() waits for requests in flight; idle keep-alive sockets would hold it open.
            server.close(() => done());
            if ("closeIdleConnections" in server) server.closeIdleConnections();
          }),
      });
    });
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new UserError(`port ${port} is already in use (another parley serve?): stop it, or pick other ports with --port / --demo-port.`) : err),
    );
  });
}
