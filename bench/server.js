// `npm run bench:server`: Parley's CPU per message against a minimal server floor (Hono + zod + one
// INSERT: bench/server-floor.js) on the same storage, embedded (PGlite) and PostgreSQL, with
// Parley's rate limits on as shipped. Interleaved rounds of autocannon over loopback (POST
// /messages from 50 visitors, each with its own user's claim); CPU per message is the server
// process's CPU time (/proc) over the messages it stored, plus on PostgreSQL the whole cluster's.
// Also: PGlite's share of the embedded servers' CPU (V8 profile), round trips to PostgreSQL per
// request counted by a proxy, what verifying a claim costs, and PostgreSQL's and PGlite's settings.
// BENCH_BASELINE=<another checkout, built> measures that Parley beside this one (before/after).
// Writes the tables into BENCHMARKS.md. Needs `npm run build` first (the npm script does it).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startPostgres } from "../scripts/postgres.js";
import { clusterDelta, clusterMicros, pgliteShare, processMicros } from "./cpu.js";
import { countingProxy } from "./pg-round-trips.js";
import { scratch, writeSection } from "./report.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const DURATION = Number(process.env.BENCH_SECONDS || 4);
const WARMUP = 2;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const USERS = 50;
/** BENCH_CLAIMS and BENCH_STORAGES (comma-separated) narrow a run, for trying a change; the report is of a full run. */
const CLAIMS = process.env.BENCH_CLAIMS?.split(",") ?? ["none", "hash", "payload", "token", "jwt"];
const STORAGES = process.env.BENCH_STORAGES?.split(",") ?? ["embedded", "postgres"];
const NARROWED = Boolean(process.env.BENCH_CLAIMS || process.env.BENCH_STORAGES);
/** The claim of the profiled Parley runs. */
const PROFILED = CLAIMS.includes("hash") ? "hash" : CLAIMS[0];
/** Limits on as shipped — every counter counted on every request — but too high for this load to meet. */
const UNMET_LIMIT = "1000000000";
/** Settings that change what a write costs, disclosed for both engines. */
const SETTINGS = ["fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers", "max_connections", "work_mem", "checkpoint_timeout", "max_wal_size", "jit"];
const HERE = fileURLToPath(new URL("..", import.meta.url));
const BASELINE = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : undefined;
const baselineCommit = BASELINE ? execFileSync("git", ["-C", BASELINE, "rev-parse", "--short", "HEAD"]).toString().trim() : undefined;

// The whole run measures one build, copied aside: a rebuild of dist/ meanwhile (a test run in this
// checkout does one) can neither change it nor break it.
const BUILD = scratch("parley-bench-build-");
for (const path of ["bin", "dist", "package.json"]) cpSync(join(HERE, path), join(BUILD, path), { recursive: true });
symlinkSync(join(HERE, "node_modules"), join(BUILD, "node_modules"));

const { createJwt, createToken, signPayload, userHash } = await import(join(BUILD, "dist/server/index.js"));
const { verifyClaim } = await import(join(BUILD, "dist/server/verify.js"));

// ---- servers ---------------------------------------------------------------------------------

/** Starts a server process (`flags` for node itself) and resolves once it prints its URL. */
function spawnServer(argv, env, pattern, flags = []) {
  const proc = spawn(process.execPath, [...flags, ...argv], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise((done) => proc.once("exit", done));
  return new Promise((done, fail) => {
    let err = "";
    proc.stderr.on("data", (chunk) => {
      err += chunk;
      const url = pattern.exec(err)?.[1];
      if (url) done({ url, pid: proc.pid, stop: () => (proc.kill("SIGTERM"), exited) });
    });
    void exited.then((code) => fail(new Error(`${argv.join(" ")} exited ${code} before listening: ${err}`)));
  });
}

const parleyAt = (root) => ({
  cli(args, env) {
    const r = spawnSync(process.execPath, [join(root, "bin/parley.js"), ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`parley ${args.join(" ")} (${root}) exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  },
  start: (env, extra = {}, flags = []) => spawnServer([join(root, "bin/parley.js"), "serve", "--port", "0"], { ...env, ...extra }, /Parley API on (http:\/\/\S+)/, flags),
});

/** A Parley to measure: its data (an app, a key of each kind) and how to start it. */
function parleySetup(root, storage, databaseUrl) {
  const parley = parleyAt(root);
  const env = {
    PARLEY_DATA_DIR: scratch("parley-bench-"),
    DATABASE_URL: storage === "postgres" ? databaseUrl : "",
    PARLEY_MASTER_KEY: randomBytes(32).toString("hex"),
    PARLEY_RATE_APP_PER_MIN: UNMET_LIMIT,
    PARLEY_RATE_VISITOR_PER_MIN: UNMET_LIMIT,
    PARLEY_RATE_ADDRESS_PER_MIN: UNMET_LIMIT,
  };
  const { appId } = parley.cli(["app", "create", "--name", "bench"], env);
  const secrets = Object.fromEntries(["hash", "payload", "token"].map((proof) => [proof, parley.cli(["key", "create", "--app", appId, "--proof", proof], env).secret]));
  return { appId, secrets, env, start: (extra, flags) => parley.start(env, extra, flags) };
}

const startFloor = (storage, databaseUrl, extra = {}, flags = []) =>
  spawnServer(
    [join(HERE, "bench/server-floor.js"), scratch("parley-floor-")],
    { DATABASE_URL: storage === "postgres" ? databaseUrl : "", ...extra },
    /Floor on (http:\/\/\S+)/,
    flags,
  );

async function claimsFor(kind, secrets, appId) {
  const out = [];
  for (let i = 0; i < USERS; i++) {
    const id = `u_bench_${i}`;
    if (kind === "none") out.push(undefined);
    if (kind === "hash") out.push({ userId: id, userHash: userHash(secrets.hash, id) });
    if (kind === "payload") out.push(signPayload(secrets.payload, { id, plan: "pro" }));
    if (kind === "token") out.push({ token: createToken(secrets.token, { sub: id, app: appId }) });
    if (kind === "jwt") out.push({ token: await createJwt(secrets.token, { sub: id, app: appId }) });
  }
  return out;
}

// ---- measuring -------------------------------------------------------------------------------

/** One load run from a child process (bench/load.js). */
function load(url, appId, claims, duration, visitors = "bench") {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL("./load.js", import.meta.url))], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("exit", (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`load generator exited ${code}`))));
    child.stdin.end(JSON.stringify({ url, appId, claims: claims.map((c) => c ?? null), connections: CONNECTIONS, duration, visitors }));
  });
}

/** One sample: load for DURATION seconds, and the CPU the server (and the cluster) spent on it, per message stored. */
async function sample(target, postmaster) {
  const server = processMicros(target.server.pid);
  const cluster = postmaster ? clusterMicros(postmaster) : undefined;
  const r = await load(target.server.url, target.appId, target.claims, DURATION, target.claim);
  const serverUs = (processMicros(target.server.pid) - server) / r.ok;
  const storageUs = cluster ? clusterDelta(cluster, clusterMicros(postmaster)) / r.ok : 0;
  return { rps: r.ok / r.seconds, serverUs, storageUs, totalUs: serverUs + storageUs, p50: r.p50, p99: r.p99, errors: r.errors };
}

/** Microseconds per verification, sequential and in-process: the CPU a claim costs. */
async function verifyMicros(kind, claims, appId, secrets) {
  if (kind === "none") return 0;
  const keys = ["hash", "payload", "token"].map((proof) => ({ id: proof, proof, secret: secrets[proof], revoked: false }));
  const ctx = { appId, mode: "required", keys, now: Math.floor(Date.now() / 1000) };
  for (let i = 0; i < 200; i++) await verifyClaim(claims[i % claims.length], ctx);
  const n = 3000;
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const v = await verifyClaim(claims[i % claims.length], ctx);
    if (v.status !== "verified") throw new Error(`bench claim not verified: ${JSON.stringify(v)}`);
  }
  return ((performance.now() - t) * 1000) / n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs, digits = 0) => `${Math.min(...xs).toFixed(digits)} / **${median(xs).toFixed(digits)}** / ${Math.max(...xs).toFixed(digits)}`;

// ---- the run ---------------------------------------------------------------------------------

const conditions = { loadBefore: loadavg()[0].toFixed(2), started: new Date().toISOString() };
const pgServer = await startPostgres();
const rows = [];
const shares = [];
const trips = [];
const verifying = [];
let pgSettings = [];
let pgliteSettings = [];
try {
  const client = new pg.Client(pgServer.url);
  await client.connect();
  const postmaster = Number(readFileSync(`/proc/${(await client.query("SELECT pg_backend_pid() AS pid")).rows[0].pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
  pgSettings = (await client.query(`SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1) ORDER BY name`, [SETTINGS])).rows;
  conditions.version = (await client.query("SHOW server_version")).rows[0].server_version;
  // Each Parley its own database: the baseline must not run on this one's schema.
  for (const name of ["parley", "baseline"]) await client.query(`CREATE DATABASE ${name}`);
  const database = (name) => Object.assign(new URL(pgServer.url), { pathname: `/${name}` }).toString();
  await client.end();
  pgliteSettings = await pgliteSettingsList();

  for (const storage of STORAGES) {
    const cluster = storage === "postgres" ? postmaster : undefined;
    const current = parleySetup(BUILD, storage, database("parley"));
    const before = BASELINE ? parleySetup(BASELINE, storage, database("baseline")) : undefined;
    const servers = { floor: await startFloor(storage, pgServer.url), parley: await current.start(), before: await before?.start() };
    const targets = [{ server: "floor", claim: "none", appId: "app_floor", claims: Array(USERS).fill(undefined) }];
    for (const claim of CLAIMS) targets.push({ server: "parley", claim, appId: current.appId, claims: await claimsFor(claim, current.secrets, current.appId) });
    if (before) for (const claim of CLAIMS.filter((c) => c === "none" || c === "hash")) targets.push({ server: "before", claim, appId: before.appId, claims: await claimsFor(claim, before.secrets, before.appId) });
    for (const t of targets) t.server = Object.assign(servers[t.server], { name: t.server });
    try {
      for (const t of targets) await load(t.server.url, t.appId, t.claims, WARMUP, t.claim);
      const samples = new Map(targets.map((t) => [t, []]));
      // Interleaved: noise from the machine falls on every row alike, and each round has its own floor.
      for (let round = 1; round <= ROUNDS; round++) {
        for (const t of targets) {
          const s = await sample(t, cluster);
          samples.get(t).push(s);
          console.log(JSON.stringify({ storage, round, server: t.server.name, claim: t.claim, ...s }));
        }
      }
      const floor = samples.get(targets[0]);
      for (const t of targets) {
        const s = samples.get(t);
        rows.push({
          storage,
          server: t.server.name,
          claim: t.claim,
          rps: median(s.map((x) => x.rps)),
          server_: s.map((x) => x.serverUs),
          storage_: s.map((x) => x.storageUs),
          total: s.map((x) => x.totalUs),
          ratio: s.map((x, i) => x.totalUs / floor[i].totalUs),
          p50: median(s.map((x) => x.p50)),
          p99: median(s.map((x) => x.p99)),
          errors: s.reduce((n, x) => n + x.errors, 0),
        });
        if (t.server.name === "parley" && storage === "embedded") verifying.push({ claim: t.claim, micros: await verifyMicros(t.claim, t.claims, current.appId, current.secrets), cpu: median(s.map((x) => x.totalUs)) });
      }
    } finally {
      await Promise.all(Object.values(servers).map((s) => s?.stop()));
    }

    if (storage === "embedded") {
      // Where the embedded servers' CPU goes: PGlite runs in their own thread. One profiled run each.
      for (const [name, start, claim, setup] of [
        ["floor", (extra, flags) => startFloor(storage, pgServer.url, extra, flags), "none", undefined],
        ["parley", current.start, PROFILED, current],
        ...(before ? [["before", before.start, PROFILED, before]] : []),
      ]) {
        const dir = scratch("parley-profile-");
        const server = await start({}, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
        const claims = setup ? await claimsFor(claim, setup.secrets, setup.appId) : Array(USERS).fill(undefined);
        await load(server.url, setup?.appId ?? "app_floor", claims, DURATION, claim);
        await server.stop();
        const profile = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
        const share = pgliteShare(join(dir, profile));
        const cpu = median(rows.find((r) => r.storage === storage && r.server === name && r.claim === claim).total);
        shares.push({ server: name, claim, share, storageUs: share * cpu });
        console.log(JSON.stringify({ profile: name, claim, share }));
      }
    } else {
      // Round trips to PostgreSQL per request, counted by a proxy in front of it.
      for (const [name, setup] of [["floor"], ["parley", current], ...(before ? [["before", before]] : [])]) {
        const proxy = await countingProxy(setup?.env.DATABASE_URL ?? pgServer.url);
        try {
          const server = setup ? await setup.start({ DATABASE_URL: proxy.url }) : await startFloor(storage, proxy.url);
          try {
            trips.push({ server: name, ...(await roundTrips(server.url, setup, proxy)) });
            console.log(JSON.stringify(trips.at(-1)));
          } finally {
            await server.stop();
          }
        } finally {
          await proxy.close();
        }
      }
    }
  }
} finally {
  pgServer.stop();
}
conditions.loadAfter = loadavg()[0].toFixed(2);

/** Round trips per anonymous message, per verified message, per read, and in an idle long-poll. */
async function roundTrips(url, setup, proxy) {
  const appId = setup?.appId ?? "app_floor";
  const post = (path, body) => fetch(`${url}/v1/apps/${appId}/${path}`, { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8" }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const message = (visitorId, identity) => post("messages", { visitorId, clientId: `c_${randomBytes(9).toString("hex")}`, text: "counted", identity });
  const N = 50;
  const per = async (run) => {
    proxy.take();
    for (let i = 0; i < N; i++) {
      const r = await run(i);
      if (r.status >= 300) throw new Error(`round-trip count: ${r.status} ${JSON.stringify(r.body)}`);
    }
    return proxy.take() / N;
  };
  await message("v_warm_up_visitor"); // the first request may read what later ones do not
  const out = { anonymous: await per((i) => message(`v_trips_anon_${i}`)) };
  if (!setup) return out;
  const user = (i) => ({ userId: `u_trips_${i}`, userHash: userHash(setup.secrets.hash, `u_trips_${i}`) });
  out.verified = await per((i) => message(`v_trips_user_${i}`, user(i)));
  out.read = await per((i) => post("conversation", { visitorId: `v_trips_anon_${i}` }));
  // A long-poll on a quiet conversation, for 12 s.
  const last = (await post("conversation", { visitorId: "v_trips_anon_0" })).body.messages.at(-1).id;
  proxy.take();
  await post("conversation", { visitorId: "v_trips_anon_0", after: last, wait: 12 });
  out.idle = proxy.take();
  return out;
}

async function pgliteSettingsList() {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = new PGlite(scratch("parley-pglite-settings-"));
  try {
    return (await db.query(`SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1) ORDER BY name`, [SETTINGS])).rows;
  } finally {
    await db.close();
  }
}

// ---- the report ------------------------------------------------------------------------------

const label = (r) => (r.server === "floor" ? "floor" : r.server === "before" ? `Parley before (${baselineCommit})` : "Parley");
const cpuTable = [
  "| storage | server | claim | messages/s | server process µs/msg | PostgreSQL µs/msg | total CPU µs/msg | × floor | p50 / p99 ms | errors |",
  "|---|---|---|---|---|---|---|---|---|---|",
  ...rows.map(
    (r) =>
      `| ${r.storage} | ${label(r)} | ${r.claim} | ${Math.round(r.rps)} | ${spread(r.server_)} | ${r.storage === "postgres" ? spread(r.storage_) : "—"} | ${spread(r.total)} | ${r.server === "floor" ? "1" : spread(r.ratio, 2)} | ${r.p50} / ${r.p99} | ${r.errors} |`,
  ),
].join("\n");
/** Issue 14's target: Parley's CPU per message at most this many times the floor's, on each storage. */
const TARGET = 2.5;
const verdicts = STORAGES.map((storage) => {
  const ours = rows.filter((r) => r.storage === storage && r.server === "parley");
  const met = ours.filter((r) => median(r.ratio) <= TARGET);
  const list = ours.map((r) => `${r.claim} ${median(r.ratio).toFixed(2)}×`).join(", ");
  return `${storage === "postgres" ? "PostgreSQL" : "embedded"}: ${met.length === ours.length ? "met" : met.length ? `met by ${met.map((r) => r.claim).join(", ")} only` : "not met"} (median × floor: ${list})`;
});
const shareTable = [
  "| server | claim | PGlite's share of the process's busy CPU | PGlite CPU µs/msg (share × median total) |",
  "|---|---|---|---|",
  ...shares.map((s) => `| ${label(s)} | ${s.claim} | ${(100 * s.share).toFixed(1)} % | ${Math.round(s.storageUs)} |`),
].join("\n");
const tripsTable = [
  "| server | anonymous message | verified message (hash) | read | idle long-poll, 12 s |",
  "|---|---|---|---|---|",
  ...trips.map((t) => `| ${label(t)} | ${t.anonymous.toFixed(2)} | ${t.verified?.toFixed(2) ?? "—"} | ${t.read?.toFixed(2) ?? "—"} | ${t.idle ?? "—"} |`),
].join("\n");
const verifyTable = [
  "| claim | µs per verification | share of Parley's CPU per message (embedded, median) |",
  "|---|---|---|",
  ...verifying.map((v) => `| ${v.claim} | ${v.micros.toFixed(1)} | ${((100 * v.micros) / v.cpu).toFixed(1)} % |`),
].join("\n");
const settings = (list) => list.map((s) => `${s.name}=${s.setting}${s.unit ? ` ${s.unit}` : ""}`).join(", ");
const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";

for (const t of [cpuTable, verdicts.join("\n"), shareTable, tripsTable, verifyTable]) console.log("\n" + t);
if (NARROWED) console.log("\nA narrowed run (BENCH_CLAIMS, BENCH_STORAGES): BENCHMARKS.md is left as it is.");
else writeSection(
  "server",
  `## Server: CPU per message against a floor

Command: \`npm run bench:server\`${BASELINE ? ` with \`BENCH_BASELINE\` set to a checkout of ${baselineCommit} (built), measured beside this one` : ""}. ${ROUNDS} interleaved rounds; in each, every row runs ${DURATION} s of autocannon (${CONNECTIONS} connections, loopback) after a ${WARMUP} s warm-up per row: POST /messages as the widget sends it (JSON as text/plain) from ${USERS} visitors, each with its own user's claim of the row's kind. **Floor**: bench/server-floor.js — Hono + zod + one INSERT on the same storage (PGlite in a folder, or PostgreSQL through a pool of 10), no verification, rate limit, idempotency or log. **Parley**: \`parley serve\` as shipped — rate limits on (visitor, address and app counters all counted on every request; the limits raised so this load is not refused, which the counting does not depend on), a JSON log line per request (to /dev/null here).

Per message, Parley does what the floor does and also: looks the app and its keys up (kept in memory on embedded storage; a prepared statement on PostgreSQL), checks the origin and the body cap, verifies the claim, counts three rate-limit buckets, looks the clientId up (idempotency), upserts the conversation (contact details, last message time), inserts the message with its verdict (four indexes), for a verified claim writes the user's contact, and logs the request — the counting, lookup, upserts and insert in one statement (a PL/pgSQL function; \`test/server/round-trips.test.ts\` counts them).

CPU per message is the server process's CPU time (/proc) over the messages it stored (2xx); on PostgreSQL plus every process of the cluster's (a pool connection closed mid-run and short-lived autovacuum workers are missed). The load generator's CPU is not counted. Cells are min / **median** / max over the rounds; "× floor" pairs each round with that round's floor. Machine: ${cpu}, ${cpus().length} cores shared by the load generator, the servers and PostgreSQL; Node ${process.version}; load average ${conditions.loadBefore} before, ${conditions.loadAfter} after (other work on the machine is noise in every row alike). Measured ${conditions.started.slice(0, 10)}.

${cpuTable}

Target: Parley's CPU per message at most ${TARGET}× the floor's on each storage. ${verdicts.join(". ")}.

PGlite's share of the embedded servers' CPU, from one V8 CPU profile each (${DURATION} s, ${PROFILED} claims for Parley), applied to the median total above:

${shareTable}

Round trips to PostgreSQL per request, counted by a proxy in front of it (each simple query and each extended-protocol Sync a client sends: one per statement, BEGIN and COMMIT included); 50 sequential requests each after a warm-up; the long-poll waits 12 s on a conversation with nothing new. On embedded storage \`test/server/round-trips.test.ts\` counts statements the same way per request.

${tripsTable}

Verifying a claim: \`verifyClaim\` alone, sequential, in the bench process, against the app's three keys (one of each kind).

${verifyTable}

PostgreSQL ${conditions.version} (started by scripts/postgres.js for the benchmark, on loopback): ${settings(pgSettings)}. PGlite (as Parley opens it): ${settings(pgliteSettings)}.`,
);
