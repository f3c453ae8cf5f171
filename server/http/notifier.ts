// Tells whoever waits on a conversation (a stream, a long-poll, the console) that it changed. In
// one process an event bus; across processes on PostgreSQL, `relay` (realtime/pg-relay.ts) carries
// each notification to the other processes and hands theirs to `deliver`.
import { EventEmitter } from "node:events";

/** The channel every notification is also sent on: the operator's inbox waits on it (any conversation changed). */
export const ANY_CONVERSATION: unique symbol = Symbol("any conversation");
type Channel = string | typeof ANY_CONVERSATION;

/** The channel of an app's ideas board (an idea, a vote or a comment changed): not a conversation. */
export const feedbackChannel = (appId: string) => `feedback ${appId}`;
const isFeedback = (channel: string) => channel.startsWith("feedback ");

export class Notifier {
  private readonly bus = new EventEmitter().setMaxListeners(0);
  /** Sends a notification to the other processes (set by the PostgreSQL relay). */
  relay: ((conversationId: string) => void) | undefined;

  notify(conversationId: string) {
    this.deliver(conversationId);
    this.relay?.(conversationId);
  }

  /** A notification, from this process or another: wakes this process's waiters. */
  deliver(conversationId: string) {
    this.bus.emit(conversationId);
    if (!isFeedback(conversationId)) this.bus.emit(ANY_CONVERSATION);
  }

  /**
   * Wakes every waiter, whatever it waits on: after the relay lost its connection, notifications
   * sent meanwhile are gone, so everyone reads storage again.
   */
  wakeAll() {
    for (const channel of this.bus.eventNames()) this.bus.emit(channel);
  }

  /** Calls `fn` on every notification on `channel` until the returned function is called. */
  subscribe(channel: Channel, fn: () => void): () => void {
    this.bus.on(channel, fn);
    return () => this.bus.off(channel, fn);
  }

  /** Resolves on a notification, after `ms`, or when `signal` aborts; whichever is first. */
  wait(conversationId: Channel, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.bus.off(conversationId, done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.bus.on(conversationId, done);
      signal?.addEventListener("abort", done);
    });
  }

  /**
   * `wait`, saying whether a notification came (rather than the time or the signal ending it): a
   * long-poll reads storage again only when something may have changed.
   */
  async waitForChange(conversationId: Channel, ms: number, signal?: AbortSignal): Promise<boolean> {
    let changed = false;
    const unsubscribe = this.subscribe(conversationId, () => (changed = true));
    try {
      await this.wait(conversationId, ms, signal);
    } finally {
      unsubscribe();
    }
    return changed;
  }
}
