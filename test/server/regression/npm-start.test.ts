// Regression: `npm start` once named a CLI command that does not exist. This runs exactly what the
// start script runs after its build step (on free ports) and waits for the URLs it must print.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

it("npm start's command starts the API (its console included) and the demo site, and prints their URLs and how to sign in to the console", async () => {
  const start: string = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")).scripts.start;
  const command = start.split("&&").map((s) => s.trim()).find((s) => s.startsWith("node "))!;
  const [, script, ...args] = command.split(/\s+/);
  const dataDir = mkdtempSync(join(tmpdir(), "parley-start-"));
  const proc = spawn(process.execPath, [script!, ...args, "--port", "0", "--demo-port", "0"], {
    cwd: new URL("../../..", import.meta.url),
    env: { ...process.env, PARLEY_DATA_DIR: dataDir, DATABASE_URL: "", PARLEY_ADMIN_TOKEN: "" },
  });
  let printed = "";
  try {
    printed = await new Promise<string>((resolve, reject) => {
      let err = "";
      proc.stderr.on("data", (d: Buffer) => {
        err += d.toString();
        if (/sign in with the operator token .*\n/.test(err)) resolve(err);
      });
      proc.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
  } finally {
    proc.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
  expect(printed).toMatch(/Parley API on http:\/\/127\.0\.0\.1:\d+/);
  expect(printed).toMatch(/Demo site: +http:\/\/127\.0\.0\.1:\d+\//);
  expect(printed).toMatch(/Console: +http:\/\/127\.0\.0\.1:\d+\/console\n +sign in with the operator token \S+ \(made up for this run; set PARLEY_ADMIN_TOKEN to choose it\)\n/);
  // The demo's own inbox is gone: the console is the operator's.
  expect(printed).not.toMatch(/inbox/i);
});

it("a busy port makes npm start's command exit non-zero with one sentence (API port or demo port), never hang", async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
  const port = String((busy.address() as AddressInfo).port);
  const dataDir = mkdtempSync(join(tmpdir(), "parley-busy-"));
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const proc = spawn(process.execPath, ["dist/server/demo.js", ...args], { cwd: new URL("../../..", import.meta.url), env: { ...process.env, PARLEY_DATA_DIR: dataDir, DATABASE_URL: "" } });
      let stderr = "";
      proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      proc.once("exit", (code) => resolve({ code, stderr }));
    });
  try {
    const api = await run(["--port", port, "--demo-port", "0"]);
    expect(api).toEqual({ code: 2, stderr: `parley demo: port ${port} is already in use (another parley serve?): stop it, or pick another port with --port.\n` });
    const site = await run(["--port", "0", "--demo-port", port]);
    expect(site).toEqual({ code: 2, stderr: `parley demo: port ${port} is already in use (another parley serve?): stop it, or pick another port with --demo-port.\n` });
    // The API it had started was stopped: the folder is free again.
    expect(existsSync(join(dataDir, "parley.lock"))).toBe(false);
  } finally {
    busy.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
