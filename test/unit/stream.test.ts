// Replies pushed over the stream (widget/live/): what the widget opens, with which claim, when it
// closes, and what it does when streams fail. Against the unit suite's fake API, which streams
// when `api.streams` is on and otherwise answers 404 as a server without streams would.
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { Listener, STREAM_MISSES } from "../../widget/live/listener.ts";
import type { StreamEnd } from "../../widget/live/stream.ts";
import { API, fakeChannels, idle, installFakeLocks, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();
const polls = () => api.conversations().filter((r) => r.body.wait);

describe("with a server that streams", () => {
  it("a reply reaches the open panel through the stream, and nothing long-polls", async () => {
    api.streams = true;
    const chat = page.chat();
    chat.open();
    chat.send("anyone there?");
    await until(() => api.openStreams.size === 1, "a stream open");
    api.reply(`visitor:${chat.visitorId.value}`, "Yes! How can I help?");
    await until(() => chat.history.value.some((m) => m.text === "Yes! How can I help?"), "the reply");
    expect(polls()).toEqual([]);
  });

  it("a page with no conversation opens no stream, panel closed or open; the first message opens one, and it stays while the conversation goes on", async () => {
    api.streams = true;
    const chat = page.chat();
    await until(() => api.newsRequests.length === 1, "the announcements read at start");
    chat.open();
    await idle(chat);
    expect(api.streamRequests).toEqual([]);
    chat.send("a first question");
    await until(() => api.openStreams.size === 1, "a stream once there is a conversation");
    chat.close();
    api.reply(`visitor:${chat.visitorId.value}`, "answered while closed");
    await until(() => chat.unread.value === 1, "the reply, counted");
    expect(api.streamRequests).toHaveLength(1);
  });

  it("identify re-opens the stream with the new claim; logout closes it and carries nothing of the user", async () => {
    api.streams = true;
    const chat = page.chat();
    chat.open();
    chat.send("before signing in");
    await until(() => api.openStreams.size === 1, "the anonymous stream");
    const claim = { userId: "u_ada", userHash: "h" };
    chat.identify(claim);
    await until(() => api.streamRequests.length === 2 && api.openStreams.size === 1, "the stream re-opened");
    expect(api.streamRequests[1]!.identity).toEqual(claim);
    api.reply("user:u_ada", "for Ada");
    await until(() => chat.history.value.some((m) => m.text === "for Ada"), "Ada's reply");
    chat.close();
    chat.logout();
    await until(() => api.openStreams.size === 0, "the stream closed on logout");
    expect(chat.history.value).toEqual([]);
    expect(api.streamRequests).toHaveLength(2);
  });

  it("what the last person's stream brings after a logout shows nowhere", async () => {
    api.streams = true;
    const claim = { userId: "u_ada", userHash: "h" };
    const chat = page.chat({ claim });
    chat.open();
    chat.send("before signing out");
    await until(() => chat.history.value.length === 1 && api.openStreams.size === 1, "Ada's stream");
    // Written to Ada's stream in the same turn as the logout: it reaches the reader after it.
    api.reply("user:u_ada", "for Ada only");
    chat.logout();
    await until(() => api.streamRequests.length === 2, "the anonymous stream");
    await idle(chat);
    expect(chat.history.value).toEqual([]);
  });

  it("a stream cut mid-way is re-opened from the last message it had: nothing is missed", async () => {
    api.streams = true;
    const chat = page.chat();
    chat.open();
    chat.send("first");
    await until(() => chat.history.value.length === 1 && api.openStreams.size === 1, "the stream");
    api.reply(`visitor:${chat.visitorId.value}`, "one");
    await until(() => chat.history.value.length === 2, "the first reply");
    for (const open of api.openStreams) open.cut();
    api.reply(`visitor:${chat.visitorId.value}`, "sent while cut");
    // Re-opened after a second or two of backoff (a crashed server is not met by a storm).
    await vi.waitFor(() => expect(chat.history.value.some((m) => m.text === "sent while cut")).toBe(true), { timeout: 10_000, interval: 20 });
    const reopened = api.streamRequests[api.streamRequests.length - 1]!;
    expect(reopened.after).toBe(chat.history.value[1]!.id);
    expect(chat.history.value.map((m) => m.text)).toEqual(["first", "one", "sent while cut"]);
  });

  it("the stream's verdict is the widget's: a rejected claim shows as rejected", async () => {
    api.streams = true;
    api.verdict = (claim) => (claim ? { status: "rejected", reason: "bad_signature" } : { status: "anonymous" });
    const chat = page.chat({ claim: { userId: "u_x", userHash: "bad" } });
    chat.open();
    await until(() => api.openStreams.size === 1, "the stream");
    await until(() => chat.verdict.value?.status === "rejected", "the verdict");
  });
});

describe("what the stream says counts on its own", () => {
  it("its verdict: a claim the read before it took but the stream rejects shows as rejected, and is kept for the next message, as after a read", async () => {
    api.streams = true;
    const claim = { userId: "u_x", userHash: "h" };
    api.verdict = (c) => (c ? { status: "rejected", reason: "bad_signature" } : { status: "anonymous" });
    // The read said verified (the app's keys changed between the read and the stream).
    api.onConversation = () => HttpResponse.json({ messages: [], identity: { status: "verified", userId: "u_x" } });
    const chat = page.chat({ claim, tabs: ["chat"] });
    await until(() => chat.verdict.value?.status === "verified", "the read's verdict");
    chat.open();
    await until(() => api.openStreams.size === 1, "the stream");
    await until(() => chat.verdict.value?.status === "rejected", "the stream's verdict");
    expect(chat.claim).toEqual(claim);
  });

  it("its replies are `message` events when the stream was this page's first read, the first reply too (a new visitor has no history to take it for)", async () => {
    api.streams = true;
    const chat = page.chat();
    const heard: string[] = [];
    chat.events.on("message", (m) => heard.push((m as { text: string }).text));
    chat.open();
    chat.send("first words");
    await until(() => api.openStreams.size === 1, "the stream");
    api.reply(`visitor:${chat.visitorId.value}`, "first reply");
    await until(() => chat.history.value.length === 2, "the first reply");
    api.reply(`visitor:${chat.visitorId.value}`, "second reply");
    await until(() => chat.history.value.length === 3, "the second reply");
    expect(heard).toEqual(["first words", "first reply", "second reply"]);
  });

  it("its refusal: an app gone while the page was open is said, in words the developer can act on", async () => {
    api.streams = true;
    const chat = page.chat();
    chat.open();
    chat.send("hello");
    await until(() => api.openStreams.size === 1, "the stream");
    api.server.use(http.post(`${API}/v1/apps/:appId/stream`, () => HttpResponse.json({ error: { code: "app_not_found", message: "No such app." } }, { status: 404 })));
    for (const open of api.openStreams) open.end(0);
    await until(() => page.warnings().some((w) => w.includes("no app app_test at https://api.test")), "the warning");
  });
});

it("where the stream's chunk cannot load (offline, a CSP that blocks it), replies come by long-poll", async () => {
  vi.doMock("../../widget/live/stream.ts", () => {
    throw new Error("the chunk did not load");
  });
  try {
    api.streams = true;
    const chat = page.chat();
    chat.open();
    chat.send("hello");
    await until(() => polls().length === 1, "a long-poll");
    expect(api.streamRequests).toEqual([]);
  } finally {
    vi.doUnmock("../../widget/live/stream.ts");
  }
});

it("a server without streams: one try, then long-polls for the rest of the page", async () => {
  const chat = page.chat();
  chat.open();
  chat.send("hello");
  await until(() => polls().length === 1, "a long-poll");
  api.reply(`visitor:${chat.visitorId.value}`, "by long-poll");
  for (const resolve of api.hanging) resolve();
  await until(() => polls().length === 2, "the next long-poll");
  expect(api.streamRequests).toHaveLength(1);
});

describe("choosing between the stream and the long-poll", () => {
  const ended = (end: Partial<StreamEnd>): StreamEnd => ({ ok: false, opened: false, ...end });
  const listener = (ends: StreamEnd[], pollOk = true) => {
    const seen: string[] = [];
    const l = new Listener({
      stream: async () => (seen.push("stream"), ends.shift() ?? ended({ ok: true, opened: true })),
      poll: async () => (seen.push("poll"), { ok: pollOk }),
    });
    return { l, seen };
  };
  const signal = new AbortController().signal;

  it("a stream that fails to open gives the long-poll a turn, then tries again", async () => {
    const { l, seen } = listener([ended({})]);
    await l.read(25, signal);
    await l.read(25, signal);
    await l.read(25, signal);
    expect(seen).toEqual(["stream", "poll", "stream"]);
  });

  it(`after ${STREAM_MISSES} streams that failed where the long-poll worked, the page long-polls only`, async () => {
    const { l, seen } = listener(Array.from({ length: STREAM_MISSES }, () => ended({})));
    for (let i = 0; i < STREAM_MISSES * 2 + 2; i++) await l.read(25, signal);
    expect(l.streamless).toBe(true);
    expect(seen.slice(-3)).toEqual(["poll", "poll", "poll"]);
  });

  it("a stream the server refused (busy, too many streams) gives the long-poll no turn: the next read is a stream again", async () => {
    const { l, seen } = listener([ended({ status: 429, retryAfter: 30 })]);
    expect(await l.read(25, signal)).toEqual({ ok: false, retryAfter: 30 });
    await l.read(25, signal);
    expect(seen).toEqual(["stream", "stream"]);
  });

  it("a stream aborted on purpose (the person changed) gives the long-poll no turn either", async () => {
    const aborted = new AbortController();
    aborted.abort();
    const { l, seen } = listener([ended({})]);
    await l.read(25, aborted.signal);
    await l.read(25, signal);
    expect(seen).toEqual(["stream", "stream"]);
  });

  it("a server that is down (the long-poll fails too) is not a reason to give streams up", async () => {
    const { l } = listener(Array.from({ length: 10 }, () => ended({})), false);
    for (let i = 0; i < 20; i++) await l.read(25, signal);
    expect(l.streamless).toBe(false);
  });

  it("an opened stream forgets past misses; a server without streams is long-polled at once", async () => {
    const { l, seen } = listener([ended({}), ended({}), ended({ opened: true }), ended({ unsupported: true })]);
    for (let i = 0; i < 6; i++) await l.read(25, signal);
    expect(seen).toEqual(["stream", "poll", "stream", "poll", "stream", "stream", "poll", "poll", "poll"].slice(0, seen.length));
    expect(l.streamless).toBe(true);
  });

  it("the server's end passes its reconnect hint to the loop", async () => {
    const { l } = listener([ended({ ok: true, opened: true, retryAfter: 5 })]);
    expect(await l.read(25, signal)).toEqual({ ok: true, retryAfter: 5 });
  });
});

describe("one stream for the site's tabs", () => {
  it("one tab listens, the other hears it over the channel; when the listening tab goes, the other takes over", async () => {
    const restore = installFakeLocks();
    try {
      api.streams = true;
      const channel = fakeChannels();
      const one = page.chat({ channel }, false);
      const stopOne = one.start();
      const two = page.chat({ channel });
      one.open();
      one.send("asked in tab one");
      await until(() => two.visitorId.value === one.visitorId.value && two.history.value.length === 1, "tab two to become the same visitor");
      await until(() => api.openStreams.size === 1, "a stream");
      await idle(two);
      api.reply(`visitor:${one.visitorId.value}`, "heard by both");
      await until(() => [one, two].every((c) => c.history.value.some((m) => m.text === "heard by both")), "the reply in both tabs");
      expect(api.openStreams.size).toBe(1);
      expect(api.streamRequests).toHaveLength(1);

      stopOne();
      await until(() => api.streamRequests.length === 2 && api.openStreams.size === 1, "tab two to listen once tab one is gone");
      api.reply(`visitor:${two.visitorId.value}`, "to the tab that is left");
      await until(() => two.history.value.some((m) => m.text === "to the tab that is left"), "the next reply");
    } finally {
      restore();
    }
  });

  it("with long-polls too (a server without streams): what the listening tab's long-poll brings, the other hears, as a new message", async () => {
    const restore = installFakeLocks();
    try {
      // The first long-poll (the listening tab's) answers with the reply once it is written; any
      // other hangs, so the other tab can only hear it over the channel.
      let answer!: () => void;
      const written = new Promise<void>((r) => (answer = r));
      api.onPoll = async (body, nth) => {
        if (nth > 0) return undefined;
        await written;
        const mine = api.stored.filter((m) => m.owner === `visitor:${body.visitorId}`);
        const fresh = mine.slice(mine.findIndex((m) => m.id === body.after) + 1).map(({ owner: _, ...m }) => m);
        return HttpResponse.json({ messages: fresh, identity: { status: "anonymous" } });
      };
      const channel = fakeChannels();
      const one = page.chat({ channel });
      const two = page.chat({ channel });
      one.open();
      one.send("asked in tab one");
      await until(() => two.visitorId.value === one.visitorId.value && two.history.value.length === 1, "tab two to become the same visitor");
      await until(() => polls().length === 1, "one long-poll");
      await idle(two);
      const told: string[] = [];
      two.events.on("message", (m) => told.push((m as { text: string }).text));
      api.reply(`visitor:${one.visitorId.value}`, "heard by both");
      answer();
      await until(() => [one, two].every((c) => c.history.value.some((m) => m.text === "heard by both")), "the reply in both tabs");
      // The waiting tab's page hears it as a new message too.
      expect(told).toEqual(["heard by both"]);
    } finally {
      restore();
    }
  });

  it("each app's widget on a page listens for itself: two apps, two streams", async () => {
    const restore = installFakeLocks();
    try {
      api.streams = true;
      const one = page.chat();
      const other = page.chat({ appId: "app_other" });
      one.open();
      other.open();
      one.send("to the first app");
      other.send("to the other app");
      await until(() => api.openStreams.size === 2, "a stream for each app");
    } finally {
      restore();
    }
  });

  it("a message posted on the channel by someone else's tab, or that is not a message, shows nowhere; a real one beside them does", async () => {
    const channel = fakeChannels();
    const chat = page.chat({ channel });
    chat.send("mine");
    await until(() => chat.history.value.length === 1, "the message");
    const forger = channel("parley:app_test");
    forger!.postMessage({ heard: [{ id: "m_x", text: "not yours", createdAt: "", author: { type: "operator" } }], visitorId: "v_someone_else" });
    forger!.postMessage({ heard: [{ id: 1, text: null }], visitorId: chat.visitorId.value });
    const operator = { type: "operator", name: "Grace" };
    forger!.postMessage({
      heard: [
        null,
        { id: 5, text: "a number for an id", createdAt: "", author: operator },
        { id: "m_a", text: 7, createdAt: "", author: operator },
        { id: "m_b", text: "no author", createdAt: "" },
        { id: "m_c", text: "an author of no type", createdAt: "", author: {} },
        { id: "m_ok", text: "a real one beside them", createdAt: "", author: operator },
      ],
      visitorId: chat.visitorId.value,
    });
    await until(() => chat.history.value.length > 1, "the real one");
    await idle(chat);
    expect(chat.history.value.map((m) => m.text)).toEqual(["mine", "a real one beside them"]);
  });
});

it("a message another tab sent from the shared outbox shows here as sent, even with no word from that tab", async () => {
  // No channel between the tabs: only the storage event says the outbox changed.
  const chat = page.chat({ channel: () => undefined });
  api.onMessage = () => HttpResponse.json({ error: { code: "internal", message: "down" } }, { status: 503 });
  chat.send("sent by the other tab");
  await until(() => chat.messages.value[0]?.state === "pending" && api.messages().length > 0, "the message pending here");
  const [item] = chat.outbox.items.value;
  // The other tab delivered it: the server has it, and the shared outbox no longer does.
  api.stored.push({ id: "m_other_tab", clientId: item!.clientId, text: item!.text, createdAt: new Date().toISOString(), author: { type: "visitor", visitorId: item!.visitorId }, owner: `visitor:${item!.visitorId}` });
  localStorage.setItem("parley:app_test:outbox", "[]");
  dispatchEvent(new StorageEvent("storage", { key: "parley:app_test:outbox" }));
  await until(() => chat.messages.value.length === 1 && chat.messages.value[0]!.state === "sent", "the message, sent");
});
