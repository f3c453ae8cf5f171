// SIGTERM: the server stops taking connections, answers long-polls with "come back later" (503 and
// Retry-After, which the widget honours), finishes every request in flight, loses no message, and
// leaves the data folder free. Runs the built CLI as a real process, on both storages.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cli, startServer } from "../../scripts/server-process.js";
import { testDatabaseUrl } from "../support/database.ts";

let env: Record<string, string>;
let appId: string;
const dirs: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-shutdown-"));
  dirs.push(dataDir);
  env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: (await testDatabaseUrl()) ?? "", PARLEY_RATE_APP_PER_MIN: "0", PARLEY_RATE_VISITOR_PER_MIN: "0" };
  appId = (cli(["app", "create", "--name", "shutdown"], env) as { appId: string }).appId;
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const body = (visitorId: string, clientId: string) => JSON.stringify({ visitorId, clientId, text: `message ${clientId}` });

it("SIGTERM finishes requests in flight and loses no message", async () => {
  const server = await startServer(env);
  const visitorId = `v_${randomBytes(8).toString("hex")}`;
  const clientIds = Array.from({ length: 40 }, (_, i) => `c_${i}_${randomBytes(6).toString("hex")}`);
  const post = (base: string, clientId: string) =>
    fetch(`${base}/v1/apps/${appId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: body(visitorId, clientId) }).then(
      (r) => r.status,
      () => "refused" as const,
    );
  // A long-poll waiting for replies, which shutdown must answer rather than wait out.
  const poll = fetch(`${server.url}/v1/apps/${appId}/conversation`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ visitorId: "v_listener_1", wait: 30 }),
  }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.json() }));

  const sends = clientIds.map((id) => post(server.url, id));
  await sends[0];
  const code = await server.stop("SIGTERM");
  const statuses = await Promise.all(sends);

  expect(code).toBe(0);
  expect(await poll).toEqual({ status: 503, retryAfter: "5", body: { error: { code: "shutting_down", message: "The server is restarting; try again in 5 seconds." } } });
  // The folder is free for the next process: no lock, no socket left behind.
  if (!env.DATABASE_URL) expect([existsSync(join(env.PARLEY_DATA_DIR!, "parley.lock")), existsSync(join(env.PARLEY_DATA_DIR!, "parley.sock"))]).toEqual([false, false]);
  // Each request either completed (201), or was told to come back (503), or was never accepted
  // (refused): in the last two cases a client retries.
  for (const s of statuses) expect([201, 503, "refused"]).toContain(s);
  expect(server.logs().some((l) => l.includes('"stopped"'))).toBe(true);

  // After a restart, the widget's retries of whatever was refused land once; nothing is lost.
  const again = await startServer(env);
  try {
    const retried = await Promise.all(clientIds.map((id) => post(again.url, id)));
    for (const [i, s] of retried.entries()) expect(s).toBe(statuses[i] === 201 ? 200 : 201);
    const res = await fetch(`${again.url}/v1/apps/${appId}/conversation`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ visitorId }) });
    const { messages } = (await res.json()) as { messages: { clientId: string }[] };
    expect(messages.map((m) => m.clientId).sort()).toEqual([...clientIds].sort());
  } finally {
    await again.stop();
  }
});
