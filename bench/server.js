// `npm run bench:server`: messages/s and latency of POST /messages over loopback, on embedded
// storage and on PostgreSQL, with no claim and with each proof, plus what verifying costs (µs
// per verification in-process, and the server's own Server-Timing), and two processes on one PostgreSQL.
// Writes the table into BENCHMARKS.md. Needs `npm run build` first.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startPostgres } from "../scripts/postgres.js";
import { cli, startServer } from "../scripts/server-process.js";
import { writeSection } from "./report.js";

const DURATION = Number(process.env.BENCH_SECONDS || 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const USERS = 50;

const { createJwt, createToken, signPayload, userHash } = await import("../dist/server/index.js");
const { verifyClaim } = await import("../dist/server/verify.js");

async function claimsFor(kind, secret, appId) {
  const out = [];
  for (let i = 0; i < USERS; i++) {
    const id = `u_bench_${i}`;
    if (kind === "none") out.push(undefined);
    if (kind === "hash") out.push({ userId: id, userHash: userHash(secret, id) });
    if (kind === "payload") out.push(signPayload(secret, { id, plan: "pro" }));
    if (kind === "token") out.push({ token: createToken(secret, { sub: id, app: appId }) });
    if (kind === "jwt") out.push({ token: await createJwt(secret, { sub: id, app: appId }) });
  }
  return out;
}

/** One load run from a child process (bench/load.js). */
function load(url, appId, claims) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL("./load.js", import.meta.url))], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`))));
    child.stdin.end(JSON.stringify({ url, appId, claims: claims.map((c) => c ?? null), connections: CONNECTIONS, duration: DURATION }));
  });
}

/** Microseconds per verification, sequential and in-process: the CPU a claim costs. */
async function verifyMicros(kind, claims, appId, secret) {
  if (kind === "none") return 0;
  const ctx = { appId, mode: "required", keys: [{ id: "k", secret, revoked: false }], now: Math.floor(Date.now() / 1000) };
  for (let i = 0; i < 200; i++) await verifyClaim(claims[i % claims.length], ctx);
  const n = 3000;
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const v = await verifyClaim(claims[i % claims.length], ctx);
    if (v.status !== "verified") throw new Error(`bench claim not verified: ${JSON.stringify(v)}`);
  }
  return ((performance.now() - t) * 1000) / n;
}

async function setup(storage, pgUrl) {
  const env = {
    PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), "parley-bench-")),
    DATABASE_URL: storage === "postgres" ? pgUrl : "",
    PARLEY_MASTER_KEY: randomBytes(32).toString("hex"),
    PARLEY_RATE_APP_PER_MIN: "0",
    PARLEY_RATE_VISITOR_PER_MIN: "0",
    PARLEY_SERVER_TIMING: "1",
  };
  const { appId } = cli(["app", "create", "--name", "bench"], env);
  const { secret } = cli(["key", "create", "--app", appId], env);
  return { env, appId, secret };
}

const rows = [];
function record(storage, processes, claim, results, micros) {
  const rps = results.reduce((s, r) => s + r.rps, 0);
  const verify = results.reduce((s, r) => s + r.timing.verify, 0);
  const total = results.reduce((s, r) => s + r.timing.total, 0);
  const row = {
    storage,
    processes,
    claim,
    rps: Math.round(rps),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    micros: micros.toFixed(1),
    // Each process is one thread: at `rps / processes` messages a second, this share of its time verifies.
    cpu: ((100 * micros * (rps / processes)) / 1e6).toFixed(1) + " %",
    wall: total ? ((100 * verify) / total).toFixed(1) + " %" : "n/a",
    errors: results.reduce((s, r) => s + r.errors, 0),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}

const pg = await startPostgres();
try {
  for (const storage of ["embedded", "postgres"]) {
    const { env, appId, secret } = await setup(storage, pg.url);
    const server = await startServer(env);
    try {
      for (const kind of ["none", "hash", "payload", "token", "jwt"]) {
        const claims = await claimsFor(kind, secret, appId);
        await load(server.url, appId, claims); // warm-up, not recorded
        record(storage, 1, kind, [await load(server.url, appId, claims)], await verifyMicros(kind, claims, appId, secret));
      }
    } finally {
      await server.stop();
    }
    if (storage === "postgres") {
      // A second process on the same PostgreSQL: does throughput grow?
      const a = await startServer(env);
      const b = await startServer(env);
      try {
        for (const kind of ["none", "hash"]) {
          const claims = await claimsFor(kind, secret, appId);
          await Promise.all([load(a.url, appId, claims), load(b.url, appId, claims)]); // warm-up
          record(storage, 2, kind, await Promise.all([load(a.url, appId, claims), load(b.url, appId, claims)]), await verifyMicros(kind, claims, appId, secret));
        }
      } finally {
        await a.stop();
        await b.stop();
      }
    }
  }
} finally {
  pg.stop();
}

const table = [
  "| storage | processes | claim | messages/s | p50 ms | p99 ms | µs per verification | verifying, share of CPU | verifying, share of wall time | errors |",
  "|---|---|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.storage} | ${r.processes} | ${r.claim} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.micros} | ${r.cpu} | ${r.wall} | ${r.errors} |`),
].join("\n");
console.log("\n" + table);

writeSection("server", `## Server throughput\n\nCommand: \`npm run bench:server\` (${DURATION} s per row after a warm-up, ${CONNECTIONS} connections, autocannon over loopback, POST /messages from ${USERS} visitors, each with its own user's claim). Machine: ${readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU"}, 2 cores; the load generator and PostgreSQL share them. "µs per verification" is \`verifyClaim\` alone, sequential, in the bench process; "share of CPU" is that cost at the row's throughput over one process's single thread — the cost the 5 % target is about. "share of wall time" is the server's own Server-Timing (decrypting keys and checking the proof, over the request's handling time); for the JWT it also counts time the awaited WebCrypto call spends queued behind other requests on the event loop, so it overstates the cost there.\n\nMeasured ${new Date().toISOString().slice(0, 10)}:\n\n${table}`);
