// Wakes long-polls when a conversation gets a message. In-process only: waiters also re-read
// storage on a short timer, so a message written by another process is seen too.
import { EventEmitter } from "node:events";

export class Notifier {
  private readonly bus = new EventEmitter().setMaxListeners(0);

  notify(conversationId: string) {
    this.bus.emit(conversationId);
  }

  /** Resolves on a notification, after `ms`, or when `signal` aborts; whichever is first. */
  wait(conversationId: string, ms: number, signal?: AbortSignal): Promise<void> {
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
}
