// `npm run bench`: what Parley costs a host page, beside published chat widgets.
// 1. raw/gzip/brotli bytes of Parley's loader and widget and of widgets installed from npm now;
// 2. host-page cost in headless Chromium, medians over several runs, as a ratio to the same page
//    without Parley; 3. identify → `identity` event on loopback. Writes BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { findChromium } from "../scripts/find-chromium.js";
import { cli, startServer } from "../scripts/server-process.js";
import { writeSection } from "./report.js";

const RUNS = Number(process.env.BENCH_RUNS || 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sizes = (files) => {
  const raw = Buffer.concat(files.map((f) => readFileSync(f)));
  return { raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length, brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
};

// ---- 1. bytes ---------------------------------------------------------------------------------
const { userHash } = await import("../dist/server/index.js");
const rows = [
  ["Parley loader (`dist/loader.js`)", sizes(["dist/loader.js"])],
  ["Parley widget (`dist/widget.js`)", sizes(["dist/widget.js"])],
  ["Parley, loader + widget", sizes(["dist/loader.js", "dist/widget.js"])],
];
const dir = mkdtempSync(join(tmpdir(), "parley-widgets-"));
writeFileSync(join(dir, "package.json"), "{}");
const PACKAGES = ["gleap", "@rocket.chat/livechat", "crisp-sdk-web", "@intercom/messenger-js-sdk"];
try {
  execFileSync("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", ...PACKAGES], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  const nm = (p) => join(dir, "node_modules", p);
  const version = (p) => JSON.parse(readFileSync(join(nm(p), "package.json"), "utf8")).version;
  rows.push([`gleap ${version("gleap")}, whole widget (build/esm/index.mjs)`, sizes([join(nm("gleap"), "build/esm/index.mjs")])]);
  const livechat = join(nm("@rocket.chat/livechat"), "build");
  const boot = [...readFileSync(join(livechat, "index.html"), "utf8").matchAll(/src="livechat\/([^"]+\.js)"/g)].map((m) => join(livechat, m[1]));
  rows.push([`@rocket.chat/livechat ${version("@rocket.chat/livechat")}, scripts at boot (${boot.length} files of index.html)`, sizes(boot)]);
  rows.push([`crisp-sdk-web ${version("crisp-sdk-web")} — a loader of Crisp's remote script`, sizes([join(nm("crisp-sdk-web"), "dist/crisp.esm.js")])]);
  const ic = join(nm("@intercom/messenger-js-sdk"), "dist");
  rows.push([`@intercom/messenger-js-sdk ${version("@intercom/messenger-js-sdk")} — a loader of Intercom's remote script`, sizes(["index.js", "instance-manager.js", "constants.js"].map((f) => join(ic, f)))]);
} catch (err) {
  console.error(`could not install the published widgets to compare with: ${err.message}`);
}
const kb = (n) => (n / 1024).toFixed(1);
const sizeTable = [
  "| bundle | raw KB | gzip KB | brotli KB |",
  "|---|---|---|---|",
  ...rows.map(([name, s]) => `| ${name} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`),
].join("\n");
console.log(sizeTable);

// ---- 2 and 3. the host page --------------------------------------------------------------------
const env = { PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), "parley-bench-")), PARLEY_RATE_APP_PER_MIN: "0", PARLEY_RATE_VISITOR_PER_MIN: "0" };
const { appId } = cli(["app", "create", "--name", "bench"], env);
const { secret } = cli(["key", "create", "--app", appId], env);
const parley = await startServer(env);

const ARTICLE = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i}: a host page with ordinary content, some of it long enough to wrap across the width of the window.</p>`).join("");
const page = (withParley) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
<style>body{font:16px system-ui;max-width:40rem;margin:2rem auto}</style>
${withParley ? `<script>window.ParleySettings={appId:${JSON.stringify(appId)}};window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};Parley("on","ready",function(){window.__ready=performance.now()})</script>
<script src="${parley.url}/loader.js" async></script>` : ""}
<script>for(let i=0,s=0;i<2e5;i++)s+=i;</script></head><body><h1>Host page</h1>${ARTICLE}</body></html>`;
const site = createServer((req, res) => {
  res.setHeader("content-type", "text/html");
  res.end(page(req.url === "/with"));
});
await new Promise((r) => site.listen(0, "127.0.0.1", r));
const siteUrl = `http://127.0.0.1:${site.address().port}`;

const browser = await chromium.launch({ executablePath: await findChromium(), args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
async function measure(path) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.addInitScript(() => {
    window.__long = 0;
    new PerformanceObserver((l) => (window.__long += l.getEntries().length)).observe({ type: "longtask", buffered: true });
  });
  const cdp = await ctx.newCDPSession(p);
  await cdp.send("Performance.enable");
  await p.goto(siteUrl + path, { waitUntil: "load" });
  if (path === "/with") await p.waitForFunction(() => window.__ready !== undefined);
  else await p.waitForTimeout(300);
  const { metrics } = await cdp.send("Performance.getMetrics");
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  const page = await p.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const before = performance.getEntriesByType("resource").filter((r) => r.responseEnd <= nav.loadEventStart);
    return { bytes: nav.transferSize + before.reduce((s, r) => s + r.transferSize, 0), load: nav.loadEventEnd, ready: window.__ready, long: window.__long };
  });
  await ctx.close();
  return { script: m.ScriptDuration * 1000, long: page.long, bytes: page.bytes, loadToReady: page.ready === undefined ? undefined : page.ready - page.load };
}
const runs = { plain: [], with: [] };
for (let i = 0; i < RUNS; i++) {
  runs.plain.push(await measure("/plain"));
  runs.with.push(await measure("/with"));
}
const med = (k, key) => median(runs[k].map((r) => r[key]));
const ratio = (key) => (med("plain", key) ? (med("with", key) / med("plain", key)).toFixed(2) + "×" : "—");
const hostTable = [
  `| per page load (median of ${RUNS}) | without Parley | with Parley | ratio |`,
  "|---|---|---|---|",
  `| main-thread scripting, ms | ${med("plain", "script").toFixed(1)} | ${med("with", "script").toFixed(1)} | ${ratio("script")} |`,
  `| long tasks (> 50 ms) | ${med("plain", "long")} | ${med("with", "long")} | — |`,
  `| bytes fetched before \`load\` | ${med("plain", "bytes")} | ${med("with", "bytes")} | ${ratio("bytes")} |`,
  `| \`load\` → Parley \`ready\`, ms | — | ${med("with", "loadToReady").toFixed(1)} | — |`,
].join("\n");
console.log("\n" + hostTable);

// identify → identity event, on loopback, through the real server and verification.
const ctx = await browser.newContext();
const p = await ctx.newPage();
await p.goto(siteUrl + "/with");
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
const identifyLine = `identify → \`identity\` event (verified), loopback, median of ${times.length}: ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`;
console.log("\n" + identifyLine);
const chromiumVersion = browser.version();
await browser.close();
site.close();
await parley.stop();

writeSection("widget", `## Widget size and host-page cost\n\nCommand: \`npm run bench\` (builds first). Published widgets are installed from npm into a temporary folder at bench time; gzip level 9, brotli quality 11. Host page: a static article with a small inline script, served on loopback; headless Chromium ${chromiumVersion}; Parley's API on another loopback origin. Measured ${new Date().toISOString().slice(0, 10)}.\n\n${sizeTable}\n\n${hostTable}\n\n${identifyLine}`);
