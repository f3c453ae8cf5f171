// Keeps a token claim fresh with the host's `refreshIdentity`: asks a minute before it runs out
// and whenever asked (an expired or revoked verdict), once at a time, time-boxed. Never throws;
// an answer that is not a proof of the same person is ignored (and said, in debug).
import type { Claim } from "../../contract/wire.ts";
import { sameClaim } from "./claim.ts";
import { freshClaim, REFRESH_TIMEOUT_MS, refreshInMs } from "./identity.ts";
import { warn } from "./log.ts";

/** Where the claim lives: the refresher reads it and replaces it with a fresh one. */
export interface ClaimSlot {
  current(): Claim | null;
  /** Who the local state belongs to: a fresh claim must name the same user. */
  owner(): string | null;
  use(claim: Claim): void;
}

export class Refresher {
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _asking: Promise<boolean> | undefined;
  private _running = false;

  constructor(
    private readonly _slot: ClaimSlot,
    /** The host's callback, if it gave one. */
    public host: (() => unknown) | undefined,
    private readonly _debug = false,
  ) {}

  start(): () => void {
    this._running = true;
    this.schedule();
    return () => {
      this._running = false;
      clearTimeout(this._timer);
    };
  }

  /** Asks the host for a fresh proof of the same user; true when one is in use. */
  renew(): Promise<boolean> {
    return (this._asking ??= this._ask().finally(() => (this._asking = undefined)));
  }

  /** Asks a minute before the current token runs out, while the host can answer. */
  schedule() {
    clearTimeout(this._timer);
    const wait = this.host && this._running ? refreshInMs(this._slot.current(), Date.now()) : undefined;
    if (wait !== undefined) this._timer = setTimeout(() => void this.renew(), wait);
  }

  private async _ask(): Promise<boolean> {
    const old = this._slot.current();
    let answer: unknown;
    try {
      answer = await Promise.race([
        Promise.resolve().then(this.host),
        new Promise((_, fail) => setTimeout(fail, REFRESH_TIMEOUT_MS, "timed out")),
      ]);
    } catch (err) {
      answer = err;
    }
    const fresh = freshClaim(answer, this._slot.owner());
    // The person changed meanwhile (identify, logout): this answer is about someone else.
    if (!sameClaim(old, this._slot.current())) return false;
    if (typeof fresh === "string") {
      if (this._debug) warn("refreshIdentity: " + fresh, answer);
      return false;
    }
    this._slot.use(fresh);
    this.schedule();
    return true;
  }
}
