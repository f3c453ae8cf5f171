// Two tabs of one site, below the end-to-end level: two Chats on the same storage and the same
// BroadcastChannel name, as two tabs of one browser have. Each rule here is broken once in the
// source while writing the test, and the test fails: identity follows the other tab, the outbox
// follows another tab's storage writes, and the Web Lock lets one tab send a message, once.
import { HttpResponse } from "msw";
import { afterEach, expect, it, vi } from "vitest";
import { fakeChannels, hashB, idle, settle, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();
const KEY = "parley:app_test:outbox";

it("an identify in one tab makes the other the same visitor, with the same claim", async () => {
  const one = page.chat();
  const two = page.chat();
  // Two fresh tabs that have written nothing are two visitors (nothing is stored on a page view);
  // the first change of person makes them one.
  one.identify(hashB);
  await until(() => JSON.stringify(two.claim) === JSON.stringify(hashB), "the other tab to adopt the claim");
  expect(two.visitorId.value).toBe(one.visitorId.value);
  one.logout();
  await until(() => two.claim === null && two.visitorId.value === one.visitorId.value, "the other tab to log out too");
});

it("what another tab queued shows in this one when storage tells it", async () => {
  let release!: () => void;
  api.onMessage = () => new Promise<undefined>((r) => (release = () => r(undefined)));
  // A visitor both tabs already share (stored by an earlier page), so only storage tells tab two.
  localStorage.setItem("parley:app_test:visitor", JSON.stringify({ id: "v_shared", owner: null }));
  const one = page.chat();
  const two = page.chat();
  one.send("written in tab one");
  await until(() => release, "tab one's message at the server");
  expect(two.outbox.items.value).toEqual([]);
  // What the browser does in every other tab when one writes to localStorage.
  window.dispatchEvent(new StorageEvent("storage", { key: KEY }));
  expect(two.outbox.items.value.map((i) => i.text)).toEqual(["written in tab one"]);
  release();
  await until(() => one.outbox.items.value.length === 0);
  window.dispatchEvent(new StorageEvent("storage", { key: KEY }));
  expect(two.outbox.items.value).toEqual([]);
});

/**
 * The Web Locks API as browsers implement `request(name, { ifAvailable: true }, cb)`: the callback
 * gets null while another holder has the name. (happy-dom's navigator.locks grants every request.)
 */
function installLocks() {
  const held = new Set<string>();
  const locks = {
    async request(name: string, _opts: { ifAvailable: boolean }, cb: (lock: { name: string } | null) => Promise<unknown>) {
      if (held.has(name)) return cb(null);
      held.add(name);
      try {
        return await cb({ name });
      } finally {
        held.delete(name);
      }
    },
  };
  const original = Object.getOwnPropertyDescriptor(navigator, "locks");
  Object.defineProperty(navigator, "locks", { value: locks, configurable: true });
  restore = () => (original ? Object.defineProperty(navigator, "locks", original) : delete (navigator as { locks?: unknown }).locks);
}
let restore: (() => unknown) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

it("while one tab sends under the lock, the other does not send the same message", async () => {
  installLocks();
  let release!: () => void;
  api.onMessage = (_, nth) => (nth === 0 ? new Promise<undefined>((r) => (release = () => r(undefined))) : undefined);
  const one = page.chat();
  const two = page.chat();
  one.send("once only");
  await until(() => release, "tab one sending");
  two.outbox.reload();
  two.outbox.kick();
  one.outbox.kick();
  // Tab two's flush ran and found the lock taken: it has nothing in flight, and sent nothing.
  await two.outbox.flush();
  expect(api.messages()).toHaveLength(1);
  release();
  await until(() => one.outbox.items.value.length === 0, "delivery");
  expect(api.messages()).toHaveLength(1);
});

it("two anonymous tabs: a conversation started in one, and its reply, show in the other without a reload", async () => {
  const one = page.chat();
  const two = page.chat();
  one.send("asked in tab one");
  await until(() => two.history.value.some((m) => m.text === "asked in tab one"), "the other tab to read the new conversation");
  api.reply(`visitor:${one.visitorId.value}`, "answered");
  // Each tab listens for replies on its own (the fake API's long-polls hang; a read stands for one).
  await two.sync();
  await one.sync();
  expect(two.history.value.map((m) => m.text)).toEqual(["asked in tab one", "answered"]);
  expect(one.history.value.map((m) => m.text)).toEqual(["asked in tab one", "answered"]);
});

it("the same visitor's first message in another tab: this tab reads the thread, and is not made over (its announcements are not read again)", async () => {
  // A visitor both tabs already share (stored by an earlier page).
  localStorage.setItem("parley:app_test:visitor", JSON.stringify({ id: "v_shared", owner: null }));
  const one = page.chat();
  const two = page.chat();
  const queries = () => api.newsRequests.filter((r) => r.path === "query").length;
  await until(() => queries() === 2, "each tab's announcements, read once");
  one.send("asked in tab one");
  await until(() => two.history.value.some((m) => m.text === "asked in tab one"), "the other tab to read the new conversation");
  await idle(two);
  await settle();
  expect(queries()).toBe(2);
});

it("another tab's visitor who already has a conversation: this tab becomes them and reads it", async () => {
  const channel = fakeChannels();
  const chat = page.chat({ channel });
  api.reply("visitor:v_elsewhere", "an earlier answer");
  channel("parley:app_test")!.postMessage({ record: { id: "v_elsewhere", owner: null, active: true }, claim: null });
  await until(() => chat.history.value.length === 1, "their thread");
  expect(chat.visitorId.value).toBe("v_elsewhere");
  expect(chat.history.value[0]!.text).toBe("an earlier answer");
});

it("another tab's write to the shared outbox reads the thread only when it took out one of this visitor's messages", async () => {
  const chat = page.chat({ channel: () => undefined });
  api.onMessage = () => HttpResponse.json({ error: { code: "internal", message: "down" } }, { status: 503 });
  chat.send("one");
  chat.send("two");
  await until(() => chat.outbox.items.value.length === 2 && api.messages().length > 0, "both pending here");
  const mine = chat.outbox.items.value;
  const theirs = { ...mine[0]!, clientId: "c_theirs", visitorId: "v_someone_else" };
  // What another tab's writes look like here: storage changed, then the event.
  const written = (items: unknown[]) => {
    localStorage.setItem(KEY, JSON.stringify(items));
    window.dispatchEvent(new StorageEvent("storage", { key: KEY }));
  };
  const reads = () => api.conversations().length;
  const before = reads();
  written([...mine, theirs]);
  written(mine);
  // Someone else's message came and went: nothing of this visitor's was sent.
  expect(reads()).toBe(before);
  written([mine[1]]);
  // One of the two was sent from the other tab: read, so it shows here as sent.
  expect(reads()).toBe(before + 1);
});
