// `npm run bench`: what Parley costs a visitor's browser, measured in one run against a floor.
// 1. raw/gzip/brotli bytes of every built browser file, of the floor, and of published widgets
//    installed from npm now;
// 2. first views in headless Chromium at 4× CPU with an empty cache, interleaved round by round
//    (host page alone, floor, Parley, gleap, host page alone, …): bytes on the wire as served,
//    bytes before `load`, main-thread script, long tasks, retained heap, click → composer focused;
//    the issue's targets printed beside the figures, pass or fail;
// 3. identify → `identity` event on loopback. Writes BENCHMARKS.md's widget section.
// The floor is Preact + signals-core with a launcher and a textarea (bench/floor/floor.jsx), built
// with Parley's own build settings and served compressed by a CDN-like static server; Parley's
// page loads the real loader from a real `parley serve` and finds everything else through it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { findChromium } from "../scripts/find-chromium.js";
import { cli, startServer } from "../scripts/server-process.js";
import { buildFloor } from "./floor/build.js";
import { brotli, gzip, hashedName, serveStatic } from "./floor/static.js";
import { writeSection } from "./report.js";
import { CPU_THROTTLE, measurePage } from "./widget-measure.js";

const ROUNDS = Number(process.env.BENCH_RUNS || 7);
/** The issue's targets for Parley against the floor, in one run. */
const TARGET_RATIO = 1.2;

// ---- 1. bytes ---------------------------------------------------------------------------------
const sizes = (buffers) => {
  const raw = Buffer.concat(buffers);
  return { raw: raw.length, gzip: gzip(raw).length, brotli: brotli(raw).length };
};
// Every file of the widget the build wrote, whatever its (hashed) name: the loader and each chunk
// in dist/ (not the server's, nor the operator console's, which visitors never load).
const built = readdirSync("dist")
  .filter((f) => f.endsWith(".js"))
  .sort((a, b) => (a === "loader.js" ? -1 : b === "loader.js" ? 1 : a.localeCompare(b)));
if (!built.length) throw new Error("no browser files in dist/: run `npm run build` (npm run bench does)");
const rows = built.map((f) => [`Parley \`dist/${f}\``, sizes([readFileSync(join("dist", f))])]);
if (built.length > 1) rows.push([`Parley, all ${built.length} browser files`, sizes(built.map((f) => readFileSync(join("dist", f))))]);

const floor = await buildFloor();
rows.push([`floor \`${floor.entry}\` (Preact + signals-core, launcher + textarea)`, sizes([...floor.files.values()])]);

const dir = mkdtempSync(join(tmpdir(), "parley-widgets-"));
writeFileSync(join(dir, "package.json"), "{}");
const PACKAGES = ["gleap", "@rocket.chat/livechat", "crisp-sdk-web", "@intercom/messenger-js-sdk"];
const nm = (p) => join(dir, "node_modules", p);
const version = (p) => JSON.parse(readFileSync(join(nm(p), "package.json"), "utf8")).version;
/** gleap's browser build (what its snippet loads from its CDN), when it installed. */
let gleap;
try {
  execFileSync("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", ...PACKAGES], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  gleap = { version: version("gleap"), raw: readFileSync(join(nm("gleap"), "build/browser/index.js")) };
  rows.push([`gleap ${gleap.version}, whole widget (build/browser/index.js)`, sizes([gleap.raw])]);
  const livechat = join(nm("@rocket.chat/livechat"), "build");
  const boot = [...readFileSync(join(livechat, "index.html"), "utf8").matchAll(/src="livechat\/([^"]+\.js)"/g)].map((m) => join(livechat, m[1]));
  rows.push([`@rocket.chat/livechat ${version("@rocket.chat/livechat")}, scripts at boot (${boot.length} files of index.html)`, sizes(boot.map((f) => readFileSync(f)))]);
  rows.push([`crisp-sdk-web ${version("crisp-sdk-web")} — a loader of Crisp's remote script`, sizes([readFileSync(join(nm("crisp-sdk-web"), "dist/crisp.esm.js"))])]);
  const ic = join(nm("@intercom/messenger-js-sdk"), "dist");
  rows.push([`@intercom/messenger-js-sdk ${version("@intercom/messenger-js-sdk")} — a loader of Intercom's remote script`, sizes(["index.js", "instance-manager.js", "constants.js"].map((f) => readFileSync(join(ic, f))))]);
} catch (err) {
  console.error(`could not install the published widgets to compare with: ${err.message}`);
  if (!gleap && existsSync(join(nm("gleap"), "build/browser/index.js"))) gleap = { version: version("gleap"), raw: readFileSync(join(nm("gleap"), "build/browser/index.js")) };
}
const kb = (n) => (n / 1024).toFixed(1);
const sizeTable = [
  "| bundle | raw KB | gzip KB | brotli KB |",
  "|---|---|---|---|",
  ...rows.map(([name, s]) => `| ${name} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`),
].join("\n");
console.log(sizeTable);

// ---- 2. first views ---------------------------------------------------------------------------
const assets = new Map(floor.files);
const gleapFile = gleap && hashedName("gleap", gleap.raw);
if (gleap) assets.set(gleapFile, gleap.raw);
const cdn = await serveStatic(assets);

const env = { PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), "parley-bench-")), PARLEY_RATE_APP_PER_MIN: "0", PARLEY_RATE_VISITOR_PER_MIN: "0" };
const { appId } = cli(["app", "create", "--name", "bench"], env);
const { secret } = cli(["key", "create", "--app", appId], env);
const parley = await startServer(env);

// No script of the host's own: a page's script time is then its widget's (the host page alone shows what is left).
const ARTICLE = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i}: a host page with ordinary content, some of it long enough to wrap across the width of the window.</p>`).join("");
const parleySnippet = `<script>window.ParleySettings={appId:${JSON.stringify(appId)}};window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)}</script>
<script src="${parley.url}/loader.js" data-app-id="${appId}" async></script>`;
const WIDGETS = {
  bare: "",
  // Fetched after the host's `load`, as Parley's loader fetches its widget; inline, so it costs no request.
  floor: `<script>addEventListener("load",function(){var s=document.createElement("script");s.type="module";s.src=${JSON.stringify(`${cdn.url}/${floor.entry}`)};document.head.appendChild(s)})</script>`,
  parley: parleySnippet,
  // As gleap's own snippet does: an async script in <head>, then initialize.
  gleap: gleap ? `<script async src="${cdn.url}/${gleapFile}" onload="Gleap.initialize('bench-no-such-key')"></script>` : "",
  identify: `${parleySnippet}<script>Parley("on","ready",function(){window.__ready=performance.now()})</script>`,
};
const site = createServer((req, res) => {
  const widget = WIDGETS[(req.url ?? "/").slice(1)];
  if (widget === undefined) return void res.writeHead(404).end();
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
<style>body{font:16px system-ui;max-width:40rem;margin:2rem auto}</style>
${widget}</head><body><h1>Host page</h1>${ARTICLE}</body></html>`);
});
await new Promise((r) => site.listen(0, "127.0.0.1", r));
const siteUrl = `http://127.0.0.1:${site.address().port}`;

const PAGES = [
  { key: "bare", label: "host page alone" },
  { key: "floor", label: "floor", launcher: "button.launcher" },
  { key: "parley", label: "Parley", launcher: "button.launcher" },
  ...(gleap ? [{ key: "gleap", label: `gleap ${gleap.version}` }] : []),
];

const loadBefore = loadavg()[0];
const browser = await chromium.launch({
  executablePath: await findChromium(),
  // Every host but loopback fails to resolve: gleap's calls home fail at once, and no figure depends on the internet.
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
});
/** @type {Record<string, import("./widget-measure.js").PageMeasure[]>} */
const runs = Object.fromEntries(PAGES.map((p) => [p.key, []]));
// Round 0 warms the browser up (its first pages are slower whatever they hold) and is not counted.
for (let round = 0; round <= ROUNDS; round++) {
  const measured = [];
  for (const p of PAGES) measured.push(await measurePage(browser, { url: `${siteUrl}/${p.key}`, launcher: p.launcher }));
  if (round === 0) continue;
  PAGES.forEach((p, i) => runs[p.key].push(measured[i]));
  const last = (k) => runs[k].at(-1);
  console.error(`round ${round}/${ROUNDS}: script ms (CPU clock) ${PAGES.map((p) => `${p.key} ${last(p.key).script.cpu.toFixed(0)}`).join(", ")}; click → composer ms floor ${last("floor").composer?.toFixed(0)}, parley ${last("parley").composer?.toFixed(0)}`);
}

const loadAfter = loadavg()[0];
if (Math.max(loadBefore, loadAfter) > cpus().length) console.error(`warning: load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${cpus().length} cores: other work shared the CPU with this run`);

const median = (s) => (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2);
const stats = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? { min: s[0], med: median(s), max: s.at(-1), n: s.length } : undefined;
};
const int = (n) => Math.round(n).toLocaleString("en-US");
const ms = (n) => n.toFixed(1);
/** Per round, Parley's figure over the floor's of the same round. */
const perRound = (get) => runs.parley.map((m, i) => get(m, i) / get(runs.floor[i], i));
const ratioText = (xs) => {
  const s = stats(xs);
  return s ? `${s.med.toFixed(2)}× [${s.min.toFixed(2)}–${s.max.toFixed(2)}]` : "—";
};
/** Long tasks in which the widget's script ran at all: the host page has none of its own. */
const widgetTasks = (tasks) => tasks.filter((t) => t.widget);
const verdict = (pass) => (pass ? "**pass**" : "**fail**");

const METRICS = [
  { name: "widget bytes on the wire, first view", get: (m) => m.widgetBytes, fmt: int, skip: ["bare"] },
  { name: "page bytes before `load` (document + what it waits for)", get: (m) => m.pageBytesBeforeLoad, fmt: int },
  {
    name: "main-thread script, first view, ms of its CPU clock",
    get: (m) => m.script.cpu,
    fmt: ms,
    target: (r) => `≤ ${TARGET_RATIO}×: ${verdict(stats(r).med <= TARGET_RATIO)}`,
  },
  { name: "the same on the wall clock, ms", get: (m) => m.script.wall, fmt: ms },
  { name: "long tasks, first view, any cause", get: (m) => m.longTasks.length, fmt: int, ratio: false },
  {
    name: "long tasks running the widget's script, first view",
    get: (m) => widgetTasks(m.longTasks).length,
    fmt: int,
    ratio: false,
    target: () => {
      const hit = runs.parley.filter((m) => widgetTasks(m.longTasks).length > 0).length;
      return `none: ${verdict(hit === 0)}${hit ? ` (in ${hit} of ${ROUNDS} rounds)` : ""}`;
    },
  },
  { name: "time in those long tasks, ms", get: (m) => widgetTasks(m.longTasks).reduce((s, t) => s + t.duration, 0), fmt: ms, ratio: false },
  { name: "retained JS heap after GC, over the host page alone, KB", get: (m, i) => (m.heap - runs.bare[i].heap) / 1024, fmt: ms, skip: ["bare"] },
  {
    name: "click on the launcher → composer focused, ms",
    get: (m) => m.composer,
    fmt: ms,
    skip: ["bare"],
    target: (r) => `≤ ${TARGET_RATIO}×: ${verdict(stats(r).med <= TARGET_RATIO)}`,
  },
  { name: "main-thread script, click → settled, ms of its CPU clock", get: (m) => m.openScript?.cpu, fmt: ms, skip: ["bare"] },
  { name: "long tasks running the widget's script, click → settled", get: (m) => m.openLongTasks && widgetTasks(m.openLongTasks).length, fmt: int, ratio: false, skip: ["bare"] },
  { name: "widget bytes on the wire, through the first open", get: (m) => m.widgetBytesThroughOpen, fmt: int, skip: ["bare"] },
];
const cellOf = (metric, key) => {
  if (metric.skip?.includes(key)) return "—";
  const s = stats(runs[key].map((m, i) => metric.get(m, i)));
  if (!s) return key === "gleap" ? "n/a" : "—";
  return `${metric.fmt(s.min)} / **${metric.fmt(s.med)}** / ${metric.fmt(s.max)}`;
};
const firstViewTable = [
  `| ${ROUNDS} rounds: min / **median** / max | ${PAGES.map((p) => p.label).join(" | ")} | Parley ÷ floor, per round: median [min–max] | target |`,
  `|---|${PAGES.map(() => "---|").join("")}---|---|`,
  ...METRICS.map((metric) => {
    const r = metric.ratio === false ? [] : perRound(metric.get);
    return `| ${metric.name} | ${PAGES.map((p) => cellOf(metric, p.key)).join(" | ")} | ${metric.ratio === false ? "—" : ratioText(r)} | ${metric.target ? metric.target(r) : ""} |`;
  }),
].join("\n");
console.log("\n" + firstViewTable);
const targets = METRICS.filter((m) => m.target).map((m) => `${m.name}: ${m.target(perRound(m.get)).replaceAll("**", "")}${m.ratio === false ? "" : ` (${ratioText(perRound(m.get))})`}`);
console.log(`\ntargets (issue 14), Parley against the floor:\n  ${targets.join("\n  ")}`);

// What each page fetched in its first round, request by request: the bytes above, itemised.
const origins = { [siteUrl]: "host", [parley.url]: "Parley server", [cdn.url]: "static server" };
const fetched = [
  "| page | request | served as | bytes on the wire | when | Timing-Allow-Origin |",
  "|---|---|---|---|---|---|",
  ...PAGES.filter((p) => p.key !== "bare").flatMap((p) => {
    const reqs = runs[p.key][0].requests;
    const failed = reqs.filter((r) => r.failed);
    const done = reqs.filter((r) => !r.failed && r.end !== undefined);
    const label = (url) => {
      const u = new URL(url);
      return `${origins[u.origin] ?? u.host} \`${u.pathname.length > 40 ? u.pathname.slice(0, 37) + "…" : u.pathname}\``;
    };
    return [
      ...done.map((r) => `| ${p.label} | ${label(r.url)} | ${r.encoding ?? "?"} | ${int(r.bytes)} | ${r.phase} | ${new URL(r.url).origin === siteUrl ? "(same origin)" : (r.tao ?? "**no**")} |`),
      ...(failed.length ? [`| ${p.label} | ${failed.length} request(s) to ${[...new Set(failed.map((r) => new URL(r.url).host))].join(", ")} | failed: ${[...new Set(failed.map((r) => r.failed))].join(", ")} | 0 | — | — |`] : []),
    ];
  }),
].join("\n");
console.log("\n" + fetched);

// ---- 3. identify → identity event, unthrottled ---------------------------------------------------
let identifyLine = "";
try {
  const { userHash } = await import("../dist/server/index.js");
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(`${siteUrl}/identify`);
  await p.waitForFunction(() => window.__ready !== undefined);
  const times = [];
  for (let i = 0; i < 15; i++) {
    const userId = `u_bench_${i}`;
    const claim = { userId, userHash: userHash(secret, userId) };
    times.push(
      await p.evaluate(
        (c) =>
          new Promise((resolve) => {
            const t0 = performance.now();
            const on = (v) => {
              if (v.userId !== c.userId) return;
              window.Parley("off", "identity", on);
              resolve(performance.now() - t0);
            };
            window.Parley("on", "identity", on);
            window.Parley("identify", c);
          }),
        claim,
      ),
    );
  }
  await ctx.close();
  const s = stats(times);
  identifyLine = `identify → \`identity\` event (verified), loopback, no throttling, median of ${s.n}: ${ms(s.med)} ms (min ${ms(s.min)}, max ${ms(s.max)})`;
  console.log("\n" + identifyLine);
} catch (err) {
  console.error(`identify → identity not measured: ${err.message}`);
}

const chromiumVersion = browser.version();
let commit = "";
try {
  commit = execFileSync("git", ["describe", "--always", "--dirty"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
} catch {
  /* not a git checkout: the date alone says when */
}
await browser.close();
site.close();
await cdn.close();
await parley.stop();
for (const folder of [dir, env.PARLEY_DATA_DIR]) rmSync(folder, { recursive: true, force: true });

const method = [
  `Command: \`npm run bench\` (builds first). Headless Chromium ${chromiumVersion}, ${ROUNDS} rounds after one uncounted warm-up round, the pages interleaved in each (${PAGES.map((p) => p.label).join(", ")}), each load in a new browser context with the cache disabled (a first view) and the CPU throttled ${CPU_THROTTLE}× (\`Emulation.setCPUThrottlingRate\`). Measured ${new Date().toISOString().slice(0, 10)}${commit ? ` at \`${commit}\`` : ""}.`,
  "",
  `- **Pages.** One host page (an article, no script of its own) on a loopback origin, with nothing, the floor, Parley or gleap. Parley: the documented snippet and the real \`loader.js\` from \`parley serve\` on another loopback origin; every other file is found through the loader. Floor: \`bench/floor/floor.jsx\` — Preact + @preact/signals-core, a launcher and a panel whose textarea takes focus, in an open shadow root — built with the JSX, target and terser options read from \`vite.config.ts\`'s widget mode, as an ES module with a content-hashed name, added by an inline script after \`load\` as Parley's loader adds its widget. The floor and gleap are served by a static server as a CDN serves files (brotli or gzip by \`Accept-Encoding\`, compressed at the strongest settings, immutable cache, \`Timing-Allow-Origin\`). gleap: its browser build, loaded as its snippet does (async in \`<head>\`, then \`Gleap.initialize\`).`,
  `- **A first view** ends when no request has started, received data or finished for 1.5 s (at most 15 s after \`load\`), then the page's main thread answers a protocol call. Bytes: \`Network.loadingFinished\`'s \`encodedDataLength\` (compressed as served, headers included); "widget" counts every request to another origin than the host's (assets and API calls), "before \`load\`" every request of the page that finished before the \`load\` event, the document included. Script: \`Performance.getMetrics\` ScriptDuration, read through two sessions: on the main thread's CPU clock (\`threadTicks\`, which the throttle slows too, and which other processes on shared cores disturb far less: the target is read on it) and on the wall clock. Long tasks: a \`longtask\` PerformanceObserver. At ${CPU_THROTTLE}× the host page alone has long tasks of its own (its first style, layout and paint): they count under "any cause"; a long task "runs the widget's script" when the page's trace (categories devtools.timeline and v8, recorded on every page) shows a web script evaluated, compiled or called, or a module evaluated, during it — the host pages have no script of their own beyond the widgets' snippets, which count as the widget's. Heap: \`HeapProfiler.collectGarbage\` twice, then \`Runtime.getHeapUsage\`'s used size, minus the host page alone's in the same round.`,
  `- **Click → composer focused**: after the first view (cache back on, as for a visitor), a real mouse click (\`Input.dispatchMouseEvent\`) on the \`button.launcher\` found in the document or an open shadow root; from the click event's timestamp to the \`focusin\` that puts focus in a \`<textarea>\` (listened for on the document and on the launcher's shadow root), on the page's clock. "Click → settled" runs until the network is quiet again.`,
  `- **Ratios** are Parley's figure over the floor's of the same round; the median of the ${ROUNDS} per-round ratios is compared with the target. "No long task" passes only if no round had one running the widget's script.`,
  gleap
    ? `- **gleap** cannot reach its own servers here (every host but loopback fails to resolve), so it loads and initialises but gets no configuration, renders no launcher, and keeps retrying: its figures are a lower bound of what it costs a real page, and click → composer does not apply (n/a).`
    : "- gleap could not be installed: its column is missing.",
  `- ${cpus().length} CPU cores, shared with the servers and whatever else runs (1-minute load average ${loadBefore.toFixed(1)} when the rounds began, ${loadAfter.toFixed(1)} when they ended): the figures move from round to round (see min/max); compare ratios from one run, not figures across runs.`,
].join("\n");
writeSection(
  "widget",
  `## Widget size and first-view cost\n\n${method}\n\n### Built files\n\nPublished widgets are installed from npm into a temporary folder at bench time; gzip level 9, brotli quality 11.\n\n${sizeTable}\n\n### First view, ${CPU_THROTTLE}× CPU, empty cache\n\n${firstViewTable}\n\n### What each first view fetched (round 1)\n\n${fetched}\n\n### Identify\n\n${identifyLine || "not measured this run"}`,
);
