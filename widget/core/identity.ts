// What a rejected claim does next: a pure rule. When to renew a token, and what to make of the
// host's answer, are refresher.ts's (a chunk fetched only when the host gives a refreshIdentity).
import type { IdentityVerdict } from "../../contract/wire.ts";

/** A verdict a fresh proof of the same user cures. */
export const curable = (v: IdentityVerdict) => v.reason === "expired" || v.reason === "revoked_key";

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
