// Runs the API as a real HTTP server, and stops it without dropping a request in flight.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function listen(app: Pick<Hono, "fetch">, port: number, hostname: string): Promise<Running> {
  return new Promise((resolveListen, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      // A slow client may not hold a connection: headers within 10 s, the whole request within 20 s.
      // (A long-poll's wait is the response, which these do not limit.)
      if ("headersTimeout" in server) {
        server.headersTimeout = 10_000;
        server.requestTimeout = 20_000;
        server.keepAliveTimeout = 5_000;
      }
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
      reject(err.code === "EADDRINUSE" ? new Error(`Port ${port} is already in use: pass --port to pick another.`) : err),
    );
  });
}
