// The demo site's backend signing its signed-in user, exactly as a customer's backend would.
import { tokenClaimsText, type KeyKind } from "../contract/claim.ts";
import type { Claim } from "../contract/wire.ts";
import { createJwt, createToken, signPayload, userHash } from "../server/sign.ts";
import type { DemoUser, ProofKind } from "./users.ts";

/** Each proof signed with the key of its own kind: a key signs one kind of proof. */
export async function proofFor(user: DemoUser, kind: ProofKind, secrets: Record<KeyKind, string>, appId: string): Promise<Claim> {
  switch (kind) {
    case "hash":
      return { userId: user.id, userHash: userHash(secrets.hash, user.id), name: user.name, email: user.email };
    case "payload":
      return signPayload(secrets.payload, { id: user.id, name: user.name, email: user.email, plan: user.plan });
    case "token":
      return { token: createToken(secrets.token, { sub: user.id, app: appId, claims: { name: user.name, plan: user.plan } }) };
    case "jwt":
      return { token: await createJwt(secrets.token, { sub: user.id, app: appId, claims: { name: user.name, plan: user.plan } }) };
  }
}

/**
 * The "tamper with the proof" switch: what an attacker editing the page could send. A signed
 * payload or token edited to a better plan (free becomes pro, pro enterprise), keeping the
 * original signature; a user hash, which carries no plan, edited to claim someone else's id.
 */
export function tamper(claim: Claim): Claim {
  if ("userId" in claim) return { ...claim, userId: claim.userId + "_admin" };
  if ("payload" in claim) return { ...claim, payload: JSON.stringify(upgraded(JSON.parse(claim.payload))) };
  const parts = claim.token.split(".");
  parts[parts.length === 3 ? 1 : 0] = Buffer.from(JSON.stringify(upgraded(JSON.parse(tokenClaimsText(claim.token))))).toString("base64url");
  return { token: parts.join(".") };
}

const upgraded = (data: Record<string, unknown>) => ({ ...data, plan: data.plan === "free" ? "pro" : "enterprise" });
