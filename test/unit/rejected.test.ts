// The rejected fallback: the server says a claim's proof failed. After a message is stored under a
// rejection the widget drops the claim and carries on anonymously, silently for the visitor, telling
// the host through the `identity` event (and console.warn in debug). A read alone keeps the claim.
import { describe, expect, it } from "vitest";
import type { Chat } from "../../widget/core/chat.ts";
import { loadPanel, mount } from "../../widget/ui/mount.ts";
import type { IdentityVerdict } from "../../contract/wire.ts";
import { hashA, hashB, idle, tokenClaim, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

const rejected = (reason: IdentityVerdict["reason"]) => (claim: unknown): IdentityVerdict => (claim ? { status: "rejected", reason } : { status: "anonymous" });

function identities(chat: Chat) {
  const seen: IdentityVerdict[] = [];
  chat.events.on("identity", (v) => seen.push(v as IdentityVerdict));
  return seen;
}

async function sendAndDeliver(chat: Chat, text: string) {
  const before = api.messages().length;
  chat.send(text);
  await until(() => api.messages().length > before && chat.outbox.items.value.length === 0, `"${text}" delivered`);
}

describe("a message answered with a rejected claim", () => {
  it("fires the identity event with the reason, silently, and drops the claim", async () => {
    api.messageVerdict = rejected("bad_signature");
    const chat = page.chat({ claim: hashA });
    const seen = identities(chat);
    await until(() => seen.length === 1, "the first verdict");
    expect(seen).toEqual([{ status: "verified", userId: hashA.userId }]);

    await sendAndDeliver(chat, "hello");
    expect(api.messages()[0]!.body.identity).toStrictEqual(hashA);
    await until(() => chat.claim === null, "the claim to be dropped");
    expect(seen.at(-1)).toEqual({ status: "rejected", reason: "bad_signature" });
    expect(chat.verdict.value).toEqual({ status: "rejected", reason: "bad_signature" });
    expect(page.warn).not.toHaveBeenCalled();
    expect(chat.messages.value).toEqual([expect.objectContaining({ text: "hello", state: "sent", mine: true })]);
  });

  it("carries no claim on the requests it starts after dropping it", async () => {
    api.messageVerdict = rejected("bad_signature");
    const chat = page.chat({ claim: hashA });
    await sendAndDeliver(chat, "first");
    await until(() => chat.claim === null);
    const after = api.requests.length;
    chat.open();
    await sendAndDeliver(chat, "second");
    chat.close();
    chat.open();
    await idle(chat);
    const later = api.requests.slice(after);
    expect(later.some((r) => r.path === "messages")).toBe(true);
    for (const r of later) expect(r.body, JSON.stringify(r.body)).not.toHaveProperty("identity");
    // Still the same visitor: nothing they wrote is lost.
    expect(new Set(later.map((r) => r.body.visitorId))).toEqual(new Set([chat.visitorId.value]));
  });

  it("warns on the console, naming the reason, only in debug", async () => {
    api.messageVerdict = rejected("expired");
    const chat = page.chat({ claim: tokenClaim, debug: true });
    await sendAndDeliver(chat, "hello");
    await until(() => chat.claim === null);
    expect(page.warnings()).toHaveLength(1);
    expect(page.warnings()[0]).toMatch(/identity rejected \(expired\)/);
  });

  it("shows the visitor no error: the line is sent and nothing mentions the rejection", async () => {
    api.messageVerdict = rejected("bad_signature");
    const chat = page.chat({ claim: hashA });
    page.cleanup(mount(chat, { position: "right", theme: "light" }));
    const root = document.querySelector("[data-parley]")!.shadowRoot!;
    chat.open();
    await loadPanel();
    await sendAndDeliver(chat, "is anyone there?");
    await until(() => chat.claim === null);
    await until(() => root.textContent!.includes("is anyone there?"));
    await idle(chat);
    const text = root.textContent!;
    expect(text).not.toMatch(/Not sent|Sending…|reject|signature|error|verif/i);
    expect(root.querySelectorAll("[role=alert]")).toHaveLength(0);
  });

  it("takes a fresh claim from identify after the rejection", async () => {
    api.messageVerdict = rejected("bad_signature");
    const chat = page.chat({ claim: hashA });
    await sendAndDeliver(chat, "one");
    await until(() => chat.claim === null);
    api.messageVerdict = undefined;
    const fresh = { ...hashA, userHash: "0f".repeat(32) };
    chat.identify(fresh);
    await sendAndDeliver(chat, "two");
    expect(api.messages().at(-1)!.body.identity).toStrictEqual(fresh);
    await until(() => chat.verdict.value?.status === "verified");
  });

  it("does not touch the current claim when it answers a message written under an older one", async () => {
    let release!: () => void;
    // A's message is rejected when its answer arrives — after the page has switched to B. (The
    // verdict is a rule of A's claim, not a value reset before the answer, or this path never runs.)
    api.messageVerdict = (claim) => (claim?.userId === hashA.userId ? rejected("revoked_key")(claim) : api.verdict(claim));
    api.onMessage = async (body) => {
      if (body.identity?.userId === hashA.userId) await new Promise<void>((r) => (release = r));
      return undefined;
    };
    const chat = page.chat({ claim: hashA });
    chat.send("written as A");
    await until(() => release, "A's message to be at the server");
    chat.identify(hashB);
    const seen = identities(chat);
    release();
    await until(() => chat.outbox.items.value.length === 0);
    await idle(chat);
    expect(chat.claim).toStrictEqual(hashB);
    expect(seen.some((v) => v.status === "rejected")).toBe(false);
  });
});

describe("a read answered with a rejected claim", () => {
  it("fires the identity event but keeps the claim, so the next message still carries it", async () => {
    api.verdict = rejected("bad_signature");
    api.messageVerdict = () => ({ status: "verified", userId: hashA.userId });
    const chat = page.chat({ claim: hashA });
    const seen = identities(chat);
    await until(() => seen.length === 1, "the read's verdict");
    expect(seen).toEqual([{ status: "rejected", reason: "bad_signature" }]);
    expect(chat.claim).toStrictEqual(hashA);
    expect(page.warn).not.toHaveBeenCalled();

    await sendAndDeliver(chat, "hello");
    expect(api.messages()[0]!.body.identity).toStrictEqual(hashA);
  });

  it("then drops it once a message is rejected too", async () => {
    api.verdict = rejected("wrong_app");
    const chat = page.chat({ claim: tokenClaim });
    await until(() => chat.verdict.value?.status === "rejected");
    expect(chat.claim).toStrictEqual(tokenClaim);
    await sendAndDeliver(chat, "hello");
    expect(api.messages()[0]!.body.identity).toStrictEqual(tokenClaim);
    await until(() => chat.claim === null, "the claim to be dropped");
  });
});

describe("nothing vanishes from the visitor's view", () => {
  it("a message filed under a rejected claim stays in view after a reload that gives the same bad claim again", async () => {
    api.verdict = rejected("bad_signature");
    const first = page.chat({ claim: hashA });
    await sendAndDeliver(first, "asked with a broken proof");
    await idle(first);
    const visitor = first.visitorId.value;
    // The reload: a new chat on the same storage, the page still rendering the broken proof.
    const again = page.chat({ claim: hashA });
    expect(again.visitorId.value).toBe(visitor);
    await until(() => again.messages.value.length === 1, "the message read back after the reload");
    expect(again.messages.value[0]).toEqual(expect.objectContaining({ text: "asked with a broken proof", state: "sent", mine: true }));
  });

  it("and after a reload whose proof of the same user is good again: it is in their thread now", async () => {
    api.verdict = rejected("bad_signature");
    const first = page.chat({ claim: hashA });
    await sendAndDeliver(first, "asked with a broken proof");
    await idle(first);
    api.verdict = (claim) => (claim ? { status: "verified", userId: hashA.userId } : { status: "anonymous" });
    const fixed = page.chat({ claim: hashA });
    expect(fixed.visitorId.value).toBe(first.visitorId.value);
    await until(() => fixed.verdict.value?.status === "verified" && fixed.messages.value.length === 1, "the message read back as the user's");
    expect(fixed.messages.value[0]).toEqual(expect.objectContaining({ text: "asked with a broken proof", state: "sent", mine: true }));
  });

  it("a reload that gives no claim where there was one is the site's sign-out by page load: a fresh visitor, with nothing of the last one's", async () => {
    api.verdict = rejected("bad_signature");
    const first = page.chat({ claim: hashA });
    await sendAndDeliver(first, "asked with a broken proof");
    await idle(first);
    const signedOut = page.chat();
    expect(signedOut.visitorId.value).not.toBe(first.visitorId.value);
    await idle(signedOut);
    expect(signedOut.messages.value).toEqual([]);
  });

  it("only logout clears it", async () => {
    api.messageVerdict = rejected("bad_signature");
    const chat = page.chat({ claim: hashA });
    await sendAndDeliver(chat, "mine");
    await until(() => chat.claim === null);
    chat.identify(hashA);
    await idle(chat);
    expect(chat.messages.value.map((m) => m.text)).toEqual(["mine"]);
    chat.logout();
    expect(chat.messages.value).toEqual([]);
  });
});
