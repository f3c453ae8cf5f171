// What the visitor's browser may learn of a verdict, and when the developer's hint goes with it.
import type { IdentityVerdict } from "../../contract/wire.ts";
import { diagnose } from "../verify/diagnose.ts";
import type { Verdict, VerifyContext } from "../verify/verify.ts";

/** Never the verified payload, never a rejected claim's id; the hint only when the app's owner turned hints on. */
export function publicVerdict(v: Verdict, hint?: string): IdentityVerdict {
  return {
    ...(hint ? { hint } : {}),
    status: v.status,
    ...(v.userId !== undefined && v.status !== "rejected" ? { userId: v.userId } : {}),
    ...(v.name && v.status === "verified" ? { name: v.name } : {}),
    ...(v.reason ? { reason: v.reason } : {}),
  };
}

/**
 * The doctor's one-sentence cause of a rejection, for the site's developer. It takes this app's
 * verification context and nothing else: unlike `parley doctor`, it has no way to be handed other
 * apps' keys, so it can never say a word about them. Undefined unless the app has hints on — a hint
 * lets a caller test guesses of an id and tell a revoked key from an unknown one.
 */
export async function rejectionHint(claim: unknown, verdict: Verdict, ctx: VerifyContext, hintsOn: boolean): Promise<string | undefined> {
  if (!hintsOn || verdict.status !== "rejected") return undefined;
  try {
    return (await diagnose(claim, ctx, [], verdict)).cause;
  } catch {
    // A hint is a courtesy: whatever a crafted claim does to the doctor, the request goes on.
    return undefined;
  }
}
