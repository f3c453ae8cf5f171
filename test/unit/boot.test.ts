// boot(window, mount): the widget taking over the loader's queue. The stub, the loader and boot run
// here in the order a real page runs them; `mount` is a fake that records the chat it is given.
import { describe, expect, it, vi } from "vitest";
import { install } from "../../loader/loader.ts";
import { boot } from "../../widget/core/boot.ts";
import type { Chat } from "../../widget/core/chat.ts";
import { API, fakeDocument, hashA, hashB, loaderScript, Parley, runStub, until, useApi, usePage, win } from "./helpers.ts";

const page = usePage();
const api = useApi();

function fakeMount() {
  const chats: Chat[] = [];
  const mount = vi.fn((chat: Chat) => {
    chats.push(chat);
    return () => {};
  });
  return { mount, chats, get chat() {
    expect(chats).toHaveLength(1);
    return chats[0]!;
  } };
}

/** The loader as the page runs it, against the real window; returns what it appended. */
function loader(attrs: Parameters<typeof loaderScript>[0] = { appId: "app_loader", apiBase: API }) {
  const { doc, appended } = fakeDocument("loading");
  install(win, doc, loaderScript(attrs));
  return appended;
}

function start(mount = fakeMount()) {
  page.cleanup(boot(win, mount.mount));
  return mount;
}

describe("replaying the queue", () => {
  it("fires a ready handler queued through the stub before the widget loaded, once", () => {
    runStub();
    const ready = vi.fn();
    Parley("on", "ready", ready);
    loader();
    expect(ready).not.toHaveBeenCalled();
    start();
    expect(ready).toHaveBeenCalledTimes(1);
  });

  it("replays stub calls, then calls made after the loader, in the order they were made", () => {
    runStub();
    const log: string[] = [];
    Parley("on", "open", () => log.push("open"));
    Parley("on", "close", () => log.push("close"));
    Parley("open");
    loader();
    Parley("close");
    Parley("toggle");
    const m = start();
    expect(log).toEqual(["open", "close", "open"]);
    expect(m.chat.isOpen.value).toBe(true);
  });

  it("ends anonymous when identify was queued and logout queued after it", () => {
    runStub();
    Parley("identify", hashA);
    loader();
    Parley("logout");
    const identities: unknown[] = [];
    Parley("on", "identity", (v: unknown) => identities.push(v));
    const m = start();
    expect(m.chat.claim).toBeNull();
    expect(identities).toEqual([{ status: "anonymous" }]);
  });

  it("ends as the user when logout was queued before identify", () => {
    runStub();
    Parley("logout");
    loader();
    Parley("identify", hashA);
    const m = start();
    expect(m.chat.claim).toEqual(hashA);
  });

  it("applies settings, then every init, then the rest: a queued identify beats init's identity", async () => {
    win.ParleySettings = { appId: "app_settings", identity: hashA };
    runStub();
    Parley("identify", hashB);
    Parley("init", { appId: "app_init", identity: hashA });
    loader();
    const m = start();
    expect(m.chat.claim).toEqual(hashB);
    m.chat.send("hello");
    await until(() => api.messages().length === 1);
    expect(api.messages()[0]!.appId).toBe("app_init");
    expect(api.messages()[0]!.body.identity).toEqual(hashB);
  });

  it("drains the queue with splice, so nothing is replayed twice", () => {
    runStub();
    Parley("toggle");
    const q = win.Parley.q;
    loader();
    Parley("on", "open", () => {});
    expect(q).toHaveLength(2);
    const m = start();
    expect(q).toHaveLength(0);
    expect(m.chat.isOpen.value).toBe(true);
    // A second boot (a second copy of widget.js) finds the first and replays nothing.
    const again = fakeMount();
    page.cleanup(boot(win, again.mount));
    expect(again.mount).not.toHaveBeenCalled();
    expect(m.chat.isOpen.value).toBe(true);
  });
});

describe("after boot", () => {
  it("runs calls immediately instead of queueing them", () => {
    runStub();
    loader();
    const m = start();
    const parley = win.Parley;
    expect(parley.booted).toBe(true);
    Parley("open");
    expect(m.chat.isOpen.value).toBe(true);
    Parley("close");
    expect(m.chat.isOpen.value).toBe(false);
    // The queue left on Parley runs what is pushed onto it (a host's kept stub), keeping nothing.
    expect(parley.q).toHaveLength(0);
    expect(win.Parley).toBe(parley);
  });

  it("ignores a second boot: one mount, the same Parley", () => {
    loader();
    const first = start();
    const parley = win.Parley;
    const second = fakeMount();
    page.cleanup(boot(win, second.mount));
    expect(first.mount).toHaveBeenCalledTimes(1);
    expect(second.mount).not.toHaveBeenCalled();
    expect(win.Parley).toBe(parley);
  });

  it("ignores a second loader: the booted Parley stays and no widget.js is fetched", () => {
    loader();
    const m = start();
    const parley = win.Parley;
    const { doc, appended } = fakeDocument("complete");
    install(win, doc, loaderScript({ appId: "app_other" }));
    expect(win.Parley).toBe(parley);
    expect(appended).toHaveLength(0);
    Parley("open");
    expect(m.chat.isOpen.value).toBe(true);
  });
});

describe("configuration handed over by the loader", () => {
  it("uses data-app-id and data-api-base from the loader's script", async () => {
    loader({ appId: "app_fromtag", apiBase: `${API}/` });
    const m = start();
    m.chat.send("hi");
    await until(() => api.messages().length === 1);
    expect(api.messages()[0]!.url).toBe(`${API}/v1/apps/app_fromtag/messages`);
  });

  it("defaults the API to the loader's own origin", async () => {
    loader({ appId: "app_fromtag", src: `${API}/static/loader.js` });
    const m = start();
    m.chat.send("hi");
    await until(() => api.messages().length === 1);
    expect(api.messages()[0]!.url).toBe(`${API}/v1/apps/app_fromtag/messages`);
  });

  it("lets ParleySettings.appId win over data-app-id", async () => {
    win.ParleySettings = { appId: "app_fromsettings" };
    loader({ appId: "app_fromtag", apiBase: API });
    const m = start();
    m.chat.send("hi");
    await until(() => api.messages().length === 1);
    expect(api.messages()[0]!.appId).toBe("app_fromsettings");
  });

  it("mounts the chat with its appearance", () => {
    loader({ appId: "app_1", apiBase: API, nonce: "n-123" });
    const m = start();
    expect(m.mount).toHaveBeenCalledWith(m.chat, { position: "right", theme: "light" });
  });

  it("opens the panel when ParleySettings.open is true", () => {
    win.ParleySettings = { open: true };
    loader();
    const m = start();
    expect(m.chat.isOpen.value).toBe(true);
  });
});

describe("without an app id", () => {
  it("warns, mounts nothing, keeps queueing, and boots on a later init", () => {
    runStub();
    const ready = vi.fn();
    Parley("on", "ready", ready);
    loader({ apiBase: API });
    const m = fakeMount();
    expect(() => page.cleanup(boot(win, m.mount))).not.toThrow();
    expect(page.warnings().join("\n")).toMatch(/no app id/);
    expect(m.mount).not.toHaveBeenCalled();
    expect(ready).not.toHaveBeenCalled();

    Parley("open");
    expect(m.mount).not.toHaveBeenCalled();
    Parley("init", { appId: "app_late" });
    expect(m.mount).toHaveBeenCalledTimes(1);
    expect(ready).toHaveBeenCalledTimes(1);
    expect(m.chat.isOpen.value).toBe(true);
    expect(win.Parley.booted).toBe(true);
  });

  it("keeps waiting after an init that still names no app", () => {
    loader({ apiBase: API });
    const m = fakeMount();
    page.cleanup(boot(win, m.mount));
    Parley("init", { debug: true });
    expect(m.mount).not.toHaveBeenCalled();
    expect(page.warnings().filter((w) => /no app id/.test(w))).toHaveLength(2);
  });
});

describe("boot never throws", () => {
  it("warns when mount fails", () => {
    loader();
    const mount = vi.fn(() => {
      throw new Error("no shadow DOM");
    });
    expect(() => page.cleanup(boot(win, mount))).not.toThrow();
    expect(page.warnings().join("\n")).toMatch(/could not start: Error: no shadow DOM/);
  });

  it("replays hostile queued calls as warnings, and the good ones still run", () => {
    runStub();
    Parley(Symbol("x"));
    Parley({
      toString() {
        throw new Error("boom");
      },
    });
    Parley("identify", "not a claim");
    Parley("open");
    loader();
    let m!: ReturnType<typeof fakeMount>;
    expect(() => (m = start())).not.toThrow();
    expect(m.chat.isOpen.value).toBe(true);
    expect(page.warnings()).toHaveLength(3);
  });

  it("boots with no loader at all, from ParleySettings", async () => {
    win.ParleySettings = { appId: "app_direct", apiBase: API };
    const m = start();
    m.chat.send("hi");
    await until(() => api.messages().length === 1);
    expect(api.messages()[0]!.appId).toBe("app_direct");
  });
});
