// `npm run bench:server`: messages/s and latency of POST /messages over loopback, on embedded
// storage and on PostgreSQL, with no claim and with each proof, plus the share of request time
// spent verifying (from the server's own Server-Timing), and two processes on one PostgreSQL.
// Writes the table into BENCHMARKS.md. Needs `npm run build` first.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { startPostgres } from "../scripts/postgres.js";
import { cli, startServer } from "../scripts/server-process.js";

const DURATION = Number(process.env.BENCH_SECONDS || 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const USERS = 50;

const { createJwt, createToken, signPayload, userHash } = await import("../dist/server/index.js").catch(() => {
  throw new Error("run `npm run build` first");
});

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

/** One autocannon run; `timing` collects the server's verify and total durations. */
function load(url, appId, claims, timing) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: "POST",
        path: `/v1/apps/${appId}/messages`,
        headers: { "content-type": "application/json" },
        setupRequest: (req) => {
          // The same 50 visitors (one per user) in every row, so rows differ only by the claim.
          const i = Math.floor(Math.random() * claims.length);
          const body = { visitorId: `v_bench_visitor_${i}`, clientId: `c_${randomBytes(12).toString("hex")}`, text: "How do I export my data?", identity: claims[i] };
          return { ...req, body: JSON.stringify(body) };
        },
        onResponse: (status, _body, _ctx, headers) => {
          const h = headers?.["server-timing"] ?? (Array.isArray(headers) ? headers[headers.indexOf("server-timing") + 1] : undefined);
          const m = /verify;dur=([\d.]+), total;dur=([\d.]+)/.exec(String(h ?? ""));
          if (m) {
            timing.verify += Number(m[1]);
            timing.total += Number(m[2]);
          }
        },
      },
    ],
  });
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
function record(storage, processes, claim, results, timing) {
  const rps = results.reduce((s, r) => s + r.requests.average, 0);
  const errors = results.reduce((s, r) => s + r.non2xx + r.errors, 0);
  const row = {
    storage,
    processes,
    claim,
    rps: Math.round(rps),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    verify: timing.total ? ((100 * timing.verify) / timing.total).toFixed(1) + " %" : "n/a",
    errors,
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
        await load(server.url, appId, claims, { verify: 0, total: 0 }); // warm-up, not recorded
        const timing = { verify: 0, total: 0 };
        record(storage, 1, kind, [await load(server.url, appId, claims, timing)], timing);
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
          const timing = { verify: 0, total: 0 };
          record(storage, 2, kind, await Promise.all([load(a.url, appId, claims, timing), load(b.url, appId, claims, timing)]), timing);
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
  "| storage | processes | claim | messages/s | p50 ms | p99 ms | time verifying | errors |",
  "|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.storage} | ${r.processes} | ${r.claim} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.verify} | ${r.errors} |`),
].join("\n");
console.log("\n" + table);

const file = "BENCHMARKS.md";
const section = `<!-- server:begin -->\n## Server throughput\n\nCommand: \`npm run bench:server\` (${DURATION} s per row after a warm-up, ${CONNECTIONS} connections, autocannon over loopback, POST /messages from ${USERS} visitors, each with its own user's claim). Machine: ${readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU"}, 2 cores; the load generator and PostgreSQL share them. "time verifying" is the server's own measure (key lookup, decryption and proof check) over its total handling time.\n\nMeasured ${new Date().toISOString().slice(0, 10)}:\n\n${table}\n<!-- server:end -->`;
const old = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\nEvery figure here is written by the command named beside it; rerun it to refresh.\n";
writeFileSync(file, /<!-- server:begin -->[\s\S]*<!-- server:end -->/.test(old) ? old.replace(/<!-- server:begin -->[\s\S]*<!-- server:end -->/, section) : old.trimEnd() + "\n\n" + section + "\n");
console.log(`\nwrote ${file}`);
