// `import { Parley } from "parley"`: load puts the loader on the page once; every call before it
// is queued through the stub and reaches the widget in order; nothing throws into the page.
import { describe, expect, it, vi } from "vitest";
import type { Claim } from "../../contract/wire.ts";
import { install } from "../../loader/loader.ts";
import { Parley } from "../../sdk/index.ts";
import { API, fakeDocument, hashA, until, useApi, usePage, win } from "../unit/helpers.ts";

const page = usePage();
const api = useApi();

const loaders = () => [...document.querySelectorAll<HTMLScriptElement>('script[src$="loader.js"]')];
const queued = () => Array.from((win.Parley?.q ?? []) as ArrayLike<unknown>[], (args) => Array.from(args));

describe("Parley.load", () => {
  it("adds the loader's script once, async, with the app id and the nonce", () => {
    Parley.load({ host: "https://parley.example.com", appId: "app_1", nonce: "n0nce" });
    Parley.load({ host: "https://parley.example.com/", appId: "app_1", nonce: "n0nce" });
    expect(loaders()).toHaveLength(1);
    const [s] = loaders();
    expect(s!.src).toBe("https://parley.example.com/loader.js");
    expect(s!.async).toBe(true);
    expect(s!.dataset.appId).toBe("app_1");
    expect(s!.nonce).toBe("n0nce");
    expect(page.warnings()).toEqual([]);
  });

  it("serves the loader from a path under the host", () => {
    Parley.load({ host: "https://cdn.example.com/parley", appId: "app_1" });
    expect(loaders()[0]!.src).toBe("https://cdn.example.com/parley/loader.js");
  });

  it("queues its other options as init, after the calls made before it", () => {
    const refreshIdentity = async () => hashA;
    Parley.identify(hashA);
    Parley.load({ host: "https://parley.example.com", appId: "app_1", launcher: false, refreshIdentity });
    expect(queued()).toEqual([
      ["identify", hashA],
      ["init", { launcher: false, refreshIdentity }],
    ]);
  });

  it("queues no init when there is nothing but the host and the app", () => {
    Parley.load({ host: "https://parley.example.com", appId: "app_1" });
    expect(queued()).toEqual([]);
  });

  it("says so, and changes nothing, when the page already has Parley for another app or host", () => {
    Parley.load({ host: "https://parley.example.com", appId: "app_1" });
    Parley.load({ host: "https://parley.example.com", appId: "app_2", launcher: false });
    Parley.load({ host: "https://other.example.com", appId: "app_1" });
    expect(loaders()).toHaveLength(1);
    expect(queued()).toEqual([]);
    expect(page.warnings()).toEqual([
      "[Parley] load: Parley is already on this page (https://parley.example.com/loader.js); this call changes nothing",
      "[Parley] load: Parley is already on this page (https://parley.example.com/loader.js); this call changes nothing",
    ]);
  });

  it("keeps a loader the page's own <script> tag already ran", () => {
    const tag = document.createElement("script");
    tag.src = "https://parley.example.com/loader.js";
    tag.dataset.appId = "app_1";
    install(win, fakeDocument("loading").doc, tag);
    Parley.load({ host: "https://parley.example.com", appId: "app_1" });
    expect(loaders()).toHaveLength(0);
    expect(page.warnings()).toEqual([]);
  });

  it.each([
    [{ host: "parley.example.com:8787", appId: "app_1" }, 'host must be the http(s) URL Parley is served from, such as "https://parley.example.com"'],
    [{ host: "javascript:alert(1)", appId: "app_1" }, 'host must be the http(s) URL Parley is served from, such as "https://parley.example.com"'],
    [{ host: "https://parley.example.com", appId: "" }, 'appId must be your app\'s id, such as "app_…"'],
    [undefined, 'host must be the http(s) URL Parley is served from, such as "https://parley.example.com"'],
  ])("warns about bad options and adds nothing: %j", (options, warning) => {
    expect(() => Parley.load(options as never)).not.toThrow();
    expect(loaders()).toEqual([]);
    expect(page.warnings()).toEqual([`[Parley] load: ${warning}`]);
  });
});

describe("the commands", () => {
  it("run nothing at import and install nothing until called", () => {
    expect(win.Parley).toBeUndefined();
    Parley.open({ message: "Hello" });
    expect(queued()).toEqual([["open", { message: "Hello" }]]);
  });

  it("go through whatever window.Parley is at the time of the call", () => {
    const calls: unknown[][] = [];
    win.Parley = (...args: unknown[]) => calls.push(args);
    const handler = ({ count }: { count: number }) => count;
    const stop = Parley.on("unread", handler);
    Parley.logout();
    Parley.close();
    Parley.toggle();
    Parley.init({ debug: true });
    stop();
    Parley.off("unread", handler);
    expect(calls).toEqual([["on", "unread", handler], ["logout"], ["close"], ["toggle"], ["init", { debug: true }], ["off", "unread", handler], ["off", "unread", handler]]);
  });

  it("never throw into the page, even when the page's own window.Parley does", () => {
    win.Parley = () => {
      throw new Error("not ours");
    };
    expect(() => Parley.open()).not.toThrow();
    expect(page.warnings()).toEqual(["[Parley] open failed: Error: not ours"]);
  });

  it("reach the widget in order once the loader and the widget run: typed end to end", async () => {
    const seen: string[] = [];
    const claim: Claim = hashA;
    Parley.on("identity", (v) => seen.push(`${v.status}:${v.userId}`));
    Parley.identify(claim);
    Parley.load({ host: "https://parley.example.com", appId: "app_test", apiBase: API });
    // What the browser does with the script load added: the loader runs against its own tag, and later the widget.
    install(win, document, loaders()[0]!);
    const chat = page.boot();
    expect(chat?.appId).toBe("app_test");
    await until(() => seen.length > 0, "the identity event");
    expect(seen).toEqual([`verified:${hashA.userId}`]);
    expect(api.requests.every((r) => r.body.identity?.userId === hashA.userId)).toBe(true);
    // After boot the same functions call the widget directly.
    const opened = vi.fn();
    Parley.on("open", opened);
    Parley.open();
    expect(opened).toHaveBeenCalledWith(undefined);
  });
});
