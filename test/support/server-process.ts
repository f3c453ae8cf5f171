// Runs the built `parley` CLI as a real child process, the way an operator runs it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/parley.js", import.meta.url));
const BUILT = fileURLToPath(new URL("../../dist/server/cli.js", import.meta.url));

function assertBuilt() {
  if (!existsSync(BUILT)) throw new Error("dist/server/cli.js is missing: run `npm run build` first (npm test does)");
}

/** Runs one CLI command to completion and parses its JSON output. */
export function cli<T = Record<string, unknown>>(args: string[], env: NodeJS.ProcessEnv): T {
  assertBuilt();
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`parley ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export interface ServerProcess {
  url: string;
  /** The demo site's URL, when started with --demo. */
  siteUrl?: string;
  proc: ChildProcess;
  /** Everything the process printed on stdout (its JSON log lines). */
  logs: () => string[];
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `parley serve` on a free port and resolves once it is listening. */
export function startServer(env: NodeJS.ProcessEnv, args: string[] = []): Promise<ServerProcess> {
  assertBuilt();
  const proc = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out: string[] = [];
  let partial = "";
  proc.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop()!;
    out.push(...lines);
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let err = "";
    proc.stderr!.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      const m = /Parley API on (http:\/\/\S+)/.exec(err);
      const demo = /Demo site: +(http:\/\/[^\s/]+)/.exec(err);
      if (m && (demo || !args.includes("--demo"))) {
        resolve({ url: m[1]!, siteUrl: demo?.[1], proc, logs: () => out, stop: (signal = "SIGTERM") => (proc.kill(signal), exited) });
      }
    });
    void exited.then((code) => reject(new Error(`parley serve exited ${code} before listening: ${err}`)));
  });
}
