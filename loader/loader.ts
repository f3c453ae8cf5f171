// The loader: the one script a site owner pastes. It installs the queueing `Parley`, remembers
// its own <script>'s settings for the widget, and fetches the widget once the page has loaded.
// Every byte here is paid by every page view of every site, so it does only that.
import type { LoaderConfig, ParleyQueue } from "../contract/wire.ts";

/** The widget's first chunk, relative to the loader's URL (vite.config.ts defines it). */
declare const __PARLEY_WIDGET__: string;

type Host = Window & { Parley?: ParleyQueue & { booted?: boolean }; ParleySettings?: { open?: boolean } };

/** Commands that need the panel now, so the widget is fetched at once rather than after `load`. */
// Strict equality only: a host may pass anything, and coercing a Symbol or a hostile object throws.
const urgentCommand = (name: unknown) => name === "open" || name === "toggle";

export function install(w: Host, d: Document, script: HTMLScriptElement | null): void {
  try {
    const existing = w.Parley;
    // Our loader or widget already ran: this is a second copy of the snippet.
    if (existing && (existing.c || existing.booted)) return;
    if (!script || !script.src) throw "load it with <script src=…>";
    // The page's own `Parley` (not the stub): say so, then take the name over, keeping nothing of it.
    const stub = existing && (Array.isArray(existing.q) || (typeof existing == "function" && /\.q\b/.test(Function.prototype.toString.call(existing))));
    if (existing && !stub) console.warn("[Parley] window.Parley was already defined by this page; Parley replaces it");
    const q: ArrayLike<unknown>[] & unknown[] = (stub && (existing.q as never)) || [];
    const config: LoaderConfig = { appId: script.dataset.appId, apiBase: script.dataset.apiBase, base: script.src, nonce: script.nonce };
    let requested = 0;
    const load = () => {
      if (requested++) return;
      const s = d.createElement("script");
      // The first chunk, by its content-hashed name (fixed at build time, like a CDN's): a module,
      // so the lazy chunks it imports resolve beside it.
      s.src = new URL(__PARLEY_WIDGET__, script.src).href;
      s.type = "module";
      if (config.nonce) s.nonce = config.nonce;
      s.onerror = () => console.warn("[Parley] could not load " + s.src);
      d.head.appendChild(s);
    };
    const parley = function () {
      // eslint-disable-next-line prefer-rest-params
      q.push(arguments);
      if (urgentCommand(arguments[0])) load();
    } as ParleyQueue;
    parley.q = q;
    parley.c = config;
    w.Parley = parley;
    let urgent = (w.ParleySettings && w.ParleySettings.open) || false;
    for (let i = 0; i < q.length; i++) urgent = urgent || urgentCommand(q[i]![0]);
    // Nothing before it is needed: the widget waits for the host page's own load, unless asked for.
    if (urgent || d.readyState === "complete") load();
    else w.addEventListener("load", load);
  } catch (e) {
    // The value as its own argument: coercing a host's thrown value could throw again.
    console.warn("[Parley] loader:", e);
  }
}
