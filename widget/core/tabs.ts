// The other tabs of the site, in this browser: what one tells, the others hear, and what one
// writes to the shared outbox, the others re-read. The channel is injectable, so two chats on one
// fake channel can be tested without a browser.
import type { Claim, Message } from "../../contract/wire.ts";
import { claimProblem } from "./claim.ts";
import { isRecord, type VisitorRecord } from "./visitor.ts";

/** The part of BroadcastChannel used here. */
export interface Channel {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: MessageEvent) => void) | null;
}
export type OpenChannel = (name: string) => Channel | undefined;

/** Every current browser has BroadcastChannel; without it, tabs agree at their next reload. */
export const broadcastChannel: OpenChannel = (name) => (typeof BroadcastChannel === "function" ? new BroadcastChannel(name) : undefined);

/** What a tab tells the others: the person it became (identify, logout, a first message), or what its listening heard. */
type News = { record: VisitorRecord; claim: Claim | null } | { heard: Message[]; visitorId: string };

export interface TabsOptions {
  /** Another tab is now this visitor, with this claim: so should this one be. */
  person(record: VisitorRecord, claim: Claim | null): void;
  /** The tab that listens for replies heard these, for that visitor (live/listener.ts: one stream per browser). */
  heard(messages: Message[], visitorId: unknown): void;
  /** The storage key shared by tabs, and what to do when another tab writes it. */
  storageKey: string;
  stored(): void;
}

export class Tabs {
  private _channel: Channel | undefined;

  constructor(
    private readonly _name: string,
    private readonly _open: OpenChannel = broadcastChannel,
  ) {}

  start(o: TabsOptions): () => void {
    const stored = (e: StorageEvent) => (e.key === o.storageKey || e.key === null) && o.stored();
    addEventListener("storage", stored);
    const channel = (this._channel = this._open(this._name));
    if (channel) channel.onmessage = (e) => hear(e.data, o);
    return () => {
      removeEventListener("storage", stored);
      this._channel = undefined;
      channel?.close();
    };
  }

  tellPerson(record: VisitorRecord, claim: Claim | null) {
    this._tell({ record, claim });
  }

  tellHeard(heard: Message[], visitorId: string) {
    this._tell({ heard, visitorId });
  }

  private _tell(news: News) {
    try {
      this._channel?.postMessage(news);
    } catch {
      /* a closed channel: this tab is stopping */
    }
  }
}

/** Any script of the origin can post on the channel: only what has the shape of our news goes on. */
function hear(news: unknown, o: TabsOptions) {
  const { heard, visitorId, record, claim = null } = (news ?? {}) as Partial<{ heard: unknown; visitorId: unknown; record: unknown; claim: Claim | null }>;
  if (Array.isArray(heard)) o.heard(heard.filter(isMessage), visitorId);
  // A claim every later request would carry: only one shaped like a proof, or none.
  else if (isRecord(record) && (claim === null || !claimProblem(claim))) o.person(record, claim);
}

const isMessage = (m: unknown): m is Message => !!m && typeof (m as Message).id === "string" && typeof (m as Message).text === "string" && typeof (m as Message).author?.type === "string";
