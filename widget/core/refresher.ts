// Keeps a token claim fresh with the host's `refreshIdentity`: asks a minute before it runs out
// and whenever asked (an expired or revoked verdict), once at a time, time-boxed. Never throws;
// an answer that is not a proof of the same person is ignored (and said, in debug).
import { tokenClaimsText } from "../../contract/claim.ts";
import type { Claim } from "../../contract/wire.ts";
import { claimedUser, claimProblem, sameClaim } from "./claim.ts";
import { warn } from "./log.ts";

// The rules, pure (the clock passed in). The widget never judges a proof; it reads a token's `exp`
// only to ask in time.

/** How long before a token's `exp` the widget asks for a fresh one. */
export const REFRESH_AHEAD_MS = 60_000;
/** How long the host's `refreshIdentity` may take before the widget goes on without it. */
export const REFRESH_TIMEOUT_MS = 10_000;

/**
 * Milliseconds from `nowMs` until `claim` should be refreshed (0: now, it runs out within a
 * minute or already has); undefined for a proof that does not expire (a hash, a payload without a
 * readable token `exp`).
 */
export function refreshInMs(claim: Claim | null, nowMs: number): number | undefined {
  let exp: unknown;
  try {
    exp = JSON.parse(tokenClaimsText((claim as { token?: unknown } | null)?.token)).exp;
  } catch {
    return undefined;
  }
  return typeof exp === "number" && exp > 0 ? Math.max(0, exp * 1000 - REFRESH_AHEAD_MS - nowMs) : undefined;
}

/** The host's answer as a claim of the same user, or why it cannot be used. */
export function freshClaim(answer: unknown, user: string | null): Claim | string {
  const problem = claimProblem(answer);
  if (problem) return problem;
  return claimedUser(answer as Claim) === user ? (answer as Claim) : "another user (use identify)";
}

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

  /**
   * The proof a queued message of the current person goes with: its own, unless its token runs out
   * (or has) — then the current proof of the same person, renewed first if it runs out too. A
   * message is never filed anonymously only because a token aged while the host could renew it.
   */
  async proofFor(claim: Claim | null): Promise<Claim | null> {
    if (refreshInMs(claim, Date.now()) !== 0) return claim;
    if (refreshInMs(this._slot.current(), Date.now()) === 0) await this.renew();
    const now = this._slot.current();
    return claimedUser(now) === claimedUser(claim) ? now : claim;
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
