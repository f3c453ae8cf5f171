// `npm run bench:realtime`: how fast an operator's reply reaches a visitor's screen, and what an
// idle push stream costs the server (issue 18).
// 1. Reply → visitor's DOM: the built widget in headless Chromium on the demo site, panel open,
//    one message sent so a conversation exists; then replies posted one at a time through the
//    operator API, each timed from just before its POST to its text appearing in the widget's
//    shadow DOM (a MutationObserver in the page notes the time). In one process on embedded
//    storage, and across two processes on one PostgreSQL (the widget on A, the reply posted to B);
//    each over the stream and, for comparison, over the long-poll (the page's stream requests
//    answered 404, so the widget falls back as it does against a server without streams).
// 2. Idle streams: up to BENCH_IDLE_STREAMS streams opened from this process against one
//    `parley serve`, each read until its `identity` event and then left alone; the server's RSS
//    (after a full GC through its inspector) before and after, its sockets, and a reply sent on
//    one more stream with all of them open.
// BENCH_REPLIES, BENCH_WARMUP, BENCH_SPACING_MS, BENCH_IDLE_STREAMS, BENCH_IDLE_STORAGES and
// BENCH_IDLE_CPU_SECONDS shorten or lengthen a run (the report names the ones set). Writes its
// section into BENCHMARKS.md. Needs `npm run build` first (the npm script does it).
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { request } from "node:http";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

// The GC and heap readings go through the server's inspector, over a WebSocket: Node 20 has one
// only behind a flag (22 and later always do), so on 20 this script runs itself again with it.
if (typeof WebSocket === "undefined") {
  const again = spawnSync(process.execPath, ["--experimental-websocket", ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(again.status ?? 1);
}

const { chromium } = await import("@playwright/test");
const { findChromium } = await import("../scripts/find-chromium.js");
const { freePort, startPostgres } = await import("../scripts/postgres.js");
const { cli, startServer } = await import("../scripts/server-process.js");
const { scratch, writeSection } = await import("./report.js");

const REPLIES = Number(process.env.BENCH_REPLIES || 100);
/** Uncounted replies first: the stream (or long-poll) is open and the code paths warm. */
const WARMUP = Number(process.env.BENCH_WARMUP || 5);
/** The pause between one reply's arrival and the next POST: uniformly random in [SPACING, 2 × SPACING] ms. */
const SPACING = Number(process.env.BENCH_SPACING_MS || 100);
const IDLE = Number(process.env.BENCH_IDLE_STREAMS || 5000);
/** BENCH_IDLE_STORAGES (comma-separated): the storages under the idle streams. */
const IDLE_STORAGES = process.env.BENCH_IDLE_STORAGES?.split(",") ?? ["embedded", "postgres"];
/** Seconds of the server's CPU measured with every idle stream open: over 15 s, so one round of keep-alives falls in it. */
const IDLE_CPU_S = Number(process.env.BENCH_IDLE_CPU_SECONDS || 16);
/** Streams opened at once while filling up. */
const OPENING = 50;
const ADMIN = randomBytes(18).toString("base64url");
const TARGET = { p50: 50, p99: 250, perStreamKB: 20 };

/** Wall-clock milliseconds with the sub-millisecond part, as the page's `performance.timeOrigin + now()` counts them. */
const now = () => performance.timeOrigin + performance.now();

/** Parley's environment here: no rate limit (one visitor's long-polls and 5,000 streams from one address would meet them), its own data folder. */
function parleyEnv(databaseUrl, masterKey = randomBytes(32).toString("hex")) {
  return {
    DATABASE_URL: databaseUrl ?? "",
    PARLEY_DATA_DIR: scratch("parley-rt-"),
    PARLEY_MASTER_KEY: masterKey,
    PARLEY_ADMIN_TOKEN: ADMIN,
    PARLEY_RATE_APP_PER_MIN: "0",
    PARLEY_RATE_VISITOR_PER_MIN: "0",
    PARLEY_RATE_ADDRESS_PER_MIN: "0",
  };
}

async function admin(server, appId, path, body) {
  const res = await fetch(`${server.url}/v1/admin/apps/${appId}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function visitorPost(server, appId, path, body) {
  const res = await fetch(`${server.url}/v1/apps/${appId}${path}`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Nearest-rank percentile. */
function percentile(xs, p) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---- 1. reply → visitor's DOM ------------------------------------------------------------------

/**
 * The page's clock against this process's: both count wall-clock milliseconds from their own
 * origin, on one machine; the offset is taken from the round trip that was quickest, ± half of it.
 */
async function clockOffset(page) {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const before = now();
    const there = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = now();
    if (after - before < best.rtt) best = { rtt: after - before, offset: there - (before + after) / 2 };
  }
  return best;
}

/** Notes, in the page, when each reply's marker `⟦k⟧` first appears anywhere in the widget's shadow root. */
function observeReplies() {
  const root = document.querySelector("[data-parley]")?.shadowRoot;
  if (!root) throw new Error("no widget on the page");
  const seen = (window.__seen = {});
  new MutationObserver((records) => {
    const at = performance.timeOrigin + performance.now();
    for (const r of records) {
      for (const node of r.type === "characterData" ? [r.target] : r.addedNodes) {
        for (const m of (node.textContent ?? "").matchAll(/⟦(\d+)⟧/g)) seen[m[1]] ??= at;
      }
    }
  }).observe(root, { subtree: true, childList: true, characterData: true });
}

/**
 * One row: a fresh visitor on `site` (the widget talking to its server), replies posted to
 * `replyTo`; returns the latencies in ms of the counted replies.
 */
async function replyLatencies(browser, { site, replyTo, longPoll }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const streams = { opened: 0, refused: 0 };
  page.on("request", (r) => r.url().endsWith("/stream") && streams.opened++);
  // Answered as a server without streams answers: the widget long-polls from then on.
  if (longPoll) await page.route("**/v1/apps/*/stream", (route) => (streams.refused++, route.fulfill({ status: 404, headers: { "access-control-allow-origin": "*" }, body: "" })));
  try {
    await page.goto(site.siteUrl + "/");
    const appId = await page.evaluate(() => window.ParleySettings.appId);
    await page.getByRole("button", { name: "Open chat" }).click();
    const question = `bench question ${randomBytes(6).toString("hex")}`;
    await page.getByRole("textbox", { name: "Message" }).fill(question);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByRole("log").getByText(question).waitFor();
    // The log shows a message before the server has it (the outbox sends it): look until it is stored.
    let conversationId;
    for (let tries = 0; !conversationId; tries++) {
      if (tries === 100) throw new Error("the visitor's conversation was not found through the replying server");
      if (tries) await sleep(100);
      const { conversations } = await admin(replyTo, appId, "/conversations");
      for (const c of conversations) {
        const { messages } = await admin(replyTo, appId, `/conversations/${c.id}/messages`);
        if (messages.some((m) => m.text === question)) conversationId = c.id;
      }
    }
    await page.evaluate(observeReplies);
    const clock = await clockOffset(page);
    const latencies = [];
    for (let k = 0; k < WARMUP + REPLIES; k++) {
      const before = now();
      await admin(replyTo, appId, `/conversations/${conversationId}/replies`, { text: `bench reply ⟦${k}⟧` });
      await page.waitForFunction((k) => window.__seen[k] !== undefined, k, { timeout: 30_000 });
      const seen = await page.evaluate((k) => window.__seen[k], k);
      if (k >= WARMUP) latencies.push(seen - clock.offset - before);
      await sleep(SPACING * (1 + Math.random()));
    }
    return { latencies, clock, streams };
  } finally {
    await context.close();
  }
}

// ---- 2. idle streams ---------------------------------------------------------------------------


/** The server's inspector: a full GC, and V8's own figures, without changing Parley. */
async function inspect(port) {
  let targets;
  for (let i = 0; !targets && i < 50; i++) targets = await fetch(`http://127.0.0.1:${port}/json/list`).then((r) => r.json(), () => sleep(100));
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((done, fail) => ((ws.onopen = done), (ws.onerror = fail)));
  let last = 0;
  const pending = new Map();
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  };
  const call = (method, params = {}) =>
    new Promise((done) => {
      pending.set(++last, done);
      ws.send(JSON.stringify({ id: last, method, params }));
    });
  return {
    gc: () => call("HeapProfiler.collectGarbage"),
    memory: async () => JSON.parse((await call("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true })).result.result.value),
    close: () => ws.close(),
  };
}

const rssKB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
const sockets = (pid) => readdirSync(`/proc/${pid}/fd`).filter((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")).length;
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
};
const TICKS_PER_S = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

/**
 * Opens one stream and resolves once its `identity` event has arrived; from then on nothing is
 * read (the socket is paused: keep-alives wait in the kernel's buffers). `onMessages` listens instead.
 */
function openStream(url, appId, visitorId, onMessages) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/apps/${appId}/stream`, { method: "POST", agent: false, headers: { "content-type": "text/plain" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        text += chunk;
        for (let end; (end = text.indexOf("\n\n")) >= 0; text = text.slice(end + 2)) {
          const event = text.slice(0, end);
          if (/^event: messages$/m.test(event)) onMessages?.(event);
          if (!/^event: identity$/m.test(event)) continue;
          resolve(req);
          if (!onMessages) {
            res.pause();
            res.removeAllListeners("data");
            return;
          }
        }
      });
      res.on("error", () => {});
    });
    req.on("error", reject);
    req.end(JSON.stringify({ visitorId }));
  });
}

/** Runs `job(i)` for i < n, `width` at a time. */
async function pool(n, width, job) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) await job(next++);
  }));
}

async function idleStreams(storage, databaseUrl) {
  const env = parleyEnv(databaseUrl);
  const appId = cli(["app", "create", "--name", "bench-realtime"], env).appId;
  const inspectorPort = await freePort();
  const server = await startServer({ ...env, NODE_OPTIONS: `--inspect=127.0.0.1:${inspectorPort}` });
  const pid = server.proc.pid;
  const v8 = await inspect(inspectorPort);
  const opened = [];
  try {
    const run = randomBytes(4).toString("hex");
    const visitor = (i) => `v_idle_${run}_${i}`;
    // Each idle visitor has a conversation, as every visitor whose widget opens a stream does.
    const filling = now();
    await pool(IDLE, 16, (i) => visitorPost(server, appId, "/messages", { visitorId: visitor(i), clientId: `c_${run}_${i}`, text: "hello" }));
    const conversationsS = (now() - filling) / 1000;
    const probe = visitor(IDLE);
    await visitorPost(server, appId, "/messages", { visitorId: probe, clientId: `c_${run}_probe`, text: "hello" });
    // Warm: the stream's code paths run (and are compiled) before the baseline is read.
    const warm = [];
    await pool(100, OPENING, async (i) => void warm.push(await openStream(server.url, appId, visitor(i))));
    for (const req of warm) req.destroy();
    const reading = async () => {
      // Settled: the fill's idle keep-alive connections closed (5 s on the server), the sockets stay put for a second.
      for (let last = -1, same = 0; same < 2; await sleep(1000)) {
        const n = sockets(pid);
        same = n === last ? same + 1 : 0;
        last = n;
      }
      await v8.gc();
      return { streams: opened.length, rss: rssKB(pid), heap: await v8.memory(), sockets: sockets(pid) };
    };
    const before = await reading();
    const readings = [before];
    let openS = 0;
    let failed = 0;
    let error = "";
    // In quarters, memory read after each: the growth should be a straight line.
    for (let q = 0; q < 4; q++) {
      const from = Math.round((IDLE * q) / 4);
      const opening = now();
      await pool(Math.round((IDLE * (q + 1)) / 4) - from, OPENING, async (i) => {
        try {
          opened.push(await openStream(server.url, appId, visitor(from + i)));
        } catch (err) {
          failed++;
          error ||= err.message;
        }
      });
      openS += (now() - opening) / 1000;
      readings.push(await reading());
    }
    const after = readings.at(-1);
    // The server's CPU with all of them open and nothing happening but keep-alives.
    const ticks = cpuTicks(pid);
    await sleep(IDLE_CPU_S * 1000);
    const idleCpu = (cpuTicks(pid) - ticks) / TICKS_PER_S / IDLE_CPU_S;
    // One more visitor, listening, gets replies with every idle stream still open.
    const conversationId = (await admin(server, appId, "/conversations")).conversations.find((c) => c.contact.visitorId === probe)?.id;
    let arrived;
    const probeStream = await openStream(server.url, appId, probe, (event) => arrived?.(event));
    const probeLatencies = [];
    for (let k = 0; k < 5; k++) {
      const text = `idle bench reply ⟦${k}⟧`;
      const got = new Promise((done) => (arrived = (event) => event.includes(`⟦${k}⟧`) && done(now())));
      const start = now();
      await admin(server, appId, `/conversations/${conversationId}/replies`, { text });
      probeLatencies.push((await Promise.race([got, sleep(30_000).then(() => NaN)])) - start);
    }
    probeStream.destroy();
    return { storage, conversationsS, openS, failed, error, opened: opened.length, before, after, readings, idleCpu, probeLatencies };
  } finally {
    for (const req of opened) req.destroy();
    v8.close();
    await server.stop();
  }
}

// ---- the run -----------------------------------------------------------------------------------

const started = new Date();
const loadBefore = loadavg()[0];
let commit = "";
try {
  commit = execFileSync("git", ["describe", "--always", "--dirty"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
} catch {
  /* not a checkout: the report says nothing of a commit */
}
const postgres = await startPostgres();
const masterKey = randomBytes(32).toString("hex");
const rows = [];
const idle = [];
let chromiumVersion = "";
let pgVersion = "";
try {
  const client = new pg.Client(postgres.url);
  await client.connect();
  pgVersion = (await client.query("SHOW server_version")).rows[0].server_version;
  // A database of its own for the idle streams: the apps and conversations of the rows above stay out of it.
  await client.query("CREATE DATABASE idle");
  await client.end();

  const browser = await chromium.launch({ executablePath: await findChromium() });
  chromiumVersion = browser.version();
  const embedded = await startServer(parleyEnv(undefined), ["--demo", "--demo-port", "0"]);
  // Both processes share the database and the master key, and nothing else.
  const a = await startServer(parleyEnv(postgres.url, masterKey), ["--demo", "--demo-port", "0"]);
  const b = await startServer(parleyEnv(postgres.url, masterKey));
  try {
    const plan = [
      { label: "one process, embedded (PGlite)", site: embedded, replyTo: embedded },
      { label: "one process, PostgreSQL", site: a, replyTo: a },
      { label: "two processes, PostgreSQL (widget on A, reply to B)", site: a, replyTo: b, across: true },
    ];
    for (const p of plan) {
      for (const longPoll of [false, true]) {
        process.stderr.write(`reply → DOM: ${p.label}, ${longPoll ? "long-poll" : "stream"}…\n`);
        const r = await replyLatencies(browser, { ...p, longPoll });
        rows.push({ ...p, longPoll, ...r });
        const ms = r.latencies;
        process.stderr.write(`  p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms (clock offset ${r.clock.offset.toFixed(2)} ± ${(r.clock.rtt / 2).toFixed(2)} ms)\n`);
      }
    }
  } finally {
    await browser.close();
    await Promise.all([embedded.stop(), a.stop(), b.stop()]);
  }

  for (const storage of IDLE_STORAGES) {
    process.stderr.write(`idle streams: ${IDLE} on ${storage}…\n`);
    const r = await idleStreams(storage, storage === "postgres" ? Object.assign(new URL(postgres.url), { pathname: "/idle" }).toString() : undefined);
    idle.push(r);
    process.stderr.write(`  ${r.opened} open (${r.failed} failed), RSS ${r.before.rss} → ${r.after.rss} kB: ${((r.after.rss - r.before.rss) / r.opened).toFixed(1)} kB a stream\n`);
  }
} finally {
  postgres.stop();
}
const loadAfter = loadavg()[0];

// ---- the report --------------------------------------------------------------------------------

const f = (x, d = 1) => (Number.isFinite(x) ? x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }) : "—");
const met = (ok) => (ok ? "met" : "**not met**");
const kb = (bytes) => bytes / 1024;
const across = rows.find((r) => r.across && !r.longPoll);
const knobs = Object.keys(process.env).filter((k) => /^BENCH_/.test(k)).map((k) => `${k}=${process.env[k]} `).join("");
const lines = [
  "## Real time: reply to visitor, idle streams",
  "",
  `Command: \`${knobs}npm run bench:realtime\` (builds first). Measured ${started.toISOString().slice(0, 16).replace("T", " ")} UTC${commit ? ` at \`${commit}\`` : ""}; ${cpus().length} cores (${cpus()[0]?.model.trim()}), shared with other work (1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after), Node ${process.version}, headless Chromium ${chromiumVersion}, PostgreSQL ${pgVersion} (scripts/postgres.js, loopback, fsync=off). Everything on loopback, on one machine.`,
  "",
  `### Operator reply → visitor's screen`,
  "",
  `The built widget on the demo site (\`dist/server/demo.js\`), panel open, one message sent so a conversation exists; then ${REPLIES} replies (after ${WARMUP} uncounted), one at a time, ${SPACING}–${2 * SPACING} ms apart, posted through the operator API (\`POST …/conversations/:id/replies\`). Each is timed from just before its POST (in the benchmark's process) to its text appearing in the widget's shadow DOM (a MutationObserver in the page; the page's clock set against the benchmark's by the quickest of 20 round trips). Long-poll: the page's stream requests answered 404, so the widget long-polls as against a server without streams. Rate limits off.`,
  "",
  "| widget ↔ server | transport | n | p50 ms | p90 ms | p99 ms | max ms | streams opened |",
  "|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.label} | ${r.longPoll ? "long-poll (fallback)" : "stream"} | ${r.latencies.length} | ${f(percentile(r.latencies, 50))} | ${f(percentile(r.latencies, 90))} | ${f(percentile(r.latencies, 99))} | ${f(Math.max(...r.latencies))} | ${r.longPoll ? `0 (${r.streams.refused} refused)` : r.streams.opened} |`),
  "",
  `Clock offsets page − benchmark: ${rows.map((r) => `${f(r.clock.offset, 2)} ± ${f(r.clock.rtt / 2, 2)}`).join(", ")} ms (subtracted).`,
  "",
  `Targets across processes, over the stream: p50 < ${TARGET.p50} ms — ${met(percentile(across.latencies, 50) < TARGET.p50)} (${f(percentile(across.latencies, 50))} ms); p99 < ${TARGET.p99} ms — ${met(percentile(across.latencies, 99) < TARGET.p99)} (${f(percentile(across.latencies, 99))} ms).`,
  "",
  "### Idle streams in one process",
  "",
  `\`parley serve\` (its inspector on, for a full GC and V8's figures); ${IDLE.toLocaleString("en-US")} visitors each with a conversation (one message each, ${idle.map((r) => `${f(r.conversationsS)} s on ${r.storage}`).join(", ")}); then one stream each, opened from the benchmark's process over loopback (raw HTTP, ${OPENING} opening at a time) and read only until its \`identity\` event, then left alone. Memory after a full GC (\`HeapProfiler.collectGarbage\`), once the server's sockets have stayed put for 2 s: before (100 streams opened and closed first, to warm the code), then after each quarter of the streams is open (sockets include the server's connections to PostgreSQL). CPU: the server's over ${IDLE_CPU_S} s with all open${IDLE_CPU_S >= 15 ? " (a round of 15-s keep-alives in it)" : ""}. A reply: posted through the operator API to one more visitor streaming with all of them open, timed to its \`messages\` event (5 replies). \`ulimit -n\` here: ${execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim()}.`,
  "",
  "| storage | streams open | failed | opening took | server sockets added | RSS before → after | RSS per stream | V8 heap per stream | external + buffers per stream | CPU idle, all open | reply with all open, ms (median / max) |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
  ...idle.map((r) => {
    const n = r.opened;
    const rss = (r.after.rss - r.before.rss) / n;
    const heap = kb(r.after.heap.heapUsed - r.before.heap.heapUsed) / n;
    const ext = kb(r.after.heap.external - r.before.heap.external) / n;
    const ms = r.probeLatencies;
    return `| ${r.storage} | ${n.toLocaleString("en-US")} of ${IDLE.toLocaleString("en-US")} | ${r.failed}${r.error ? ` (${r.error})` : ""} | ${f(r.openS)} s | ${(r.after.sockets - r.before.sockets).toLocaleString("en-US")} | ${f(r.before.rss / 1024)} → ${f(r.after.rss / 1024)} MB | **${f(rss)} KB** | ${f(heap)} KB | ${f(ext)} KB | ${f(r.idleCpu * 100)} % of a core | ${f(percentile(ms, 50))} / ${f(Math.max(...ms))} |`;
  }),
  "",
  ...idle.map((r) => `RSS on ${r.storage} with ${r.readings.map((x) => x.streams.toLocaleString("en-US")).join(" / ")} streams open: ${r.readings.map((x) => f(x.rss / 1024)).join(" → ")} MB; V8 heap used: ${r.readings.map((x) => f(x.heap.heapUsed / 2 ** 20)).join(" → ")} MB.`),
  "",
  ...idle.map((r) => `Target on ${r.storage}: < ${TARGET.perStreamKB} KB of server memory per idle stream — ${met((r.after.rss - r.before.rss) / r.opened < TARGET.perStreamKB)} (${f((r.after.rss - r.before.rss) / r.opened)} KB of RSS a stream).`),
];
console.log(lines.join("\n"));
writeSection("realtime", lines.join("\n"));
