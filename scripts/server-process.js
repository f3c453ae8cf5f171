// Runs the built `parley` CLI as a real child process, the way an operator runs it.
// Shared by the tests and the benchmarks (plain JS so both can load it).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/parley.js", import.meta.url));
const BUILT = fileURLToPath(new URL("../dist/server/cli.js", import.meta.url));
const DEMO = fileURLToPath(new URL("../dist/server/demo.js", import.meta.url));

function assertBuilt() {
  if (!existsSync(BUILT)) throw new Error("dist/server/cli.js is missing: run `npm run build` first (npm test does)");
}

/**
 * Runs one CLI command to completion and parses its JSON output.
 * @param {string[]} args
 * @param {Record<string, string>} env
 */
export function cli(args, env) {
  assertBuilt();
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`parley ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * @typedef {{ url: string, siteUrl?: string, proc: import("node:child_process").ChildProcess, logs: () => string[], stop: (signal?: NodeJS.Signals) => Promise<number | null> }} ServerProcess
 */

/**
 * Starts `parley serve` on a free port and resolves once it is listening. With "--demo" among the
 * args, starts what `npm start` runs instead: the server and the demo site beside it.
 * @param {Record<string, string>} env
 * @param {string[]} [args]
 * @returns {Promise<ServerProcess>}
 */
export function startServer(env, args = []) {
  assertBuilt();
  const demo = args.includes("--demo");
  const argv = demo ? [DEMO, "--port", "0", ...args.filter((a) => a !== "--demo")] : [BIN, "serve", "--port", "0", ...args];
  const proc = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  /** @type {string[]} */
  const out = [];
  let partial = "";
  proc.stdout.on("data", (chunk) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    // Keep the log bounded: a benchmark writes a line per request.
    out.push(...lines.slice(-1000));
    if (out.length > 2000) out.splice(0, out.length - 1000);
  });
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let err = "";
    proc.stderr.on("data", (chunk) => {
      err += chunk.toString();
      const api = /Parley API on (http:\/\/\S+)/.exec(err);
      const site = /Demo site: +(http:\/\/[^\s/]+)/.exec(err);
      if (api && (site || !demo)) {
        resolve({ url: api[1], siteUrl: site?.[1], proc, logs: () => out, stop: (signal = "SIGTERM") => (proc.kill(signal), exited) });
      }
    });
    void exited.then((code) => reject(new Error(`parley serve exited ${code} before listening: ${err}`)));
  });
}
