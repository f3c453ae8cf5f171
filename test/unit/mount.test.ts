// mount(chat): the Preact UI in an open shadow root, rendered into happy-dom and driven the way a
// visitor would (by accessible names), with msw as the server.
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { Chat } from "../../widget/core/chat.ts";
import { loadPanel, mount } from "../../widget/ui/mount.ts";
import { hashA, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

function render(chat: Chat) {
  page.cleanup(mount(chat, { position: "right", theme: "light" }));
  const host = document.querySelector("[data-parley]") as HTMLElement;
  const root = host.shadowRoot!;
  const buttons = () => Array.from(root.querySelectorAll("button"));
  /** A button by its accessible name: aria-label, or its text. */
  const button = (name: string) => buttons().find((b) => (b.getAttribute("aria-label") ?? b.textContent!.trim()) === name);
  const textbox = (name: string) => root.querySelector(`textarea[aria-label="${name}"]`) as HTMLTextAreaElement | null;
  /** The launcher is the one button that says whether the panel is expanded. */
  const launcher = () => root.querySelector("button[aria-expanded]") as HTMLButtonElement;
  /** The conversation's lines, as the log shows them (not its empty-state hint). */
  const lines = () => Array.from(root.querySelector("[role=log]")?.children ?? []).filter((el) => !el.textContent!.includes("Ask us anything"));
  /** What a line shows about delivery. */
  const status = (line: Element | undefined) => (!line ? "none" : line.textContent!.includes("Sending…") ? "pending" : line.textContent!.includes("Not sent.") ? "failed" : "sent");
  async function open() {
    launcher().click();
    // The panel is a lazy chunk: wait for the same load the launcher started, then for its render.
    await loadPanel();
    await until(() => textbox("Message"), "the panel");
  }
  async function type(text: string) {
    textbox("Message")!.value = text;
    button("Send")!.click();
    await until(() => lines().some((li) => li.textContent!.includes(text)), `"${text}" on screen`);
  }
  return { host, root, button, launcher, textbox, lines, status, open, type };
}

describe("mount", () => {
  it("puts a launcher named Open chat in an open shadow root, with the styles inside", () => {
    const ui = render(page.chat());
    expect(ui.host.parentElement).toBe(document.body);
    const launcher = ui.button("Open chat");
    expect(launcher).toBeDefined();
    expect(launcher).toBe(ui.launcher());
    expect(launcher!.getAttribute("type")).toBe("button");
    expect(launcher!.getAttribute("aria-expanded")).toBe("false");
    const css = [...ui.root.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)), ui.root.querySelector("style")?.textContent ?? ""].join("\n");
    expect(css).toContain(".launcher");
    expect(ui.textbox("Message")).toBeNull();
  });

  it("opens a dialog with a Message textbox and a Send button, and closes again", async () => {
    const chat = page.chat();
    const ui = render(chat);
    await ui.open();
    expect(chat.isOpen.value).toBe(true);
    expect(ui.root.querySelector("[role=dialog]")).not.toBeNull();
    expect(ui.button("Send")!.getAttribute("type")).toBe("submit");
    expect(ui.button("Open chat")).toBeUndefined();
    expect(ui.launcher().getAttribute("aria-label")).toBe("Close chat");
    expect(ui.launcher().getAttribute("aria-expanded")).toBe("true");
    expect(ui.root.textContent).toContain("Ask us anything");

    ui.textbox("Message")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await until(() => ui.textbox("Message") === null, "the panel to close");
    expect(chat.isOpen.value).toBe(false);
    expect(ui.button("Open chat")).toBeDefined();
  });

  it("shows a sent message at once, then as sent, and clears the textbox", async () => {
    let release!: () => void;
    api.onMessage = () => new Promise<undefined>((resolve) => (release = () => resolve(undefined)));
    const chat = page.chat();
    const ui = render(chat);
    await ui.open();
    ui.textbox("Message")!.value = "Hello there";
    ui.button("Send")!.click();
    expect(ui.textbox("Message")!.value).toBe("");
    await until(() => ui.lines().length === 1);
    expect(ui.status(ui.lines()[0])).toBe("pending");
    await until(() => release, "the server to have the message");
    release();
    await until(() => ui.status(ui.lines()[0]) === "sent", "the message to be sent");
    expect(ui.lines()[0]!.textContent).toBe("Hello there");
    expect(api.messages()[0]!.body.text).toBe("Hello there");
  });

  it("sends nothing for a blank message", async () => {
    const chat = page.chat();
    const ui = render(chat);
    await ui.open();
    ui.textbox("Message")!.value = "   \n ";
    ui.button("Send")!.click();
    expect(chat.outbox.items.value).toEqual([]);
    expect(ui.lines()).toHaveLength(0);
  });

  it("renders the visitor's text as text, never as HTML", async () => {
    const ui = render(page.chat());
    await ui.open();
    const evil = "<img src=x onerror=alert(1)>";
    await ui.type(evil);
    expect(ui.root.querySelector("img")).toBeNull();
    expect(ui.lines()[0]!.textContent).toContain(evil);
    await until(() => ui.status(ui.lines()[0]) === "sent");
    expect(ui.root.querySelector("img")).toBeNull();
  });

  it("renders an operator's reply as text, never as HTML", async () => {
    const evil = '<b id="b">bold</b><img src=x onerror=alert(2)><script>alert(3)</script>';
    api.reply(`user:${hashA.userId}`, evil);
    const chat = page.chat({ claim: hashA });
    const ui = render(chat);
    await ui.open();
    await until(() => ui.lines().length === 1, "the reply");
    expect(ui.root.querySelector("img, b, script")).toBeNull();
    expect(ui.lines()[0]!.textContent).toContain(evil);
    expect(ui.lines()[0]!.textContent).toContain("Grace");
  });

  it("marks a refused message Not sent, with Retry and Remove", async () => {
    api.onMessage = (_, nth) => (nth === 0 ? HttpResponse.json({ error: { code: "bad_request", message: "too odd" } }, { status: 400 }) : undefined);
    const chat = page.chat();
    const ui = render(chat);
    await ui.open();
    await ui.type("first try");
    await until(() => ui.status(ui.lines()[0]) === "failed", "the failure");
    expect(ui.lines()[0]!.textContent).toContain("Not sent.");
    expect(ui.button("Remove")).toBeDefined();

    ui.button("Retry")!.click();
    await until(() => ui.status(ui.lines()[0]) === "sent", "the retry to be sent");
    expect(ui.lines()).toHaveLength(1);
    expect(ui.button("Retry")).toBeUndefined();
    expect(api.messages()).toHaveLength(2);
    expect(api.messages()[1]!.body.clientId).toBe(api.messages()[0]!.body.clientId);
  });

  it("Remove takes a refused message off the screen and out of storage", async () => {
    api.onMessage = () => HttpResponse.json({ error: { code: "bad_request", message: "no" } }, { status: 400 });
    const chat = page.chat();
    const ui = render(chat);
    await ui.open();
    await ui.type("doomed");
    await until(() => ui.button("Remove"), "the Remove button");
    ui.button("Remove")!.click();
    await until(() => ui.lines().length === 0, "the line to go");
    expect(chat.outbox.items.value).toEqual([]);
    expect(localStorage.getItem("parley:app_test:outbox")).toBeNull();
  });

  it("unmount takes the widget out of the page", () => {
    const unmount = mount(page.chat(), { position: "right", theme: "light" });
    expect(document.querySelectorAll("[data-parley]")).toHaveLength(1);
    unmount();
    expect(document.querySelectorAll("[data-parley]")).toHaveLength(0);
  });
});
