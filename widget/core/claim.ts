// The widget's view of a claim: is it shaped like one of the three proofs, and whose is it?
// The widget never judges a proof; it only refuses what cannot be one, and passes the rest on as given.
import { claimKind, claimSubject } from "../../contract/claim.ts";
import type { Claim, ParleySettings } from "../../contract/wire.ts";

const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isId = (v: unknown) => isText(v) || (typeof v === "number" && Number.isFinite(v));

/** Why `value` is not a claim, or undefined when it is one. Which proof it is: contract/claim.ts decides. */
export function claimProblem(value: unknown): string | undefined {
  const kind = claimKind(value);
  if (!kind) return typeof value === "object" && value !== null && !Array.isArray(value) ? "expected { userId, userHash }, { payload, signature } or { token }" : "expected an object";
  const c = value as Record<string, unknown>;
  if (kind === "token" || kind === "jwt") return isText(c.token) ? undefined : "token must be a non-empty string";
  if (kind === "payload") return isText(c.payload) && isText(c.signature) ? undefined : "payload and signature must be non-empty strings";
  return isId(c.userId) ? undefined : "userId must be a non-empty string";
}

/** The flat snippet fields (`userId`, `userHash`, `userEmail`, `userName`) or `identity`. */
export function claimFromSettings(s: ParleySettings): Claim | null | undefined {
  if (s.identity !== undefined) return s.identity;
  if (s.userId === undefined) return undefined;
  const claim: Record<string, unknown> = { userId: s.userId };
  if (s.userHash !== undefined) claim.userHash = s.userHash;
  if (s.userEmail !== undefined) claim.email = s.userEmail;
  if (s.userName !== undefined) claim.name = s.userName;
  return claim as unknown as Claim;
}

/**
 * Who a claim says it is, read without verifying ("?" when it names nobody readable): only used to
 * keep one person's local state away from the next person's, never to trust anyone.
 */
export const claimedUser = (claim: Claim | null): string | null => (claim ? (claimSubject(claim) ?? "?") : null);

export const sameClaim = (a: Claim | null, b: Claim | null) => JSON.stringify(a) === JSON.stringify(b);
