// One first view of one host page in headless Chromium, measured through the DevTools protocol,
// then one click on the widget's launcher. The harness does not poll the page: the figures come
// from the protocol (network events, Performance.getMetrics, a trace, the heap), so no widget is
// charged for the harness's own script. In the page run only a long-task observer (installed
// before the page's scripts, the same on every page) and, after the first view, the click probe.

/** CPU slowdown for every figure here, as Lighthouse's mobile profile uses. */
export const CPU_THROTTLE = 4;
/** A first view is over when no request has started, received data or finished for this long. */
const QUIET_MS = 1500;
/** ...or this long after `load`, for a widget that retries a server it cannot reach. */
const SETTLE_CAP_MS = 15_000;
const OPEN_TIMEOUT_MS = 15_000;

/**
 * @typedef {{ url: string, phase: "before load" | "after load" | "on open", encoding?: string, tao?: string, bytes: number, failed?: string, end?: number }} Request
 * @typedef {{ wall: number, cpu: number }} Script ScriptDuration in ms, on the wall clock and on the main thread's CPU clock
 * @typedef {{ duration: number, widget: boolean }} LongTask `widget`: the widget's script ran in it
 * @typedef {{ pageBytesBeforeLoad: number, widgetBytes: number, widgetBytesThroughOpen: number, script: Script, longTasks: LongTask[], heap: number,
 *   composer?: number, openScript?: Script, openLongTasks?: LongTask[], requests: Request[] }} PageMeasure
 */

/**
 * @param {import("@playwright/test").Browser} browser
 * @param {{ url: string, launcher?: string }} target `launcher`: a CSS selector for the launcher
 *   button, looked for in the document and in every open shadow root; none: the click is skipped.
 * @returns {Promise<PageMeasure>}
 */
export async function measurePage(browser, { url, launcher }) {
  const site = new URL(url).origin;
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      const long = (window.__benchLong = []);
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) long.push([e.startTime, e.duration]);
      }).observe({ type: "longtask", buffered: true });
    });
    const cdp = await ctx.newCDPSession(page);

    /** @type {Map<string, Request>} */
    const requests = new Map();
    let opening = false;
    let lastActivity = Date.now();
    let loadedAt = 0;
    const touch = () => (lastActivity = Date.now());
    cdp.on("Network.requestWillBeSent", (e) => {
      touch();
      if (!requests.has(e.requestId)) requests.set(e.requestId, { url: e.request.url, phase: opening ? "on open" : "after load", bytes: 0 });
    });
    cdp.on("Network.responseReceived", (e) => {
      const r = requests.get(e.requestId);
      if (!r) return;
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      r.encoding = headers["content-encoding"] ?? "identity";
      r.tao = headers["timing-allow-origin"];
    });
    cdp.on("Network.dataReceived", touch);
    // encodedDataLength: every byte received for the request, headers included: what the wire carried.
    cdp.on("Network.loadingFinished", (e) => {
      touch();
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { bytes: e.encodedDataLength, end: e.timestamp });
    });
    cdp.on("Network.loadingFailed", (e) => {
      touch();
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { failed: e.errorText, end: e.timestamp });
    });
    cdp.on("Page.loadEventFired", () => (loadedAt = Date.now()));
    await cdp.send("Page.enable");
    await cdp.send("Network.enable");
    // A new context has an empty cache already; this also keeps the first view from the memory cache.
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    // ScriptDuration twice: on the wall clock (what the visitor waits) and on the main thread's CPU
    // clock, which other processes on shared cores disturb far less. The throttle slows both.
    await cdp.send("Performance.enable", { timeDomain: "timeTicks" });
    const cpu = await ctx.newCDPSession(page);
    await cpu.send("Performance.enable", { timeDomain: "threadTicks" });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_THROTTLE });
    // A trace of script events only says whose script ran in which long task; nothing else reads it.
    const trace = [];
    cdp.on("Tracing.dataCollected", (e) => trace.push(...e.value));
    const traced = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
    await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "v8"] }, transferMode: "ReportEvents" });

    const quiet = async (since) => {
      while (Date.now() - lastActivity < QUIET_MS && Date.now() - since < SETTLE_CAP_MS) await sleep(100);
      // A protocol round trip through the page's main thread: it answers once the page's own work is done.
      await cdp.send("Runtime.evaluate", { expression: "0" });
    };
    const scriptMs = async () => {
      const read = async (session) => 1000 * ((await session.send("Performance.getMetrics")).metrics.find((m) => m.name === "ScriptDuration")?.value ?? NaN);
      return { wall: await read(cdp), cpu: await read(cpu) };
    };
    const sum = (pred) => [...requests.values()].filter((r) => r.end !== undefined && pred(r)).reduce((s, r) => s + r.bytes, 0);
    const widget = (r) => new URL(r.url).origin !== site;

    await page.goto(url, { waitUntil: "load" });
    await quiet(loadedAt || Date.now());
    const script = await scriptMs();
    const longTasks = await page.evaluate(() => window.__benchLong.splice(0));
    // Before `load`: what finished before the event started. Page.loadEventFired is stamped after
    // the event's listeners ran, and a widget a listener asks for can arrive by then on loopback,
    // so the page's own Resource Timing says when each response ended (exposed cross-origin even
    // without Timing-Allow-Origin; only sizes are not) and the protocol says how many bytes it took.
    const timing = await page.evaluate(() => ({
      loadStart: performance.getEntriesByType("navigation")[0].loadEventStart,
      ended: performance.getEntriesByType("resource").map((e) => [e.name, e.responseEnd]),
    }));
    const endedBeforeLoad = new Set(timing.ended.filter(([, end]) => end > 0 && end <= timing.loadStart).map(([name]) => name));
    for (const r of requests.values()) if (r.url === page.url() || endedBeforeLoad.has(r.url)) r.phase = "before load";
    // Twice: a weak reference or finalizer freed in one pass frees more in the next.
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    /** @type {PageMeasure} */
    const out = {
      pageBytesBeforeLoad: sum((r) => r.phase === "before load"),
      widgetBytes: sum(widget),
      widgetBytesThroughOpen: NaN,
      script,
      longTasks,
      heap: usedSize,
      requests: [],
    };

    if (launcher) {
      // What the first view fetched stays in the cache for the open, as it would for a visitor.
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
      opening = true;
      const at = await page.evaluate(installClickProbe, launcher);
      if (!at) throw new Error(`${url}: no ${launcher} in the document or an open shadow root after the first view`);
      await page.mouse.click(at.x, at.y);
      // Waits on the probe's promise, not by polling: polling would run script in the page being timed.
      const probe = await Promise.race([page.evaluate(() => window.__benchFocused), sleep(OPEN_TIMEOUT_MS).then(() => undefined)]);
      if (!probe) {
        const active = await page.evaluate(() => window.__benchDeepActive());
        throw new Error(`${url}: ${OPEN_TIMEOUT_MS} ms after the click on ${launcher}, focus is on ${active ?? "nothing"}, not a textarea`);
      }
      out.composer = probe.focus - probe.click;
      await quiet(Date.now());
      const after = await scriptMs();
      out.openScript = { wall: after.wall - script.wall, cpu: after.cpu - script.cpu };
      out.openLongTasks = await page.evaluate(() => window.__benchLong.splice(0));
      out.widgetBytesThroughOpen = sum(widget);
    }
    out.requests = [...requests.values()];
    // Page clock and trace clock, read at one instant.
    const pageNow = await page.evaluate((mark) => {
      const now = performance.now();
      console.timeStamp(mark);
      return now;
    }, SYNC_MARK);
    await cdp.send("Tracing.end");
    await traced;
    const ranWidget = widgetScriptIn(trace, pageNow);
    out.longTasks = longTasks.map(ranWidget);
    if (out.openLongTasks) out.openLongTasks = out.openLongTasks.map(ranWidget);
    return out;
  } finally {
    await ctx.close();
  }
}

/**
 * Runs in the page: finds the launcher (in the document or any open shadow root), starts timing
 * clicks and focus, and returns where to click. Focus moving inside one shadow root never reaches
 * the document (the event's target and related target are the same host), so the probe listens on
 * the launcher's root as well. Times are the click's input timestamp and the `focusin` that put
 * focus in a textarea, on the page's clock.
 * @param {string} selector
 */
function installClickProbe(selector) {
  const find = (root) => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const el of root.querySelectorAll("*")) {
      const inner = el.shadowRoot && find(el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  const deepActive = () => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a ? a.tagName : undefined;
  };
  const button = find(document);
  if (!button) return null;
  window.__benchDeepActive = deepActive;
  let click;
  let focused;
  window.__benchFocused = new Promise((resolve) => (focused = resolve));
  const onFocus = () => {
    if (click !== undefined && deepActive() === "TEXTAREA") focused({ click, focus: performance.now() });
  };
  addEventListener("click", (e) => (click ??= e.timeStamp), true);
  document.addEventListener("focusin", onFocus, true);
  const root = button.getRootNode();
  if (root !== document) root.addEventListener("focusin", onFocus, true);
  const box = button.getBoundingClientRect();
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
}

const SYNC_MARK = "parley-bench-sync";
/** Trace events that run script and name it (`args.data.url`, or `fileName` for compiles). */
const SCRIPT_EVENTS = new Set(["EvaluateScript", "FunctionCall", "v8.compile", "v8.compileModule"]);

/**
 * Says, for a long task ([start, duration] on the page's clock), whether the widget's script ran
 * in it: a script event on the page's main thread from a web URL, or any module evaluation (which
 * names no URL). The host pages have no script of their own but the widgets' snippets (which count
 * as the widget's: gleap's initialize is called from one), and the harness's scripts have no web
 * URL. At 4× CPU a host page alone has long tasks of its own (its first style, layout and paint),
 * which are not the widget's to answer for. A task that only ran promise callbacks names no URL
 * and is not attributed.
 * @returns {(task: [number, number]) => LongTask}
 */
function widgetScriptIn(trace, pageNow) {
  const mark = trace.find((e) => e.name === "TimeStamp" && e.args?.data?.message === SYNC_MARK);
  if (!mark) throw new Error("the trace has no sync mark: cannot tell whose script ran in a long task");
  const toPage = (us) => us / 1000 - (mark.ts / 1000 - pageNow);
  const spans = trace
    .filter((e) => e.ph === "X" && e.pid === mark.pid && e.tid === mark.tid)
    .filter((e) => {
      if (e.name === "v8.evaluateModule") return true;
      const url = e.args?.data?.url ?? e.args?.fileName;
      return SCRIPT_EVENTS.has(e.name) && typeof url === "string" && /^https?:/.test(url);
    })
    .map((e) => [toPage(e.ts), toPage(e.ts + (e.dur ?? 0))]);
  return ([start, duration]) => ({ duration, widget: spans.some(([from, to]) => from < start + duration && to > start) });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
