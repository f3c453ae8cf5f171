// Parley('on' | 'off', event, fn): the public events. `ready` and `identity` describe a state, so a
// listener added late still hears the current one; the others are moments.
import { describe, expect, it, vi } from "vitest";
import { Emitter } from "../../widget/core/emitter.ts";
import { hashA, idle, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

describe("Emitter", () => {
  it("replays the last ready/identity to a late listener, once", () => {
    const e = new Emitter();
    e.emit("identity", { status: "verified", userId: "u" }, true);
    e.emit("identity", { status: "anonymous" }, true);
    const late = vi.fn();
    e.on("identity", late);
    expect(late).toHaveBeenCalledExactlyOnceWith({ status: "anonymous" });
  });

  it("does not replay moments (message, open, close)", () => {
    const e = new Emitter();
    e.emit("open");
    e.emit("message", { id: "m1" });
    const late = vi.fn();
    e.on("open", late);
    e.on("message", late);
    expect(late).not.toHaveBeenCalled();
  });

  it("off stops a listener, and removing one while emitting does not skip the next", () => {
    const e = new Emitter();
    const second = vi.fn();
    const first = vi.fn(() => e.off("open", first));
    e.on("open", first);
    e.on("open", second);
    e.emit("open");
    e.emit("open");
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
  });
});

describe("events of a chat", () => {
  it("ready fires once on start; open and close on each change only", () => {
    const chat = page.chat({}, false);
    const log: string[] = [];
    for (const name of ["ready", "open", "close"] as const) chat.events.on(name, () => log.push(name));
    page.cleanup(chat.start());
    chat.open();
    chat.open();
    chat.close();
    chat.close();
    chat.toggle();
    expect(log).toEqual(["ready", "open", "close", "open"]);
  });

  it("message fires once per new message (a reply, our own message once stored), never for history read at start", async () => {
    api.reply(`user:${hashA.userId}`, "Welcome back");
    const chat = page.chat({ claim: hashA }, false);
    const texts: string[] = [];
    chat.events.on("message", (m) => texts.push((m as { text: string }).text));
    page.cleanup(chat.start());
    await until(() => chat.history.value.length === 1, "the history read at start");
    chat.send("thanks");
    await until(() => texts.length === 1, "our own message, once stored");
    api.reply(`user:${hashA.userId}`, "You're welcome");
    await chat.sync();
    await chat.sync();
    await idle(chat);
    expect(chat.history.value.map((m) => m.text)).toEqual(["Welcome back", "thanks", "You're welcome"]);
    expect(texts).toEqual(["thanks", "You're welcome"]);
  });

  it("message never replays the history read at sign-in", async () => {
    api.reply(`user:${hashA.userId}`, "an old reply");
    const chat = page.chat();
    const texts: string[] = [];
    chat.events.on("message", (m) => texts.push((m as { text: string }).text));
    chat.identify(hashA);
    await until(() => chat.history.value.length === 1, "the user's history read at sign-in");
    await idle(chat);
    expect(texts).toEqual([]);
    api.reply(`user:${hashA.userId}`, "a new reply");
    await chat.sync();
    expect(texts).toEqual(["a new reply"]);
  });

  // A new anonymous visitor reads nothing before their first message (there is nothing to read):
  // the first reply to it is new all the same.
  it("message fires for the first reply to a new anonymous visitor (no history was read: there was none)", async () => {
    const chat = page.chat();
    const texts: string[] = [];
    chat.events.on("message", (m) => texts.push((m as { text: string }).text));
    chat.send("where is my order?");
    await until(() => texts.length === 1, "our own message, once stored");
    api.reply(`visitor:${chat.visitorId.value}`, "let me check");
    await chat.sync();
    expect(chat.history.value.map((m) => m.text)).toEqual(["where is my order?", "let me check"]);
    expect(texts).toEqual(["where is my order?", "let me check"]);
  });

  it("a sign-in while the first anonymous message is on its way: the user's old history fires no message events", async () => {
    api.reply(`user:${hashA.userId}`, "an old reply to the user");
    const chat = page.chat();
    const texts: string[] = [];
    chat.events.on("message", (m) => texts.push((m as { text: string }).text));
    // The sign-in's read is answered only once the message is stored.
    let delivered = false;
    api.onConversation = async () => {
      await until(() => delivered, "the message stored");
      return undefined;
    };
    chat.send("where is my order?");
    chat.identify(hashA);
    await until(() => chat.history.value.some((m) => m.text === "where is my order?"), "our own message");
    delivered = true;
    await until(() => chat.history.value.length === 2, "the merged thread");
    await idle(chat);
    expect(texts).not.toContain("an old reply to the user");
  });

  it("message never replays what a sign-in merged: the anonymous question, read back with the user's history in their thread", async () => {
    api.reply(`user:${hashA.userId}`, "an old reply to the user");
    const chat = page.chat();
    const texts: string[] = [];
    chat.events.on("message", (m) => texts.push((m as { text: string }).text));
    chat.send("where is my order?");
    await until(() => texts.length === 1, "our own message, once stored");
    // Read once: from here on, what arrives for this visitor is new.
    await chat.sync();
    chat.identify(hashA);
    await until(() => chat.verdict.value?.status === "verified" && chat.history.value.length === 2, "the merged thread read at sign-in");
    await idle(chat);
    expect(chat.history.value.map((m) => m.text).sort()).toEqual(["an old reply to the user", "where is my order?"]);
    expect(texts).toEqual(["where is my order?"]);
  });

  it("identity fires with the verdict when it changes, not on every request", async () => {
    const chat = page.chat({ claim: hashA }, false);
    const seen = vi.fn();
    chat.events.on("identity", seen);
    page.cleanup(chat.start());
    await until(() => seen.mock.calls.length === 1);
    chat.send("one");
    await until(() => chat.outbox.items.value.length === 0 && api.messages().length === 1);
    await chat.sync();
    expect(seen).toHaveBeenCalledExactlyOnceWith({ status: "verified", userId: hashA.userId });
  });
});
