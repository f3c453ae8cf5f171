// Wakes long-polls when a conversation gets a message. In-process only: on PostgreSQL, where
// another process may write, waiters also re-read storage on a slow timer (visitor-routes.ts).
import { EventEmitter } from "node:events";

/** The channel every notification is also sent on: the operator's inbox waits on it (any conversation changed). */
export const ANY_CONVERSATION: unique symbol = Symbol("any conversation");
type Channel = string | typeof ANY_CONVERSATION;

export class Notifier {
  private readonly bus = new EventEmitter().setMaxListeners(0);

  notify(conversationId: string) {
    this.bus.emit(conversationId);
    this.bus.emit(ANY_CONVERSATION);
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
    const seen = () => (changed = true);
    this.bus.on(conversationId, seen);
    try {
      await this.wait(conversationId, ms, signal);
    } finally {
      this.bus.off(conversationId, seen);
    }
    return changed;
  }
}
