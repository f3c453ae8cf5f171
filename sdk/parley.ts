// `import { Parley } from "parley"`: the commands of `window.Parley`, typed by the contract, plus
// `load`, which puts the loader on the page. Every call goes through `window.Parley` at the time it
// is made — the inline stub's queue before the widget runs, the widget's dispatcher after — so
// calls made before `load` are replayed in order, and nothing here keeps state of its own.
// Like the widget, it never throws into the page: a bad call is a `console.warn`.
import type { CommandArgs, CommandName, EventHandler, EventName, InitOptions } from "../contract/wire.ts";
import { addLoader, loaderPresent, page, queue, type Page } from "./page.ts";

/** `Parley.load`'s options: where Parley is served, the app, and any `init` option. */
export interface LoadOptions extends Omit<InitOptions, "appId"> {
  /** Where Parley is served: the loader is `<host>/loader.js`, and the API is there too unless `apiBase` says otherwise. */
  host: string;
  appId: string;
  /** Your page's CSP nonce: put on the loader's `<script>`, which hands it on to the widget's. */
  nonce?: string;
}

/**
 * Adds `<script src="<host>/loader.js" data-app-id async>` once, with the other options queued as
 * `init` before it. A page that already has the loader (its own tag, or an earlier `load`) keeps it:
 * a second call changes nothing, and says so when it names another host or app. Outside a browser,
 * a no-op.
 */
export function load(options: LoadOptions): void {
  const p = page("load");
  if (!p) return;
  try {
    const { host, appId, nonce, ...settings } = (options ?? {}) as LoadOptions;
    const src = loaderUrl(p, host);
    if (!src) return warn(`load: host must be the http(s) URL Parley is served from, such as "https://parley.example.com"`);
    if (typeof appId !== "string" || !appId) return warn(`load: appId must be your app's id, such as "app_…"`);
    const present = loaderPresent(p);
    if (present) {
      if (present.base !== src || present.appId !== appId) warn(`load: Parley is already on this page (${present.base || "started"}); this call changes nothing`);
      return;
    }
    if (Object.keys(settings).length) call("init", [settings]);
    addLoader(p, src, appId, typeof nonce === "string" ? nonce : undefined);
  } catch (err) {
    warn("load failed:", err);
  }
}

const command =
  <C extends Exclude<CommandName, "on" | "off">>(name: C) =>
  (...args: CommandArgs[C]): void =>
    call(name, args);

/** Configures the widget before it starts (`load` passes its options here); after, use `identify`/`logout`. */
export const init: (...args: CommandArgs["init"]) => void = /* @__PURE__ */ command("init");
/** Switches to this user at runtime (a single-page app's login). */
export const identify: (...args: CommandArgs["identify"]) => void = /* @__PURE__ */ command("identify");
/** Forgets this user's local state: a fresh anonymous visitor. */
export const logout: (...args: CommandArgs["logout"]) => void = /* @__PURE__ */ command("logout");
/** Opens the panel: `{ message }` pre-fills the composer (the visitor still sends it), `{ tab }` picks the tab. */
export const open: (...args: CommandArgs["open"]) => void = /* @__PURE__ */ command("open");
export const close: (...args: CommandArgs["close"]) => void = /* @__PURE__ */ command("close");
export const toggle: (...args: CommandArgs["toggle"]) => void = /* @__PURE__ */ command("toggle");

/** Calls `handler` on each `event`, with that event's payload; returns how to stop. */
export function on<E extends EventName>(event: E, handler: EventHandler<E>): () => void {
  call("on", [event, handler]);
  return () => call("off", [event, handler]);
}

export function off<E extends EventName>(event: E, handler: EventHandler<E>): void {
  call("off", [event, handler]);
}

function call(name: CommandName, args: unknown[]): void {
  const p = page(name);
  if (!p) return;
  try {
    queue(p.win)(name, ...args);
  } catch (err) {
    // Only a page's own `window.Parley` can throw: the stub and the widget's dispatcher never do.
    warn(`${name} failed:`, err);
  }
}

function loaderUrl({ doc }: Page, host: unknown): string | undefined {
  if (typeof host !== "string" || !host) return undefined;
  try {
    const base = new URL(host.replace(/\/*$/, "/"), doc.baseURI);
    return /^https?:$/.test(base.protocol) ? new URL("loader.js", base).href : undefined;
  } catch {
    return undefined;
  }
}

const warn = (...args: unknown[]) => void console.warn(`[Parley] ${args[0] as string}`, ...args.slice(1));
