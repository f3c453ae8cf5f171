// A slow client cannot hold the server: one that never finishes its headers is cut off, and
// everyone else is served meanwhile. Runs the built CLI as a real process.
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startServer } from "../../scripts/server-process.js";
import { testDatabaseUrl } from "../support/database.ts";

it("cuts off a client that never finishes its request, while serving others", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-slow-"));
  const server = await startServer({ PARLEY_DATA_DIR: dataDir, DATABASE_URL: (await testDatabaseUrl()) ?? "", PARLEY_HEADERS_TIMEOUT_MS: "1000", PARLEY_REQUEST_TIMEOUT_MS: "1500" });
  try {
    const { port, hostname } = new URL(server.url);
    const slow = connect(Number(port), hostname);
    const closed = new Promise<string>((resolve) => {
      let answer = "";
      slow.on("data", (d) => (answer += d.toString()));
      slow.on("close", () => resolve(answer));
    });
    await new Promise((r) => slow.once("connect", r));
    slow.write("POST /v1/apps/app_x/messages HTTP/1.1\r\nHost: x\r\n"); // …and never the rest

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // The server gives up on the slow client on its own (408), without any help from this side.
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
