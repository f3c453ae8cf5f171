// install(window, document, script): the queueing `Parley`, the handoff read from the loader's own
// <script>, and when the widget bundle is fetched. The widget side of the queue is in boot.test.ts.
import { describe, expect, it } from "vitest";
import { install } from "../../loader/loader.ts";
import { fakeDocument, loaderScript, usePage } from "./helpers.ts";

const page = usePage();

/** A window of its own, so load listeners and globals never leak between tests. */
function fakeWindow(globals: Record<string, unknown> = {}) {
  return Object.assign(new EventTarget(), globals) as unknown as Window & { Parley?: any; ParleySettings?: any };
}

/** The documented stub (STUB), with its global `Parley` read from `w`, so it runs against `w`. */
function stubOn(w: { Parley?: any }) {
  w.Parley =
    w.Parley ||
    function () {
      // eslint-disable-next-line prefer-rest-params
      (w.Parley.q = w.Parley.q || []).push(arguments);
    };
}

const asArrays = (q: ArrayLike<unknown>[]) => Array.from(q, (args) => Array.from(args));

describe("the queue", () => {
  it("keeps the stub's calls and queues later calls after them, in one array", () => {
    const w = fakeWindow();
    stubOn(w);
    const stub = w.Parley;
    w.Parley("on", "ready", "f1");
    w.Parley("identify", { userId: "u1" });
    const { doc } = fakeDocument("loading");

    install(w, doc, loaderScript({ appId: "app_1" }));

    expect(w.Parley).not.toBe(stub);
    w.Parley("logout");
    w.Parley("open");
    expect(asArrays(w.Parley.q)).toEqual([["on", "ready", "f1"], ["identify", { userId: "u1" }], ["logout"], ["open"]]);
    // A host that kept a reference to the stub still queues into the same array.
    expect(w.Parley.q).toBe(stub.q);
  });

  it("installs the queueing Parley itself when the page has no stub", () => {
    const w = fakeWindow();
    install(w, fakeDocument("loading").doc, loaderScript());
    expect(typeof w.Parley).toBe("function");
    w.Parley("close");
    w.Parley("toggle", 1, 2);
    expect(asArrays(w.Parley.q)).toEqual([["close"], ["toggle", 1, 2]]);
  });

  it("hands the widget data-app-id, data-api-base, its own URL and nonce", () => {
    const w = fakeWindow();
    install(w, fakeDocument("loading").doc, loaderScript({ src: "https://cdn.test/v1/loader.js", appId: "app_42", apiBase: "https://api.example", nonce: "n0nce" }));
    expect(w.Parley.c).toEqual({ appId: "app_42", apiBase: "https://api.example", base: "https://cdn.test/v1/loader.js", nonce: "n0nce" });
  });

  it("leaves app id and api base unset when the tag has no data attributes", () => {
    const w = fakeWindow();
    install(w, fakeDocument("loading").doc, loaderScript());
    expect(w.Parley.c.appId).toBeUndefined();
    expect(w.Parley.c.apiBase).toBeUndefined();
  });
});

describe("fetching widget.js", () => {
  it("waits for the window load event while the page is still loading", () => {
    const w = fakeWindow();
    const { doc, appended } = fakeDocument("loading");
    install(w, doc, loaderScript({ src: "https://cdn.test/parley/loader.js", nonce: "abc" }));
    w.Parley("close");
    w.Parley("on", "open", () => {});
    expect(appended).toHaveLength(0);

    w.dispatchEvent(new Event("load"));
    expect(appended).toHaveLength(1);
    const s = appended[0]!;
    expect(s.tagName).toBe("SCRIPT");
    // The first chunk's hashed name is fixed by the build (vite.config.ts); "widget.js" in tests.
    expect(s.src).toBe("https://cdn.test/parley/widget.js");
    expect(s.type).toBe("module");
    expect(s.nonce).toBe("abc");

    w.dispatchEvent(new Event("load"));
    expect(appended).toHaveLength(1);
  });

  it.each(["interactive", "loading"] as const)("does not fetch while readyState is %s and nothing asks for it", (state) => {
    const w = fakeWindow();
    const { doc, appended } = fakeDocument(state);
    install(w, doc, loaderScript());
    expect(appended).toHaveLength(0);
  });

  it("fetches at once when the page has already loaded", () => {
    const w = fakeWindow();
    const { doc, appended } = fakeDocument("complete");
    install(w, doc, loaderScript());
    expect(appended).toHaveLength(1);
  });

  it.each(["open", "toggle"])("fetches at once when %s was queued before the loader", (command) => {
    const w = fakeWindow();
    stubOn(w);
    w.Parley("on", "ready", () => {});
    w.Parley(command);
    const { doc, appended } = fakeDocument("loading");
    install(w, doc, loaderScript());
    expect(appended).toHaveLength(1);
  });

  it.each(["open", "toggle"])("fetches at once when %s is called after the loader, and only once", (command) => {
    const w = fakeWindow();
    const { doc, appended } = fakeDocument("loading");
    install(w, doc, loaderScript());
    w.Parley("identify", { userId: "u" });
    expect(appended).toHaveLength(0);
    w.Parley(command);
    w.Parley(command);
    w.dispatchEvent(new Event("load"));
    expect(appended).toHaveLength(1);
    expect(asArrays(w.Parley.q).map((c) => c[0])).toEqual(["identify", command, command]);
  });

  it("fetches at once when ParleySettings.open asks for the panel", () => {
    const w = fakeWindow({ ParleySettings: { appId: "app_1", open: true } });
    const { doc, appended } = fakeDocument("loading");
    install(w, doc, loaderScript());
    expect(appended).toHaveLength(1);
  });

  it("warns, without throwing, when widget.js cannot be loaded", () => {
    const w = fakeWindow();
    const { doc, appended } = fakeDocument("complete");
    install(w, doc, loaderScript());
    appended[0]!.onerror!(new Event("error"));
    expect(page.warnings().join("\n")).toMatch(/could not load https:\/\/cdn\.test\/parley\/widget\.js/);
  });
});

describe("a second copy of the loader", () => {
  it("does nothing when a loader already ran", () => {
    const w = fakeWindow();
    const first = fakeDocument("complete");
    install(w, first.doc, loaderScript({ appId: "app_1" }));
    const parley = w.Parley;
    w.Parley("open");

    const second = fakeDocument("complete");
    install(w, second.doc, loaderScript({ appId: "app_2", src: "https://elsewhere.test/loader.js" }));
    expect(w.Parley).toBe(parley);
    expect(w.Parley.c.appId).toBe("app_1");
    expect(asArrays(w.Parley.q)).toEqual([["open"]]);
    expect(second.appended).toHaveLength(0);
    expect(first.appended).toHaveLength(1);
  });

  it("does nothing when the widget has already booted", () => {
    const booted = Object.assign(() => {}, { booted: true });
    const w = fakeWindow({ Parley: booted });
    const { doc, appended } = fakeDocument("complete");
    install(w, doc, loaderScript());
    expect(w.Parley).toBe(booted);
    expect(appended).toHaveLength(0);
  });
});

describe("install never throws into the host page", () => {
  it("warns when there is no script element (e.g. inlined, no currentScript)", () => {
    const w = fakeWindow();
    expect(() => install(w, fakeDocument("complete").doc, null)).not.toThrow();
    expect(page.warnings().join("\n")).toMatch(/\[Parley\] loader: .*script src/);
  });

  it("warns when its script has no src", () => {
    const w = fakeWindow();
    const s = document.createElement("script");
    expect(() => install(w, fakeDocument("complete").doc, s)).not.toThrow();
    expect(page.warn).toHaveBeenCalledTimes(1);
  });

  it("accepts Symbols and hostile objects as command names, before and after it runs", () => {
    const hostile = {
      toString() {
        throw new Error("no");
      },
      valueOf() {
        throw new Error("no");
      },
    };
    const w = fakeWindow();
    stubOn(w);
    w.Parley(Symbol("open"));
    w.Parley(hostile);
    const { doc, appended } = fakeDocument("loading");
    expect(() => install(w, doc, loaderScript())).not.toThrow();
    expect(() => w.Parley(Symbol.iterator)).not.toThrow();
    expect(() => w.Parley(hostile, hostile)).not.toThrow();
    expect(() => w.Parley()).not.toThrow();
    expect(w.Parley.q).toHaveLength(5);
    expect(appended).toHaveLength(0);
    expect(page.warn).not.toHaveBeenCalled();
  });

  it("survives a ParleySettings that throws when read", () => {
    const w = fakeWindow();
    Object.defineProperty(w, "ParleySettings", {
      get() {
        throw new Error("hostile getter");
      },
    });
    expect(() => install(w, fakeDocument("complete").doc, loaderScript())).not.toThrow();
    expect(page.warnings().join("\n")).toMatch(/hostile getter/);
  });

  it("survives a ParleySettings that is not an object", () => {
    for (const settings of [null, 0, "open", [], true]) {
      const w = fakeWindow({ ParleySettings: settings });
      const { doc, appended } = fakeDocument("loading");
      expect(() => install(w, doc, loaderScript())).not.toThrow();
      expect(typeof w.Parley).toBe("function");
      expect(appended).toHaveLength(0);
    }
  });
});
