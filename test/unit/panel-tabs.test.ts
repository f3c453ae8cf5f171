// The panel's tabs and the What's new tab, rendered into happy-dom and driven as a visitor would:
// which tabs show (the site owner's `tabs`, else those with content), WAI-ARIA keyboard use, the
// unread announcements on the launcher and the tab, bodies as text with safe links, and reads.
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import type { Announcement } from "../../contract/wire.ts";
import { resolveOptions } from "../../widget/core/options.ts";
import type { Chat } from "../../widget/core/chat.ts";
import { loadNewsTab } from "../../widget/ui/panel.tsx";
import { loadPanel, mount } from "../../widget/ui/mount.ts";
import { API, hashA, idle, settle, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

const news = (id: string, title: string, body = "Body.", read = false): Announcement => ({ id, title, body, publishedAt: "2026-11-20T10:00:00.000Z", read });

async function render(chat: Chat) {
  page.cleanup(mount(chat, { position: "right", theme: "light" }));
  const root = document.querySelector("[data-parley]")!.shadowRoot!;
  const launcher = () => root.querySelector("button[aria-expanded]") as HTMLButtonElement;
  const tabs = () => Array.from(root.querySelectorAll('[role="tab"]')) as HTMLButtonElement[];
  const tab = (name: string) => tabs().find((b) => b.textContent!.startsWith(name));
  const open = async () => {
    launcher().click();
    await loadPanel();
    await until(() => root.querySelector('[role="dialog"]'), "the panel");
  };
  const showNews = async () => {
    tab("What's new")!.click();
    await loadNewsTab();
    await until(() => root.querySelector(".news, .news + *, .body .empty:not([aria-busy])"), "the news tab");
  };
  return { root, launcher, tabs, tab, open, showNews };
}

describe("which tabs show", () => {
  it("only the chat, without a tab list, when the app has no announcement for this visitor", async () => {
    const chat = page.chat();
    const ui = await render(chat);
    await until(() => api.newsRequests.length === 1, "the announcements query");
    await ui.open();
    expect(ui.tabs()).toEqual([]);
    expect(ui.root.querySelector("textarea")).not.toBeNull();
  });

  it("Chat and What's new when there are announcements; the site owner's `tabs` wins", async () => {
    api.announcements = [news("a1", "Dark mode")];
    const chat = page.chat();
    const ui = await render(chat);
    await until(() => chat.news.value?.items.value.length === 1, "the announcements");
    await ui.open();
    expect(ui.tabs().map((t) => t.textContent)).toEqual(["Chat", "What's new1"]);
    expect(ui.tabs().map((t) => t.getAttribute("aria-label"))).toEqual(["Chat", "What's new, 1 new"]);
    expect(ui.root.querySelector('[role="tablist"]')!.getAttribute("aria-label")).toBe("Sections");

    const only = page.chat({ tabs: ["chat"] });
    await idle(only);
    expect(only.tabs.value).toEqual(["chat"]);
    expect(api.newsRequests).toHaveLength(1);
  });

  it("announcements are read only once the chat runs, and never where the site owner left their tab out", async () => {
    const queries = () => api.newsRequests.filter((r) => r.path === "query").length;
    // No channel between the two: the second one's logout would make the first over, which reads its announcements.
    const chat = page.chat({ channel: () => undefined }, false);
    // Calls replayed before start (the loader's queue): start reads once, for the final identity.
    chat.open();
    chat.identify(hashA);
    await settle();
    expect(queries()).toBe(0);
    page.cleanup(chat.start());
    await until(() => queries() === 1, "the read once started");

    const only = page.chat({ claim: hashA, tabs: ["chat", "ideas"], channel: () => undefined }, false);
    page.cleanup(only.start());
    only.open();
    only.logout();
    await idle(only);
    await settle();
    expect(queries()).toBe(1);
  });

  it("a `tabs` setting that is not a list of known tabs is refused with a warning", () => {
    for (const bad of [[], ["chat", "shop"], "news", [1]]) {
      const options = resolveOptions(undefined, [{ from: "init", value: { tabs: bad } }]);
      expect(options.tabs).toBeUndefined();
    }
    expect(page.warnings().filter((w) => w.includes('init.tabs: expected a list of "chat", "news", "ideas"'))).toHaveLength(4);
    expect(resolveOptions(undefined, [{ from: "init", value: { tabs: ["news", "chat", "news"] } }]).tabs).toEqual(["news", "chat"]);
  });
});

describe("the tab list", () => {
  it("is WAI-ARIA tabs: one in the focus order, arrows and Home/End move and select, the panel is labelled by its tab", async () => {
    api.announcements = [news("a1", "Dark mode")];
    const chat = page.chat();
    const ui = await render(chat);
    await until(() => chat.news.value?.items.value.length === 1);
    await ui.open();
    const [chatTab, newsTab] = ui.tabs();
    expect([chatTab!.getAttribute("aria-selected"), chatTab!.tabIndex, newsTab!.tabIndex]).toEqual(["true", 0, -1]);
    // Opening on the chat puts the visitor in the composer.
    expect(ui.root.activeElement).toBe(ui.root.querySelector("textarea"));
    chatTab!.focus();
    chatTab!.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    await until(() => ui.tab("What's new")!.getAttribute("aria-selected") === "true", "What's new selected");
    expect(ui.root.activeElement).toBe(ui.tab("What's new"));
    const panel = ui.root.querySelector('[role="tabpanel"]')!;
    expect(panel.getAttribute("aria-labelledby")).toBe("parley-tab-news");
    expect(ui.tab("What's new")!.getAttribute("aria-controls")).toBe(panel.id);
    ui.tab("What's new")!.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    await until(() => ui.tab("Chat")!.getAttribute("aria-selected") === "true", "wrapped round to Chat");
    ui.tab("Chat")!.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
    await until(() => chat.tab.value === "news");
    ui.tab("What's new")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Home", bubbles: true }));
    await until(() => chat.tab.value === "chat");
    // Coming back to the chat with the keyboard leaves focus on the tab.
    expect(ui.root.activeElement).toBe(ui.tab("Chat"));
  });
});

describe("What's new", () => {
  it("counts unread announcements on the launcher and the tab; showing them marks them read, here and on the server", async () => {
    api.announcements = [news("a1", "Dark mode"), news("a2", "Exports"), news("a3", "Old", "x", true)];
    const chat = page.chat();
    const ui = await render(chat);
    await until(() => ui.launcher().getAttribute("aria-label") === "Open chat, 2 new", "the launcher's count");
    expect(ui.launcher().querySelector(".count")!.textContent).toBe("2");
    await ui.open();
    await ui.showNews();
    await until(() => api.newsRequests.filter((r) => r.path.startsWith("read")).length === 2, "two reads");
    expect(api.newsRequests.filter((r) => r.path.startsWith("read")).map((r) => r.path).sort()).toEqual(["read a1", "read a2"]);
    expect(chat.newsUnread.value).toBe(0);
    // Still marked new while the visitor is looking.
    expect(Array.from(ui.root.querySelectorAll("article .new")).length).toBe(2);
    chat.close();
    expect(ui.launcher().getAttribute("aria-label")).toBe("Open chat");
  });

  it("shows each as an article with its title as a heading, paragraphs, and only http(s) links — as text, never HTML", async () => {
    const body = 'First paragraph, see https://example.com/docs.\n\nSecond <img src=x onerror="alert(1)"> javascript:alert(1)\nsame paragraph';
    api.announcements = [news("a1", "<b>Bold?</b>", body)];
    const chat = page.chat();
    const ui = await render(chat);
    await until(() => chat.news.value?.items.value.length === 1);
    await ui.open();
    await ui.showNews();
    const article = ui.root.querySelector("article")!;
    expect(article.querySelector("h3")!.textContent).toBe("<b>Bold?</b>");
    expect(article.querySelector("b, img")).toBeNull();
    const paragraphs = Array.from(article.querySelectorAll("p:not(.meta)")).map((p) => p.textContent);
    expect(paragraphs).toEqual(["First paragraph, see https://example.com/docs.", 'Second <img src=x onerror="alert(1)"> javascript:alert(1)\nsame paragraph']);
    const links = Array.from(article.querySelectorAll("a"));
    expect(links.map((a) => [a.getAttribute("href"), a.getAttribute("rel"), a.getAttribute("target")])).toEqual([["https://example.com/docs", "noopener noreferrer", "_blank"]]);
  });

  it("another person's announcements are read anew on identify, and nothing of the last one's stays", async () => {
    api.verdict = (claim: any) => (claim ? { status: "verified", userId: hashA.userId } : { status: "anonymous" });
    api.announcements = [news("a1", "For everyone")];
    const chat = page.chat();
    await until(() => chat.news.value?.items.value.length === 1);
    // What the server answers A's claim (the fake answers every claim alike: one list at a time).
    api.announcements = [news("a1", "For everyone"), news("a2", "For Pro")];
    chat.identify(hashA);
    expect(chat.news.value!.items.value).toEqual([]);
    await until(() => chat.news.value?.items.value.length === 2, "A's announcements");
    expect(api.newsRequests.at(-1)!.body.identity).toEqual(hashA);
  });
});

describe("an anonymous reader", () => {
  it("is stored when marking an announcement read, so a reload is the same reader", async () => {
    api.announcements = [news("a1", "Dark mode")];
    const chat = page.chat();
    await until(() => chat.news.value?.items.value.length === 1);
    expect(localStorage.getItem("parley:app_test:visitor")).toBeNull();
    chat.news.value!.read(["a1"]);
    expect(JSON.parse(localStorage.getItem("parley:app_test:visitor")!).id).toBe(chat.visitorId.value);
    expect(page.chat().visitorId.value).toBe(chat.visitorId.value);
  });
});

describe("the announcements' verdict", () => {
  it("on a claim, counts as a read's: it is the widget's verdict when the read said nothing of the claim", async () => {
    api.onConversation = () => HttpResponse.json({ messages: [] });
    const chat = page.chat({ claim: hashA });
    await until(() => chat.verdict.value?.status === "verified", "the announcements' verdict");
    expect(api.newsRequests.filter((r) => r.path === "query")).toHaveLength(1);
    expect(chat.verdict.value).toEqual({ status: "verified", userId: hashA.userId });
  });

  it("on no claim, says nothing new: a server that answers otherwise is not believed", async () => {
    let answered = false;
    api.server.use(
      http.post(`${API}/v1/apps/:appId/announcements/query`, () => {
        answered = true;
        return HttpResponse.json({ announcements: [], identity: { status: "verified", userId: "someone" } });
      }),
    );
    const chat = page.chat();
    await until(() => answered, "the announcements' read");
    await idle(chat);
    await settle();
    expect(chat.verdict.value).toEqual({ status: "anonymous" });
  });
});
