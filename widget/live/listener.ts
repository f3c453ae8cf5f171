// How replies reach this page: the push stream while it works, the long-poll when it does not.
// One read at a time, driven by the Poller.
import type { StreamEnd } from "./stream.ts";

export interface ListenerOptions {
  /** One stream, until it ends. */
  stream(signal: AbortSignal): Promise<StreamEnd>;
  /** One long-poll of `seconds`. */
  poll(seconds: number, signal: AbortSignal): Promise<{ ok: boolean; retryAfter?: number }>;
}

/**
 * Streams that failed to open while the long-poll right after them worked: something on the way
 * (a buffering proxy) stops streams. After this many in a row, this page long-polls only.
 */
export const STREAM_MISSES = 3;

export class Listener {
  private _misses = 0;
  private _pollNext = false;
  private _streamless = false;

  constructor(private readonly _o: ListenerOptions) {}

  /** True once this page has given up on streams. */
  get streamless() {
    return this._streamless || this._misses >= STREAM_MISSES;
  }

  async read(seconds: number, signal: AbortSignal): Promise<{ ok: boolean; retryAfter?: number }> {
    if (this.streamless || this._pollNext) {
      const missed = this._pollNext;
      this._pollNext = false;
      const polled = await this._o.poll(seconds, signal);
      if (missed && polled.ok) this._misses++;
      return polled;
    }
    const end = await this._o.stream(signal);
    if (end.unsupported) {
      // A server without streams: long-poll from now on.
      this._streamless = true;
      return this._o.poll(seconds, signal);
    }
    if (end.opened) this._misses = 0;
    // Not even opened (and not refused, not ours to stop): the long-poll's turn, to see whether it is the stream.
    else if (!signal.aborted && end.status === undefined) this._pollNext = true;
    return { ok: end.ok, retryAfter: end.retryAfter };
  }
}

/**
 * Runs `read` while this tab is the one of the site that listens (a Web Lock named `name`): the
 * others wait their turn and hear what it hears over the BroadcastChannel, so a site open in ten
 * tabs holds one stream. Without Web Locks every tab listens for itself. Aborting `signal` gives up
 * the wait (the person changed): an empty, successful read.
 */
export async function lead<T extends { ok: boolean }>(name: string, signal: AbortSignal, read: () => Promise<T>): Promise<T | { ok: true }> {
  const locks = typeof navigator === "object" ? navigator.locks : undefined;
  if (!locks) return read();
  try {
    return await locks.request(name, { signal }, read);
  } catch {
    return { ok: true };
  }
}
