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

/** The "tamper with the proof" switch: what an attacker editing the page could send. */
export function tamper(claim: Claim): Claim {
  if ("userId" in claim) return { ...claim, userId: claim.userId + "_admin" };
  if ("payload" in claim) return { ...claim, payload: claim.payload.replace(/"plan":"\w+"/, '"plan":"enterprise"') };
  // Claim to be someone else while keeping the original signature.
  const parts = claim.token.split(".");
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(tokenClaimsText(claim.token)), sub: "u_admin" })).toString("base64url");
  parts[parts.length === 3 ? 1 : 0] = forged;
  return { token: parts.join(".") };
}
