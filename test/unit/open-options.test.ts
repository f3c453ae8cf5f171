// open({ message }), open({ tab }), the `unread` event and `launcher: false`: the commands a
// front-end developer used to Intercom's SDK reaches for first.
import { describe, expect, it, vi } from "vitest";
import type { Announcement } from "../../contract/wire.ts";
import { boot } from "../../widget/core/boot.ts";
import type { Chat } from "../../widget/core/chat.ts";
import { loadPanel, mount } from "../../widget/ui/mount.ts";
import { API, Parley, until, useApi, usePage, win } from "./helpers.ts";

const page = usePage();
const api = useApi();

function start(settings: Record<string, unknown> = {}) {
  win.ParleySettings = { appId: "app_test", apiBase: API, ...settings };
  let chat!: Chat;
  page.cleanup(
    boot(win, (c, look) => {
      chat = c;
      return mount(c, look);
    }),
  );
  const root = document.querySelector("[data-parley]")!.shadowRoot!;
  return { chat, root };
}

describe("open({ message })", () => {
  it("opens with the draft in the composer and sends nothing until the visitor does", async () => {
    const { chat, root } = start();
    Parley("open", { message: "I need help with invoice #42" });
    await loadPanel();
    await until(() => root.querySelector("textarea"), "the composer");
    expect(root.querySelector("textarea")!.value).toBe("I need help with invoice #42");
    expect(chat.outbox.items.value).toEqual([]);
    expect(api.messages()).toEqual([]);
    (root.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await until(() => api.messages().length === 1, "the visitor's send");
    expect(api.messages()[0]!.body.text).toBe("I need help with invoice #42");
    expect(chat.draft.value).toBe("");
  });

  it("warns about a bad option, leaves it out, and still opens", () => {
    const { chat } = start();
    Parley("open", { message: 42, tab: "shop" });
    expect(chat.isOpen.value).toBe(true);
    expect(chat.draft.value).toBe("");
    expect(page.warnings()).toEqual(["[Parley] open: message must be text of at most 4000 characters", "[Parley] open: tab must be one of chat, news, ideas"]);
    Parley("close");
    Parley("open", "now");
    expect(page.warnings().at(-1)).toBe("[Parley] open(options): expected { message?, tab? }");
  });
});

describe("open({ tab })", () => {
  it("opens on that tab", async () => {
    api.announcements = [{ id: "a1", title: "New", body: "x", publishedAt: "2026-11-20T10:00:00.000Z", read: false } satisfies Announcement];
    const { chat, root } = start();
    await until(() => chat.news.value?.items.value.length === 1, "the announcements");
    Parley("open", { tab: "news" });
    await loadPanel();
    await until(() => root.querySelector('[role="tab"][aria-selected="true"]')?.textContent?.startsWith("What's new"), "What's new selected");
    expect(page.warnings()).toEqual([]);
  });

  it("says so when the site owner left that tab out, and opens on the first one shown", async () => {
    const { chat } = start();
    Parley("open", { tab: "ideas" });
    expect(chat.isOpen.value).toBe(true);
    expect(page.warnings()).toEqual(['[Parley] open: no "ideas" tab here (tabs: chat, news)']);
  });

  it("with no tab: the chat tab the first time, then the tab the visitor was on", () => {
    const chat = page.chat();
    chat.open();
    expect(chat.tab.value).toBe("chat");
    chat.close();
    chat.open({ tab: "news" });
    chat.close();
    chat.open({});
    expect(chat.tab.value).toBe("news");
  });
});

describe("the unread event", () => {
  it("fires with the count on every change — replies and announcements — and a late listener hears the last", async () => {
    api.announcements = [{ id: "a1", title: "New", body: "x", publishedAt: "2026-11-20T10:00:00.000Z", read: false }];
    const seen: unknown[] = [];
    const { chat } = start();
    Parley("on", "unread", (e: unknown) => seen.push(e));
    await until(() => seen.length === 1, "the first count");
    expect(seen).toEqual([{ count: 1 }]);
    chat.unread.value = 2;
    expect(seen).toEqual([{ count: 1 }, { count: 3 }]);
    chat.open();
    expect(seen.at(-1)).toEqual({ count: 1 });
    const late = vi.fn();
    Parley("on", "unread", late);
    expect(late).toHaveBeenCalledWith({ count: 1 });
  });
});

describe("launcher: false", () => {
  it("draws no launcher; the site's own button opens the panel, and focus goes back to it on close", async () => {
    const own = document.createElement("button");
    own.textContent = "Help";
    document.body.append(own);
    own.addEventListener("click", () => Parley("open"));
    const { chat, root } = start({ launcher: false });
    expect(root.querySelector("button.launcher")).toBeNull();
    own.focus();
    own.click();
    expect(chat.isOpen.value).toBe(true);
    await loadPanel();
    await until(() => root.querySelector(".nolauncher .panel"), "the panel, anchored without a launcher");
    (root.querySelector('button[aria-label="Close chat"]') as HTMLButtonElement).click();
    expect(chat.isOpen.value).toBe(false);
    expect(document.activeElement).toBe(own);
  });

  it("is a boolean: anything else is warned about and our launcher stays", () => {
    const { root } = start({ launcher: "no" });
    expect(root.querySelector("button.launcher")).not.toBeNull();
    expect(page.warnings()).toContain("[Parley] ParleySettings.launcher: expected true or false");
  });
});
