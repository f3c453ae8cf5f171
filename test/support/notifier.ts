// A real Notifier that says when a long-poll starts waiting, and for how long it asked to: what
// the long-poll tests wait on, instead of the clock.
import { Notifier } from "../../server/http/notifier.ts";

export class WatchedNotifier extends Notifier {
  readonly waits: number[] = [];
  private _waiting: (() => void)[] = [];
  override wait(conversationId: string, ms: number, signal?: AbortSignal) {
    this.waits.push(ms);
    for (const resolve of this._waiting.splice(0)) resolve();
    return super.wait(conversationId, ms, signal);
  }
  /** Resolves when the next poll starts waiting. */
  nextWait() {
    return new Promise<void>((resolve) => this._waiting.push(resolve));
  }
}
