// What a site's backend writes to sign its signed-in user with a new key, filled in with the
// key's secret and the app's id (Node; the README has Python, Ruby, PHP and Go). The same
// algorithms as README's "Compute the proof on your backend".
import type { KeyKind } from "../contract/claim.ts";

export function signingSnippet(proof: KeyKind, secret: string, appId: string): string {
  const head = `// On your server only, for the signed-in user (Node). Keep the secret out of your code:
// an environment variable such as PARLEY_SECRET is better than this literal.
import { createHmac } from "node:crypto";
const PARLEY_SECRET = ${JSON.stringify(secret)};
`;
  if (proof === "hash")
    return `${head}
const userHash = createHmac("sha256", PARLEY_SECRET).update(String(user.id), "utf8").digest("hex");

// Render into the page, before the loader:
// window.ParleySettings = { appId: ${JSON.stringify(appId)}, userId: String(user.id), userHash, userName: user.name };
`;
  if (proof === "payload")
    return `${head}
// Every field is verified (plan, company… become the contact's verified attributes).
const payload = JSON.stringify({ id: String(user.id), name: user.name, plan: user.plan });
const signature = createHmac("sha256", PARLEY_SECRET).update(payload, "utf8").digest("hex");

// Render into the page, before the loader:
// window.ParleySettings = { appId: ${JSON.stringify(appId)}, identity: { payload, signature } };
`;
  return `${head}
// An HMAC token: sub, app, iat and exp (at most 24 h after iat); other claims are verified data.
const now = Math.floor(Date.now() / 1000);
const json = JSON.stringify({ sub: String(user.id), app: ${JSON.stringify(appId)}, iat: now, exp: now + 3600, plan: user.plan });
const token = Buffer.from(json).toString("base64url") + "." + createHmac("sha256", PARLEY_SECRET).update(json).digest("base64url");

// Render into the page, before the loader (and give refreshIdentity to renew it before exp):
// window.ParleySettings = { appId: ${JSON.stringify(appId)}, identity: { token } };
`;
}

export const PROOF_LABEL: Record<KeyKind, string> = {
  hash: "User hash — proves the user id only",
  payload: "Signed payload — proves every field you sign",
  token: "Token (HMAC or HS256 JWT) — expires; proves its claims",
};
