// boot at its edges: waiting for an app id keeps the loader's configuration and only an init tries
// again; a queued init configures and is not replayed as a command; the booted chat keeps its
// visitor in the page's localStorage; and what boot returns stops the chat and unmounts the UI.
import { HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { install } from "../../loader/loader.ts";
import { boot } from "../../widget/core/boot.ts";
import type { Chat } from "../../widget/core/chat.ts";
import { API, fakeDocument, loaderScript, Parley, runStub, until, useApi, usePage, win } from "./helpers.ts";

const page = usePage();
const api = useApi();

function loader(attrs: Parameters<typeof loaderScript>[0]) {
  install(win, fakeDocument("loading").doc, loaderScript(attrs));
}

function recordingMount() {
  const chats: Chat[] = [];
  const unmount = vi.fn();
  const mount = vi.fn((chat: Chat) => {
    chats.push(chat);
    return unmount;
  });
  return { mount, unmount, chats };
}

describe("waiting for an app id", () => {
  it("a later init boots with the loader's data-api-base", async () => {
    loader({ apiBase: API });
    const m = recordingMount();
    page.cleanup(boot(win, m.mount));
    Parley("init", { appId: "app_late" });
    expect(m.chats).toHaveLength(1);
    // Refused, so this chat starts no long-poll: a chat booted by a later init is not stopped by
    // what the first boot returned, so nothing here could end one.
    api.onMessage = () => HttpResponse.json({ error: { code: "bad_request", message: "no" } }, { status: 400 });
    m.chats[0]!.send("hi");
    await until(() => m.chats[0]!.outbox.items.value[0]?.state === "failed", "the message");
    expect(api.messages().map((r) => r.url)).toEqual([`${API}/v1/apps/app_late/messages`]);
  });

  it("other calls wait in the queue: no second warning, no boot", () => {
    loader({ apiBase: API });
    const m = recordingMount();
    page.cleanup(boot(win, m.mount));
    expect(page.warnings()).toEqual(['[Parley] no app id: add data-app-id="app_…" to the loader\'s <script>, or set ParleySettings.appId']);
    Parley("open");
    Parley("identify", { userId: "u_1" });
    expect(page.warnings()).toHaveLength(1);
    expect(m.mount).not.toHaveBeenCalled();
    expect(win.Parley.q.map((args: unknown[]) => args[0])).toEqual(["open", "identify"]);
  });
});

describe("a widget that waits for its app id, and what stops it", () => {
  const recordingMount = () => {
    const unmount = vi.fn();
    return { mount: vi.fn((_chat: Chat) => unmount), unmount };
  };

  it("stopped before its init: the later init boots nothing", () => {
    install(win, fakeDocument("loading").doc, loaderScript({ apiBase: API }));
    const m = recordingMount();
    const stop = boot(win, m.mount);
    stop();
    Parley("init", { appId: "app_late" });
    expect(m.mount).not.toHaveBeenCalled();
  });

  it("booted by a later init, even one made twice through the loader's Parley the host kept: one widget, and stop stops it", () => {
    install(win, fakeDocument("loading").doc, loaderScript({ apiBase: API }));
    const kept = win.Parley;
    const m = recordingMount();
    const stop = boot(win, m.mount);
    kept("init", { appId: "app_late" });
    kept("init", { appId: "app_late" });
    expect(m.mount).toHaveBeenCalledTimes(1);
    expect(page.warnings()).toEqual(["[Parley] no app id: add data-app-id=\"app_…\" to the loader's <script>, or set ParleySettings.appId", "[Parley] init: Parley is already initialised; use identify or logout to change the user"]);
    stop();
    expect(m.unmount).toHaveBeenCalledTimes(1);
  });
});

describe("a queued init", () => {
  it("configures the chat and is not replayed as a command", () => {
    runStub();
    Parley("init", { appId: "app_queued", apiBase: API });
    Parley("open");
    const m = recordingMount();
    page.cleanup(boot(win, m.mount));
    expect(m.chats).toHaveLength(1);
    expect(m.chats[0]!.isOpen.value).toBe(true);
    expect(page.warnings()).toEqual([]);
  });

  it("a bad field of a queued init is named as init's", () => {
    runStub();
    Parley("init", { appId: "app_queued", apiBase: API, theme: "neon" });
    const m = recordingMount();
    page.cleanup(boot(win, m.mount));
    expect(m.chats).toHaveLength(1);
    expect(page.warnings()).toEqual(['[Parley] init.theme: expected "light", "dark" or "auto"']);
  });
});

describe("the booted chat", () => {
  it("writes nothing to storage and takes no lock on a page view; keeps its visitor there once the visitor writes", async () => {
    win.ParleySettings = { appId: "app_store", apiBase: API };
    const m = recordingMount();
    const setItem = vi.spyOn(Storage.prototype, "setItem");
    // happy-dom has no Web Locks: a recording one, as browsers have.
    const lock = vi.fn(async (_name: string, _opts: unknown, fn: (l: object) => unknown) => fn({}));
    Object.defineProperty(navigator, "locks", { value: { request: lock }, configurable: true });
    page.cleanup(() => delete (navigator as { locks?: unknown }).locks);
    page.cleanup(boot(win, m.mount));
    // Nothing to send: no write, no Web Lock, no request.
    expect(setItem).not.toHaveBeenCalled();
    expect(lock).not.toHaveBeenCalled();
    expect(api.requests).toEqual([]);
    expect(localStorage.length).toBe(0);
    m.chats[0]!.send("hello");
    await until(() => m.chats[0]!.outbox.items.value.length === 0, "the message delivered");
    expect(lock).toHaveBeenCalled();
    expect(JSON.parse(localStorage.getItem("parley:app_store:visitor")!)).toStrictEqual({ id: m.chats[0]!.visitorId.value, owner: null, active: true });
  });

  it("booted from ParleySettings alone: closed, nothing to replay or warn about, and an empty queue for a stub's push", () => {
    win.ParleySettings = { appId: "app_quiet", apiBase: API };
    const m = recordingMount();
    page.cleanup(boot(win, m.mount));
    expect(m.chats[0]!.isOpen.value).toBe(false);
    expect(page.warnings()).toEqual([]);
    // No stub ran: the queue is a new one, holding nothing.
    expect(Array.from(win.Parley.q)).toEqual([]);
    win.Parley.q.push(["open"]);
    expect(m.chats[0]!.isOpen.value).toBe(true);
  });

  it("what boot returns stops the chat and unmounts the UI, once", async () => {
    win.ParleySettings = { appId: "app_stop", apiBase: API };
    const m = recordingMount();
    const stop = boot(win, m.mount);
    const chat = m.chats[0]!;
    expect(m.unmount).not.toHaveBeenCalled();
    stop();
    expect(m.unmount).toHaveBeenCalledTimes(1);
    expect(await chat.sync()).toEqual({ ok: true });
    expect(api.requests).toEqual([]);
  });

});
