// The loop that listens for replies (a stream, else a long-poll: listener.ts): one read at a time,
// while someone could see a reply, backing off on failure and believing a server that says when
// to come back.
import { backoffMs } from "./outbox.ts";

export interface PollerOptions {
  /** One read (a stream until it ends, or a long-poll of `seconds`); ok or not, and the seconds the server asked us to wait. */
  read(seconds: number, signal: AbortSignal): Promise<{ ok: boolean; retryAfter?: number }>;
  /** Whether a reply could be seen now (panel open or a conversation going, page visible…). */
  wanted(): boolean;
  seconds: number;
  random?: () => number;
}

export class Poller {
  private _looping = false;
  private _current: AbortController | undefined;

  constructor(private readonly _o: PollerOptions) {}

  /** Polls again when the page comes back into view or online; returns how to stop. */
  start(): () => void {
    const resume = () => void this.ensure();
    addEventListener("online", resume);
    document.addEventListener("visibilitychange", resume);
    return () => {
      removeEventListener("online", resume);
      document.removeEventListener("visibilitychange", resume);
      this.abort();
    };
  }

  /** Starts the loop unless it runs; it ends by itself once nobody could see a reply. */
  async ensure(): Promise<void> {
    if (this._looping) return;
    this._looping = true;
    const random = this._o.random ?? Math.random;
    let failures = 0;
    while (this._o.wanted()) {
      const current = (this._current = new AbortController());
      const { ok, retryAfter } = await this._o.read(this._o.seconds, current.signal);
      failures = ok || current.signal.aborted ? 0 : failures + 1;
      // A server that says when to come back (restarting: 503, busy: 429, a stream's `end`) is
      // believed over our backoff — give or take a quarter, so the widgets of a whole site do not
      // return at once.
      if (failures || retryAfter) await new Promise((r) => setTimeout(r, Math.max(failures ? backoffMs(failures, random) : 0, (retryAfter ?? 0) * 1000 * (1 + random() / 4))));
    }
    this._looping = false;
  }

  /** Ends the poll in flight (its answer may be about someone else now); the loop goes on if wanted. */
  abort() {
    this._current?.abort();
  }
}
