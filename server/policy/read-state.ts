// Whose read state a request keeps: "What's new" marks an announcement read for someone.
import type { Verdict } from "../verify/verify.ts";

/**
 * A verified user's (`user:<id>`: the same on every device), else this browser's (`visitor:<id>`):
 * an unverified or rejected claim never reads or writes a user's state.
 */
export function readerKey(visitorId: string, verdict: Verdict): string {
  return verdict.status === "verified" ? `user:${verdict.userId}` : `visitor:${visitorId}`;
}
