// The durable outbox: a message is kept (in memory and storage) with the claim and visitor it was
// written under until the server has it, retried with backoff, and delivered once by `clientId`.
// Storage is the source of truth, shared by every tab of the site: each change is a
// read-modify-write of it, and sending happens under a Web Lock, so one tab sends a message.
import { signal } from "@preact/signals-core";
import type { Claim } from "../../contract/wire.ts";
import { isTransient } from "./api.ts";
import { readJson, type KeyValue } from "./storage.ts";

export interface OutboxItem {
  clientId: string;
  text: string;
  /** The claim current when the visitor wrote it: it is delivered under this one, whatever follows. */
  claim: Claim | null;
  visitorId: string;
  createdAt: string;
  state: "pending" | "failed";
  attempts: number;
  error?: string;
}

/** `status` 2xx = delivered; transient statuses are retried; any other is a permanent failure. */
export type Deliver<T extends OutboxItem = OutboxItem> = (item: T) => Promise<{ status: number; message?: string; retryAfter?: number }>;

/** Runs `fn` while holding this tab's claim to send; resolves without running it if another tab holds it. */
export type Exclusive = (fn: () => Promise<void>) => Promise<void>;

export const MAX_BACKOFF_MS = 60_000;
/** Exponential from 1 s, capped, with jitter so a fleet of widgets does not retry in step. */
export const backoffMs = (attempts: number, random: () => number) => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts) * (0.5 + random() / 2);

/** Web Locks where the browser has them (every current one); a plain call elsewhere. */
export function webLock(name: string): Exclusive {
  return async (fn) => {
    const locks = typeof navigator === "object" ? navigator.locks : undefined;
    if (!locks) return fn();
    await locks.request(name, { ifAvailable: true }, (lock) => (lock ? fn() : undefined));
  };
}

/** Holds messages, or (typed by `T`) anything else written with the same discipline: ideas, comments. */
export class Outbox<T extends OutboxItem = OutboxItem> {
  readonly items = signal<T[]>([]);
  private _busy = false;
  /** A flush was asked for while one was running: run again after it, or a new item could wait. */
  private _again = false;
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly _store: KeyValue,
    private readonly _key: string,
    private readonly _deliver: Deliver<T>,
    private readonly _random: () => number = Math.random,
    private readonly _exclusive: Exclusive = (fn) => fn(),
  ) {
    this.reload();
  }

  /** Re-reads storage, e.g. when another tab changed it. */
  reload() {
    const saved = readJson<unknown>(this._store, this._key);
    this.items.value = (Array.isArray(saved) ? saved : []).filter((i): i is T => !!i && typeof i.clientId === "string");
  }

  add(item: Omit<T, "state" | "attempts">) {
    this._change((items) => [...items, { ...item, state: "pending", attempts: 0 } as T]);
    void this.flush();
  }

  retry(clientId: string) {
    this._update(clientId, { state: "pending", attempts: 0, error: undefined });
    this.kick();
  }

  remove(clientId: string) {
    this._change((items) => items.filter((i) => i.clientId !== clientId));
  }

  /**
   * Forgets refused messages of every visitor but `visitorId`: only their writer could retry or
   * remove them, and a new person must not inherit them. Pending ones stay, to be delivered.
   */
  forgetFailed(visitorId: string) {
    this._change((items) => items.filter((i) => i.state !== "failed" || i.visitorId === visitorId));
  }

  /** Try now, e.g. when the browser comes back online: skip whatever backoff was waiting. */
  kick() {
    clearTimeout(this._timer);
    this._timer = undefined;
    void this.flush();
  }

  stop() {
    clearTimeout(this._timer);
    this._timer = undefined;
  }

  /** Sends pending items oldest first, one at a time, so the server stores them in order. */
  async flush(): Promise<void> {
    // Nothing to send: no lock taken, nothing written.
    if (this._timer || !this._next()) return;
    if (this._busy) {
      this._again = true;
      return;
    }
    this._busy = true;
    try {
      do {
        this._again = false;
        await this._exclusive(() => this._sendAll());
      } while (this._again && !this._timer);
    } finally {
      this._busy = false;
    }
  }

  private async _sendAll() {
    // Each pass re-reads storage: another tab may have sent, added or removed items meanwhile.
    for (let item = this._next(); item; item = this._next()) {
      const result = await this._deliver(item);
      if (result.status >= 200 && result.status < 300) this.remove(item.clientId);
      else if (isTransient(result.status)) {
        this._update(item.clientId, { attempts: item.attempts + 1 });
        // A server that says when to come back (429, 503) is believed over our own backoff.
        this._timer = setTimeout(() => {
          this._timer = undefined;
          void this.flush();
        }, Math.max(backoffMs(item.attempts, this._random), (result.retryAfter ?? 0) * 1000));
        return;
      } else this._update(item.clientId, { state: "failed", error: result.message ?? `HTTP ${result.status}` });
    }
  }

  private _next() {
    this.reload();
    return this.items.value.find((i) => i.state === "pending");
  }

  private _update(clientId: string, patch: Partial<OutboxItem>) {
    this._change((items) => items.map((i) => (i.clientId === clientId ? { ...i, ...patch } : i)));
  }

  /** Read-modify-write of storage in one synchronous step, so tabs do not overwrite each other. */
  private _change(fn: (items: T[]) => T[]) {
    this.reload();
    const before = this.items.value;
    const items = fn(before);
    if (items.length === before.length && items.every((item, i) => item === before[i])) return;
    this.items.value = items;
    if (items.length) this._store.set(this._key, JSON.stringify(items));
    else this._store.remove(this._key);
  }
}
