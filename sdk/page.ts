// The page the npm entry works on: `window.Parley` (the queue, installed here if nothing installed
// it yet) and the loader's <script>. Nothing is read at import, so a server can import this.
import type { LoaderConfig, ParleyQueue } from "../contract/wire.ts";

type Queue = ParleyQueue & { booted?: boolean };
// Not `Window &`: a page that includes `parley/global` has typed `window.Parley` for its own calls.
export type Page = { win: { Parley?: Queue }; doc: Document };

let warnedServer = false;

/** The page, or undefined outside a browser (server rendering), where every call is a no-op. */
export function page(method: string): Page | undefined {
  if (typeof window !== "undefined" && typeof document !== "undefined") return { win: window as unknown as Page["win"], doc: document };
  if (!warnedServer) {
    warnedServer = true;
    console.warn(`[Parley] Parley.${method}() ignored: not in a browser (server rendering?). Call Parley from the browser — in an effect or an event handler.`);
  }
  return undefined;
}

/**
 * `window.Parley`: the page's own (the loader's, the widget's, or the inline stub) when there is
 * one; otherwise the stub, installed now, whose queue the loader adopts and the widget replays.
 */
export function queue(win: Page["win"]): Queue {
  if (typeof win.Parley === "function") return win.Parley;
  const q: unknown[][] = [];
  return (win.Parley = Object.assign((...args: unknown[]) => void q.push(args), { q }));
}

/** Whether a loader is already on this page: its own <script> tag, or an earlier `Parley.load`. */
export function loaderPresent({ win, doc }: Page): LoaderConfig | { base: string; appId?: string } | undefined {
  const q = win.Parley as Queue | undefined;
  if (q?.c) return q.c;
  const script = doc.querySelector<HTMLScriptElement>("script[data-parley-sdk]");
  if (script) return { base: script.src, appId: script.dataset.appId };
  return q?.booted ? { base: "" } : undefined;
}

/** Adds the loader's <script async> (the loader hands its nonce on to the widget). */
export function addLoader({ doc }: Page, src: string, appId: string, nonce: string | undefined) {
  const s = doc.createElement("script");
  s.async = true;
  s.src = src;
  s.dataset.appId = appId;
  s.dataset.parleySdk = "";
  if (nonce) s.nonce = nonce;
  doc.head.appendChild(s);
}
