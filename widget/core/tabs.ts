// The other tabs of the site, in this browser: what one tells, the others hear, and what one
// writes to the shared outbox, the others re-read. The channel is injectable, so two chats on one
// fake channel can be tested without a browser.

/** The part of BroadcastChannel used here. */
export interface Channel {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: MessageEvent) => void) | null;
}
export type OpenChannel = (name: string) => Channel | undefined;

/** Every current browser has BroadcastChannel; without it, tabs agree at their next reload. */
export const broadcastChannel: OpenChannel = (name) => (typeof BroadcastChannel === "function" ? new BroadcastChannel(name) : undefined);

export interface TabsOptions {
  /** Another tab's news (unchecked: any script of the origin can post on the channel). */
  heard(message: unknown): void;
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
    if (channel) channel.onmessage = (e) => o.heard(e.data);
    return () => {
      removeEventListener("storage", stored);
      this._channel = undefined;
      channel?.close();
    };
  }

  tell(message: unknown) {
    try {
      this._channel?.postMessage(message);
    } catch {
      /* a closed channel: this tab is stopping */
    }
  }
}
