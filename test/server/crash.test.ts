// Nothing acknowledged is ever lost. Rounds of: serve; a stream of visitor messages (unique
// clientIds, each retried until answered, as the widget's outbox does) and CLI admin writes (apps
// and keys) while the server is SIGKILLed at a random moment; restart. After every restart, every
// message answered 200/201 and every app and key the CLI printed is there, exactly once, and the
// folder reopens. Runs the built server and CLI as real processes, on both storages.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { cli, startServer, type ServerProcess } from "../../scripts/server-process.js";
import { testDatabaseUrl } from "../support/database.ts";

const ROUNDS = 6;
const BIN = new URL("../../bin/parley.js", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "parley-crash-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** One CLI command, run without blocking the message stream; its printed JSON when it succeeded. */
function parley(args: string[], env: Record<string, string>): Promise<Record<string, unknown> | undefined> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  return new Promise((resolve) => child.on("exit", (code) => resolve(code === 0 ? JSON.parse(out) : undefined)));
}

it(`${ROUNDS} rounds of SIGKILL under load lose no acknowledged message, app or key`, async () => {
  const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: (await testDatabaseUrl()) ?? "", PARLEY_RATE_APP_PER_MIN: "0", PARLEY_RATE_VISITOR_PER_MIN: "0", PARLEY_RATE_ADDRESS_PER_MIN: "0" };
  const appId = cli(["app", "create", "--name", "crash"], env).appId as string;
  const visitorId = `v_crash_${randomBytes(6).toString("hex")}`;
  const acked = new Set<string>(); // clientIds answered 200/201
  const unanswered: string[] = []; // sent, no answer: the outbox sends them again
  const apps = new Set<string>();
  const keys = new Set<string>();
  let sent = 0;
  const figures: string[] = [];

  for (let round = 1; round <= ROUNDS; round++) {
    const server: ServerProcess = await startServer(env);
    // Everything acknowledged so far is there, once.
    await expectAllThere(server.url);
    let running = true;
    const post = async (clientId: string) => {
      try {
        const res = await fetch(`${server.url}/v1/apps/${appId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ visitorId, clientId, text: `m ${clientId}` }) });
        if (res.status === 200 || res.status === 201) return void acked.add(clientId);
        throw new Error(`status ${res.status}`);
      } catch {
        unanswered.push(clientId);
      }
    };
    const stream = async () => {
      while (running) {
        const retry = unanswered.shift();
        await post(retry ?? `c_${round}_${sent++}_${randomBytes(4).toString("hex")}`);
      }
    };
    const admin = async () => {
      while (running) {
        const app = await parley(["app", "create", "--name", `crash ${round}`], env);
        if (app) apps.add(app.appId as string);
        const key = await parley(["key", "create", "--app", appId], env);
        if (key) keys.add(key.keyId as string);
      }
    };
    const work = [stream(), stream(), stream(), admin()];
    // Killed at a random moment: once some work is acknowledged, after a random number of further acks.
    const target = acked.size + 5 + Math.floor(Math.random() * 60);
    while (acked.size < target) await new Promise((r) => setTimeout(r, 5));
    await server.stop("SIGKILL");
    running = false;
    await Promise.all(work);
    figures.push(`round ${round}: ${acked.size} messages acknowledged, ${apps.size} apps, ${keys.size} keys, ${unanswered.length} in flight at the kill`);
  }

  const last = await startServer(env);
  try {
    // What was in flight at the last kill is sent again, as the outbox would: stored once.
    for (const clientId of unanswered.splice(0)) {
      const res = await fetch(`${last.url}/v1/apps/${appId}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ visitorId, clientId, text: `m ${clientId}` }) });
      expect([200, 201]).toContain(res.status);
      acked.add(clientId);
    }
    await expectAllThere(last.url);
  } finally {
    await last.stop();
  }
  console.log(`crash test (${env.DATABASE_URL ? "PostgreSQL" : "embedded"}): ${figures.join("; ")}`);
  expect(acked.size).toBeGreaterThan(ROUNDS * 5);

  async function expectAllThere(url: string) {
    const stored: string[] = [];
    // Read page by page (a read returns at most 500 messages).
    for (let after: string | undefined; ; ) {
      const res = await fetch(`${url}/v1/apps/${appId}/conversation`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ visitorId, after }) });
      const page = ((await res.json()) as { messages: { id: string; clientId: string }[] }).messages;
      if (!page.length) break;
      stored.push(...page.map((m) => m.clientId));
      after = page.at(-1)!.id;
    }
    expect(new Set(stored).size, "no message stored twice").toBe(stored.length);
    expect([...acked].filter((id) => !stored.includes(id)), "acknowledged messages missing").toEqual([]);
    const listedApps = new Set((cli(["app", "list"], env).apps as { appId: string }[]).map((a) => a.appId));
    expect([...apps].filter((id) => !listedApps.has(id)), "printed apps missing").toEqual([]);
    const listedKeys = new Set((cli(["key", "list", "--app", appId], env).keys as { keyId: string }[]).map((k) => k.keyId));
    expect([...keys].filter((id) => !listedKeys.has(id)), "printed keys missing").toEqual([]);
  }
}, 300_000);
