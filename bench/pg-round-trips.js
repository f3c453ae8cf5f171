// Counts round trips to PostgreSQL from the outside: a loopback proxy in front of the server that
// counts, in what clients send, each simple query ('Q') and each extended-protocol Sync ('S') —
// one per statement node-postgres runs, BEGIN and COMMIT included. Nothing in Parley is changed
// or instrumented to be counted.
import { connect, createServer } from "node:net";

/** @param {string} url a postgres:// URL; @returns {Promise<{ url: string, take(): number, close(): Promise<void> }>} */
export async function countingProxy(url) {
  const target = new URL(url);
  let count = 0;
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    for (const s of [client, upstream]) s.on("close", () => sockets.delete(s)).on("error", () => {});
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    upstream.pipe(client);
    // The startup message has no type byte; every message after it is a type byte and a length.
    let started = false;
    let pending = Buffer.alloc(0);
    client.on("data", (chunk) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const head = started ? 5 : 4;
        if (pending.length < head) break;
        const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) break;
        if (started && (pending[0] === 0x51 || pending[0] === 0x53)) count++;
        // An SSLRequest (8 bytes) is answered before the real startup message comes.
        if (!started && !(length === 8 && pending.readInt32BE(4) === 80877103)) started = true;
        pending = pending.subarray(length);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(server.address().port);
  return {
    url: proxied.toString(),
    take: () => {
      const n = count;
      count = 0;
      return n;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
