// The claim on every request: whatever proof the host gave (settings, init or identify) goes out on
// every message and every read exactly as given, next to the visitorId; anonymous requests carry none.
import { describe, expect, it } from "vitest";
import type { Chat } from "../../widget/core/chat.ts";
import type { Claim } from "../../contract/wire.ts";
import { API, hashA, hashB, idle, payloadClaim, tokenClaim, until, useApi, usePage, win, type Captured } from "./helpers.ts";

const page = usePage();
const api = useApi();

function bootWith(settings: unknown): Chat {
  const chat = page.boot(settings);
  expect(chat).toBeDefined();
  return chat!;
}

function expectEveryRequest(requests: Captured[], claim: Claim, visitorId: string) {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    expect(r.body.identity, `${r.path} ${JSON.stringify(r.body)}`).toStrictEqual(claim);
    expect(r.body.visitorId).toBe(visitorId);
  }
}

/** Sends two messages, opens the panel and waits for the reads that follow. */
async function chatter(chat: Chat) {
  chat.send("first");
  chat.send("second");
  chat.open();
  await until(() => api.messages().length === 2 && chat.outbox.items.value.length === 0, "both messages delivered");
  await until(() => api.conversations().some((r) => r.body.wait), "a long-poll");
}

describe("the claim on every request", () => {
  it.each([
    ["hash", hashA],
    ["signed payload", payloadClaim],
    ["token", tokenClaim],
  ])("ParleySettings.identity (%s) goes out exactly as given on reads, messages and long-polls", async (_, claim) => {
    const chat = bootWith({ appId: "app_c", apiBase: API, identity: claim });
    await chatter(chat);
    expect(new Set(api.requests.map((r) => r.path))).toEqual(new Set(["messages", "conversation"]));
    expectEveryRequest(api.requests, claim, chat.visitorId.value);
  });

  it("the flat snippet fields go out as a hash claim", async () => {
    const chat = bootWith({ appId: "app_c", apiBase: API, userId: "u_42", userHash: "cd".repeat(32), userEmail: "ada@example.test" });
    await chatter(chat);
    expectEveryRequest(api.requests, { userId: "u_42", userHash: "cd".repeat(32), email: "ada@example.test" }, chat.visitorId.value);
  });

  it("a message body is exactly visitorId, clientId, text and the claim", async () => {
    const chat = page.chat({ claim: tokenClaim });
    chat.send("  hello there  ");
    await until(() => api.messages().length === 1);
    expect(api.messages()[0]!.body).toStrictEqual({
      visitorId: chat.visitorId.value,
      clientId: expect.stringMatching(/^[0-9a-f]{32}$/),
      text: "hello there",
      identity: tokenClaim,
    });
  });

  it.each([
    ["hash", hashB],
    ["signed payload", payloadClaim],
    ["token", tokenClaim],
  ])("identify(%s) at runtime: every later request carries it", async (_, claim) => {
    const chat = bootWith({ appId: "app_c", apiBase: API });
    await idle(chat);
    const before = api.requests.length;
    win.Parley("identify", claim);
    await chatter(chat);
    const after = api.requests.slice(before);
    expectEveryRequest(after, claim, chat.visitorId.value);
    // identify reads the user's conversation at once, with the claim, before anything else.
    expect(after[0]!.path).toBe("conversation");
    expect(after[0]!.body.wait).toBeUndefined();
  });

  it("anonymous requests carry no identity at all", async () => {
    const chat = bootWith({ appId: "app_c", apiBase: API });
    await chatter(chat);
    expect(api.requests.length).toBeGreaterThanOrEqual(3);
    for (const r of api.requests) {
      expect(r.body).not.toHaveProperty("identity");
      expect(r.body.visitorId).toBe(chat.visitorId.value);
    }
  });

  it("keeps the claim as it was when given, even if the host mutates its object later", async () => {
    const chat = page.chat();
    const claim = { userId: "u_mut", userHash: "ee".repeat(32), name: "Before" };
    chat.identify(claim);
    claim.userId = "u_other";
    claim.name = "After";
    chat.send("hi");
    await until(() => api.messages().length === 1);
    expect(api.messages()[0]!.body.identity).toStrictEqual({ userId: "u_mut", userHash: "ee".repeat(32), name: "Before" });
  });

  it("keeps the settings claim as it was at boot, even if the host mutates ParleySettings later", async () => {
    const identity = { userId: "u_set", userHash: "dd".repeat(32) };
    const chat = bootWith({ appId: "app_c", apiBase: API, identity });
    identity.userId = "u_someone_else";
    chat.send("hi");
    await until(() => api.messages().length === 1);
    expect(api.messages()[0]!.body.identity).toStrictEqual({ userId: "u_set", userHash: "dd".repeat(32) });
  });

  it("a message is delivered under the claim it was written under, even after identify(B)", async () => {
    api.onMessage = (_, nth) => (nth === 0 ? new Response(null, { status: 503 }) : undefined);
    const chat = page.chat({ claim: hashA });
    chat.send("written as A");
    await until(() => chat.outbox.items.value[0]?.attempts === 1, "the first attempt to fail");
    const visitorA = chat.visitorId.value;
    chat.identify(hashB);
    chat.outbox.kick();
    await until(() => chat.outbox.items.value.length === 0, "delivery");
    const [first, second] = api.messages();
    expect(first!.body.identity).toStrictEqual(hashA);
    expect(second!.body).toMatchObject({ identity: hashA, visitorId: visitorA, text: "written as A", clientId: first!.body.clientId });
  });

  it("identify with the same claim again changes nothing and reads nothing", async () => {
    const chat = page.chat({ claim: hashA });
    await idle(chat);
    const visitorId = chat.visitorId.value;
    const reads = api.conversations().length;
    chat.identify({ ...hashA });
    await idle(chat);
    expect(chat.visitorId.value).toBe(visitorId);
    expect(api.conversations()).toHaveLength(reads);
  });
});

describe("switching users with identify", () => {
  it("identify(B) after A gives a new visitorId, and B never sees A's messages", async () => {
    const chat = page.chat();
    chat.identify(hashA);
    chat.send("A's secret");
    await until(() => chat.history.value.length === 1, "A's message in history");
    const visitorA = chat.visitorId.value;
    expect(chat.messages.value.map((m) => m.text)).toEqual(["A's secret"]);

    const seen: string[] = [];
    chat.events.on("message", (m) => seen.push((m as { text: string }).text));
    chat.identify(hashB);
    expect(chat.visitorId.value).not.toBe(visitorA);
    expect(chat.history.value).toEqual([]);
    expect(chat.messages.value).toEqual([]);

    await until(() => api.conversations().some((r) => r.body.identity?.userId === hashB.userId && !r.body.wait), "B's first read");
    await idle(chat);
    chat.send("B here");
    await until(() => chat.history.value.length === 1, "B's message in history");
    expect(chat.messages.value.map((m) => m.text)).toEqual(["B here"]);
    expect(seen).toEqual(["B here"]);
    for (const r of api.requests.filter((r) => r.body.identity?.userId === hashB.userId)) expect(r.body.visitorId).toBe(chat.visitorId.value);
    expect(localStorage.getItem(`parley:app_test:visitor`)).not.toContain(visitorA);
  });

  it("a new page with B's claim does not reuse A's stored visitor", async () => {
    const a = page.chat({ claim: hashA }, false);
    a.send("from A");
    await idle(a);
    const b = page.chat({ claim: hashB }, false);
    expect(b.visitorId.value).not.toBe(a.visitorId.value);
    b.send("from B");
    await idle(b);
    const again = page.chat({ claim: hashB }, false);
    expect(again.visitorId.value).toBe(b.visitorId.value);
  });

  it("an answer to A's read that arrives after identify(B) is not shown to B", async () => {
    let release!: () => void;
    api.reply(`user:${hashA.userId}`, "for A only");
    api.onConversation = async (body) => {
      if (body.identity?.userId === hashA.userId) await new Promise<void>((r) => (release = r));
      return undefined;
    };
    const chat = page.chat({ claim: hashA });
    await until(() => release, "A's read to be in flight");
    chat.identify(hashB);
    release();
    await idle(chat);
    expect(chat.history.value.map((m) => m.text)).not.toContain("for A only");
    expect(chat.messages.value).toEqual([]);
  });
});
