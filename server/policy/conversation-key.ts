// Who may read whose history: the conversation a verdict entitles a request to.
import type { Verdict } from "../verify/verify.ts";

/**
 * A verified user's conversation is theirs on every device (`user:<id>`); everyone else — anonymous,
 * unverified, rejected — has only their own browser's (`visitor:<id>`), so no unproven claim ever
 * reaches a user's history.
 */
export function conversationKey(visitorId: string, verdict: Verdict): string {
  return verdict.status === "verified" ? `user:${verdict.userId}` : `visitor:${visitorId}`;
}
