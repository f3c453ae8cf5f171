// One app's inbox: its conversations (kept current by the app's event stream, events.ts — the list
// is read again on every `inbox` event — or, where the stream fails, by a long-poll on the list
// that the server answers as soon as any conversation has a new message), the one the operator has open with its messages
// (only what is new is fetched, after the last one held, and appended: nothing already shown is
// replaced), its contact, replies, closing and reopening, and what has been read.
import { batch, signal, type Signal } from "@preact/signals-core";
import { ApiError, seg, type Api } from "../api.ts";
import type { AppEvents } from "./events.ts";
import type { Contact, ContactResponse, ConversationsResponse, ConversationStatus, InboxConversation, MessagesResponse, ReplyResponse } from "../../contract/operator.ts";
import type { Message } from "../../contract/wire.ts";

/** Seconds the server may hold the list's long-poll open. */
const WAIT_S = 25;
/** What the server returns at most per read of a conversation's messages. */
const PAGE = 500;

export interface Thread {
  id: string;
  messages: Signal<Message[]>;
  loaded: Signal<boolean>;
  problem: Signal<string | undefined>;
  /** Fetches what is new and appends it; calls are queued, never run side by side. */
  sync(): Promise<void>;
}

export type ContactState = { state: "none" } | { state: "loading" } | { state: "ready"; contact: Contact } | { state: "missing" } | { state: "failed"; message: string };

export function createInbox(api: Api, appId: string) {
  const base = `/apps/${seg(appId)}/conversations`;
  const conversations = signal<InboxConversation[]>([]);
  const loaded = signal(false);
  const filter = signal<ConversationStatus>("open");
  const selected = signal<string | undefined>(undefined);
  const thread = signal<Thread | undefined>(undefined);
  const contact = signal<ContactState>({ state: "none" });
  /** The connection's trouble, if any (the list keeps showing what it had). */
  const problem = signal<string | undefined>(undefined);
  let cursor: string | null | undefined;
  /** The last message this console marked read, per conversation. */
  const markedRead = new Map<string, string>();

  const summary = (id: string | undefined) => conversations.peek().find((c) => c.id === id);
  const patchSummary = (id: string, change: Partial<InboxConversation>) => (conversations.value = conversations.peek().map((c) => (c.id === id ? { ...c, ...change } : c)));

  function newThread(id: string): Thread {
    const messages = signal<Message[]>([]);
    const loadedThread = signal(false);
    const threadProblem = signal<string | undefined>(undefined);
    let queue: Promise<void> = Promise.resolve();
    const fetchNew = async () => {
      for (;;) {
        const held = messages.peek();
        const after = held.length ? `?after=${seg(held[held.length - 1]!.id)}` : "";
        const page = (await api.get<MessagesResponse>(`${base}/${seg(id)}/messages${after}`)).messages;
        append(messages, page);
        if (page.length < PAGE) break;
      }
      batch(() => {
        loadedThread.value = true;
        threadProblem.value = undefined;
      });
    };
    return {
      id,
      messages,
      loaded: loadedThread,
      problem: threadProblem,
      sync() {
        queue = queue.then(fetchNew).catch((err: Error) => {
          if (!(err instanceof ApiError && err.status === 401)) threadProblem.value = err.message;
        });
        return queue;
      },
    };
  }

  /** Marks the open conversation read up to its last message, once per new last message. */
  async function markRead(t: Thread) {
    const last = t.messages.peek().at(-1);
    if (!last || markedRead.get(t.id) === last.id || document.visibilityState === "hidden") return;
    markedRead.set(t.id, last.id);
    patchSummary(t.id, { unread: false });
    try {
      await api.send("PATCH", `${base}/${seg(t.id)}`, { readUpTo: last.id });
    } catch {
      markedRead.delete(t.id);
    }
  }

  async function loadContact(conversation: InboxConversation | undefined) {
    const userId = conversation?.contact.verified ? conversation.contact.userId : null;
    if (!userId) return void (contact.value = { state: "none" });
    if (contact.peek().state !== "ready") contact.value = { state: "loading" };
    try {
      const found = (await api.get<ContactResponse>(`/apps/${seg(appId)}/contacts/${seg(userId)}`)).contact;
      if (selected.peek() === conversation!.id) contact.value = { state: "ready", contact: found };
    } catch (err) {
      if (selected.peek() !== conversation!.id) return;
      contact.value = err instanceof ApiError && err.status === 404 ? { state: "missing" } : { state: "failed", message: (err as Error).message };
    }
  }

  /** After the list changed: the open conversation's new messages, read, and its contact anew when a verified message came. */
  async function catchUp(first: boolean) {
    const t = thread.peek();
    if (!t) return;
    if (first) {
      // Opened from a URL before the list was there: its filter and its contact, now known.
      const conversation = summary(t.id);
      if (conversation && conversation.status !== filter.peek()) filter.value = conversation.status;
      if (contact.peek().state === "none") void loadContact(conversation);
    }
    const before = t.messages.peek().length;
    await t.sync();
    const added = t.messages.peek().slice(before);
    if (t === thread.peek()) {
      void markRead(t);
      if (added.some((m) => m.author.type === "visitor" && m.author.verified)) void loadContact(summary(t.id));
    }
  }

  /** Reads the list now (and catches the open conversation up); runs one at a time, the last ask coalescing the others. */
  let reading: Promise<void> | undefined;
  let again = false;
  async function readList(): Promise<void> {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        try {
          const first = !loaded.peek();
          const page = await api.get<ConversationsResponse>(base);
          cursor = page.cursor;
          batch(() => {
            conversations.value = page.conversations;
            loaded.value = true;
            problem.value = undefined;
          });
          await catchUp(first);
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 401)) problem.value = `${(err as Error).message} It will be read again on the next change.`;
        }
      } while (again);
    })();
    try {
      await reading;
    } finally {
      reading = undefined;
    }
  }

  /** Kept current by the app's events; the long-poll only where they fail. */
  function followEvents(events: AppEvents, stop: AbortSignal) {
    const offs = [events.on("inbox", () => void readList()), events.on("open", () => void readList()), events.on("failed", () => void follow(stop))];
    stop.addEventListener("abort", () => offs.forEach((off) => off()), { once: true });
    // The list now, without waiting for the stream to open.
    void readList();
  }

  async function follow(stop: AbortSignal) {
    let failures = 0;
    while (!stop.aborted) {
      try {
        // The first read answers at once; the next ones wait for what changes after it (no cursor: an empty inbox).
        const wait = !loaded.peek() ? "" : cursor ? `?wait=${WAIT_S}&since=${encodeURIComponent(cursor)}` : `?wait=${WAIT_S}`;
        const first = !loaded.peek();
        const page = await api.get<ConversationsResponse>(base + wait, stop);
        cursor = page.cursor;
        batch(() => {
          conversations.value = page.conversations;
          loaded.value = true;
          problem.value = undefined;
        });
        failures = 0;
        await catchUp(first);
      } catch (err) {
        if (stop.aborted || (err instanceof ApiError && err.status === 401)) return;
        failures++;
        problem.value = `${(err as Error).message} Trying again…`;
        await sleep(Math.min(500 * 2 ** failures, 15_000), stop);
      }
    }
  }

  return {
    appId,
    conversations,
    loaded,
    filter,
    selected,
    thread,
    contact,
    problem,
    /** Keeps the inbox current until the returned function is called: by `events` when given (else by long-poll). */
    start(events?: AppEvents): () => void {
      const stop = new AbortController();
      if (events) followEvents(events, stop.signal);
      else void follow(stop.signal);
      const onVisible = () => {
        const t = thread.peek();
        if (t && document.visibilityState === "visible") void markRead(t);
      };
      document.addEventListener("visibilitychange", onVisible);
      return () => {
        stop.abort();
        document.removeEventListener("visibilitychange", onVisible);
      };
    },
    select(id: string | undefined) {
      if (selected.peek() === id && (id === undefined || thread.peek())) return;
      const t = id ? newThread(id) : undefined;
      batch(() => {
        selected.value = id;
        thread.value = t;
        contact.value = { state: "none" };
      });
      if (!t) return;
      const conversation = summary(id);
      if (conversation && conversation.status !== filter.peek()) filter.value = conversation.status;
      void t.sync().then(() => markRead(t));
      void loadContact(conversation);
    },
    /** Sends a reply in the open conversation; it shows once the server has it. Throws what went wrong. */
    async reply(text: string) {
      const t = thread.peek();
      if (!t) throw new Error("No conversation is open.");
      const { message } = await api.send<ReplyResponse>("POST", `${base}/${seg(t.id)}/replies`, { text });
      patchSummary(t.id, { lastMessageAt: message.createdAt, preview: { text: message.text, from: "operator" } });
      // Read, not appended: a visitor's message stored just before it must show before it.
      await t.sync();
    },
    async setStatus(id: string, status: ConversationStatus) {
      await api.send("PATCH", `${base}/${seg(id)}`, { status });
      patchSummary(id, { status });
    },
    /** The conversation (once the list has it), by id. */
    summary,
  };
}
export type Inbox = ReturnType<typeof createInbox>;

/** Appends what `target` does not hold yet, in order; nothing held is replaced. */
export function append(target: Signal<Message[]>, incoming: Message[]) {
  const held = target.peek();
  const ids = new Set(held.map((m) => m.id));
  const fresh = incoming.filter((m) => !ids.has(m.id));
  if (fresh.length) target.value = [...held, ...fresh];
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    stop.addEventListener("abort", () => (clearTimeout(timer), done()), { once: true });
  });
}
