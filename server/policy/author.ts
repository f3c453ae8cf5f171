// What a stored visitor message and its contact may say about who wrote it.
import type { Verdict } from "../verify/verify.ts";

/** The user a message is filed under: a verified claim's, or (mode `optional`) an unverified one's; a rejected claim names nobody. */
export function authorUserId(verdict: Verdict): string | null {
  return verdict.status === "verified" || verdict.status === "unverified" ? verdict.userId! : null;
}

/**
 * Whether the contact's name and email were vouched for: only by a verified signed payload or
 * token that carries them. A user hash proves the id alone; its name and email are the page's hints.
 */
export function detailsVerified(verdict: Verdict): boolean {
  return verdict.status === "verified" && verdict.proof !== "hash" && Boolean(verdict.name || verdict.email);
}
