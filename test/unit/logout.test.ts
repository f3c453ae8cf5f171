// logout(): drop the identity, forget this user's local state, become a fresh anonymous visitor.
// The only thing of the previous user allowed to stay is a message still on its way, as that user.
import { describe, expect, it, vi } from "vitest";
import { boot } from "../../widget/core/boot.ts";
import type { Chat } from "../../widget/core/chat.ts";
import type { IdentityVerdict } from "../../contract/wire.ts";
import { API, hashA, hashB, idle, storageDump, until, useApi, usePage, win } from "./helpers.ts";

const page = usePage();
const api = useApi();

const A = hashA as { userId: string; userHash: string; email: string; name: string };

/** Everything that would identify A or A's local state, if found in storage. */
const tracesOfA = (visitorId: string) => [visitorId, A.userId, A.userHash, A.email, A.name, "A's secret"];

async function signedInAsA(): Promise<{ chat: Chat; visitorA: string; identities: IdentityVerdict[] }> {
  const chat = page.chat({ claim: hashA });
  const identities: IdentityVerdict[] = [];
  chat.events.on("identity", (v) => identities.push(v as IdentityVerdict));
  chat.open();
  chat.send("A's secret");
  await until(() => chat.history.value.length === 1 && chat.outbox.items.value.length === 0, "A's message delivered");
  api.reply(`user:${A.userId}`, "Hi Alice");
  return { chat, visitorA: chat.visitorId.value, identities };
}

describe("logout", () => {
  it("leaves a fresh anonymous visitor: new visitorId, no claim, empty history, identity event anonymous", async () => {
    const { chat, visitorA, identities } = await signedInAsA();
    expect(storageDump().join("\n")).toContain(visitorA);

    chat.logout();
    expect(chat.claim).toBeNull();
    expect(chat.visitorId.value).not.toBe(visitorA);
    expect(chat.visitorId.value).toMatch(/^[0-9a-f]{32}$/);
    expect(chat.history.value).toEqual([]);
    expect(chat.messages.value).toEqual([]);
    expect(identities.at(-1)).toEqual({ status: "anonymous" });
    expect(chat.verdict.value).toEqual({ status: "anonymous" });
  });

  it("leaves nothing of the previous user in localStorage", async () => {
    const { chat, visitorA } = await signedInAsA();
    chat.logout();
    await idle(chat);
    const dump = storageDump().join("\n");
    for (const trace of tracesOfA(visitorA)) expect(dump).not.toContain(trace);
    expect(dump).toContain(chat.visitorId.value);
  });

  it("keeps a message still on its way, delivers it as the previous user, then forgets it", async () => {
    const chat = page.chat({ claim: hashA });
    const visitorA = chat.visitorId.value;
    api.onMessage = (body) => (body.identity ? new Response(null, { status: 503 }) : undefined);
    chat.send("A's secret");
    await until(() => chat.outbox.items.value[0]?.attempts === 1, "A's message to wait for a retry");

    chat.logout();
    const identities: IdentityVerdict[] = [];
    const seen: unknown[] = [];
    chat.events.on("identity", (v) => identities.push(v as IdentityVerdict));
    chat.events.on("message", (m) => seen.push(m));
    // On its way: still in storage, as A, but not on the new visitor's screen.
    expect(chat.outbox.items.value).toEqual([expect.objectContaining({ text: "A's secret", claim: hashA, visitorId: visitorA })]);
    expect(chat.messages.value).toEqual([]);

    api.onMessage = undefined;
    chat.outbox.kick();
    await until(() => chat.outbox.items.value.length === 0, "A's message delivered");
    const last = api.messages().at(-1)!.body;
    expect(last).toMatchObject({ identity: hashA, visitorId: visitorA, text: "A's secret" });
    await idle(chat);
    expect(chat.messages.value).toEqual([]);
    expect(seen).toEqual([]);
    // The verdict on A's message says nothing about the anonymous visitor.
    expect(identities).toEqual([{ status: "anonymous" }]);
    expect(chat.claim).toBeNull();
    const dump = storageDump().join("\n");
    for (const trace of tracesOfA(visitorA)) expect(dump).not.toContain(trace);
  });

  it("sends the next requests as the new visitor, with no claim", async () => {
    const { chat, visitorA } = await signedInAsA();
    chat.logout();
    const from = api.requests.length;
    chat.send("who am I now?");
    await until(() => chat.history.value.length === 1, "the anonymous message delivered");
    const later = api.requests.slice(from);
    expect(later.length).toBeGreaterThan(0);
    for (const r of later) {
      expect(r.body).not.toHaveProperty("identity");
      expect(r.body.visitorId).toBe(chat.visitorId.value);
      expect(r.body.visitorId).not.toBe(visitorA);
    }
    expect(chat.messages.value.map((m) => m.text)).toEqual(["who am I now?"]);
  });

  it("is a fresh visitor even when nobody was signed in", () => {
    const chat = page.chat();
    const before = chat.visitorId.value;
    chat.logout();
    expect(chat.visitorId.value).not.toBe(before);
  });

  it("is remembered across a reload: the next page is the new anonymous visitor, not A", async () => {
    const { chat, visitorA } = await signedInAsA();
    chat.logout();
    const reloaded = page.chat({}, false);
    expect(reloaded.visitorId.value).toBe(chat.visitorId.value);
    expect(reloaded.visitorId.value).not.toBe(visitorA);
    expect(reloaded.messages.value).toEqual([]);
  });

  it("then identify(B): a visitorId that is not A's, and B never sees A's messages or replies", async () => {
    const { chat, visitorA } = await signedInAsA();
    chat.logout();
    const seen: string[] = [];
    chat.events.on("message", (m) => seen.push((m as { text: string }).text));
    chat.identify(hashB);
    expect(chat.visitorId.value).not.toBe(visitorA);
    await until(() => api.requests.some((r) => r.body.identity?.userId === hashB.userId), "B's read");
    chat.send("B here");
    await until(() => chat.history.value.length === 1, "B's message");
    await idle(chat);
    expect(chat.messages.value.map((m) => m.text)).toEqual(["B here"]);
    expect(seen).toEqual(["B here"]);
  });

  it("works through Parley('logout') on a booted widget", async () => {
    win.ParleySettings = { appId: "app_test", apiBase: API, identity: hashA };
    let chat!: Chat;
    page.cleanup(boot(win, (c) => ((chat = c), () => {})));
    const anonymous = vi.fn();
    await until(() => chat.verdict.value?.status === "verified");
    const visitorA = chat.visitorId.value;
    win.Parley("logout");
    win.Parley("on", "identity", anonymous);
    expect(anonymous).toHaveBeenCalledWith({ status: "anonymous" });
    expect(chat.visitorId.value).not.toBe(visitorA);
    expect(storageDump().join("\n")).not.toContain(A.userId);
  });
});
