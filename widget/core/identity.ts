// When to ask the host for a fresh proof, and what to make of its answer: pure rules, the clock
// passed in. The widget never judges a proof; it reads a token's `exp` only to ask in time.
import { tokenClaimsText } from "../../contract/claim.ts";
import type { Claim, IdentityVerdict } from "../../contract/wire.ts";
import { claimedUser, claimProblem } from "./claim.ts";

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

/** A verdict a fresh proof of the same user cures. */
export const curable = (v: IdentityVerdict) => v.reason === "expired" || v.reason === "revoked_key";

/** The host's answer as a claim of the same user, or why it cannot be used. */
export function freshClaim(answer: unknown, user: string | null): Claim | string {
  const problem = claimProblem(answer);
  if (problem) return problem;
  return claimedUser(answer as Claim) === user ? (answer as Claim) : "another user (use identify)";
}

/**
 * What a rejection does to the claim in use. `renew`: an expired or revoked proof the host can
 * renew — ask, and read again as the user (the server folds what was just filed anonymously into
 * their thread). `drop`: a message was stored under the rejection, so later messages go
 * anonymously and the inbox shows that one as rejected. `keep`: a read alone rejected it; the next
 * message still carries what the host gave (it may be fixed by then).
 */
export function afterRejection(verdict: IdentityVerdict, canRenew: boolean, fromMessage: boolean): "renew" | "drop" | "keep" {
  if (canRenew && curable(verdict)) return "renew";
  return fromMessage ? "drop" : "keep";
}
