// Regression: `npm start` once named a CLI command that does not exist. This runs exactly what the
// start script runs after its build step (on free ports) and waits for the URLs it must print.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

it("npm start's command starts the API, the demo site and the inbox, and prints their URLs", async () => {
  const start: string = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")).scripts.start;
  const command = start.split("&&").map((s) => s.trim()).find((s) => s.startsWith("node "))!;
  const [, script, ...args] = command.split(/\s+/);
  const dataDir = mkdtempSync(join(tmpdir(), "parley-start-"));
  const proc = spawn(process.execPath, [script!, ...args, "--port", "0", "--demo-port", "0"], {
    cwd: new URL("../../..", import.meta.url),
    env: { ...process.env, PARLEY_DATA_DIR: dataDir, DATABASE_URL: "" },
  });
  let printed = "";
  try {
    printed = await new Promise<string>((resolve, reject) => {
      let err = "";
      proc.stderr.on("data", (d: Buffer) => {
        err += d.toString();
        if (/Operator inbox: http:\/\/\S+\/inbox/.test(err)) resolve(err);
      });
      proc.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
  } finally {
    proc.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
  expect(printed).toMatch(/Parley API on http:\/\/127\.0\.0\.1:\d+/);
  expect(printed).toMatch(/Demo site: +http:\/\/127\.0\.0\.1:\d+\//);
});
