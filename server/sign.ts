// What a site owner's backend computes: the three proofs of the contract. Server-side only.
import { SignJWT } from "jose";
import { MAX_TOKEN_LIFETIME_S } from "./verify/claims.ts";
import { hmacSha256 } from "./verify/hmac.ts";

/** Proof 1: hex HMAC-SHA256 of the user id's UTF-8 text. `secret`: a key of kind `hash` (`parley key create --proof hash`). */
export function userHash(secret: string, userId: string): string {
  return hmacSha256(secret, String(userId)).toString("hex");
}

/**
 * Proof 2: sign the exact JSON text you will send; the widget must pass this same text on.
 * `secret`: a key of kind `payload`. An `exp` in it is enforced, an `app` must name the app.
 */
export function signPayload(secret: string, payload: Record<string, unknown> | string): { payload: string; signature: string } {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  return { payload: text, signature: hmacSha256(secret, text).toString("hex") };
}

export interface TokenOptions {
  sub: string;
  app: string;
  /** Lifetime in seconds: 1 h by default, at most 24 h. */
  ttl?: number;
  /** Seconds since the epoch; now by default. */
  iat?: number;
  claims?: Record<string, unknown>;
}

function tokenClaims(opts: TokenOptions) {
  const ttl = opts.ttl ?? 3600;
  if (!(ttl > 0 && ttl <= MAX_TOKEN_LIFETIME_S)) throw new RangeError(`ttl must be between 1 and ${MAX_TOKEN_LIFETIME_S} seconds`);
  const iat = opts.iat ?? Math.floor(Date.now() / 1000);
  // The registered claims first, then the rest, which may not override them.
  const extra = Object.fromEntries(Object.entries(opts.claims ?? {}).filter(([k]) => !["sub", "app", "iat", "exp"].includes(k)));
  return { sub: opts.sub, app: opts.app, iat, exp: iat + ttl, ...extra };
}

/** Proof 3, HMAC form: `base64url(json) + "." + base64url(HMAC-SHA256(secret, json))`. `secret`: a key of kind `token`. */
export function createToken(secret: string, opts: TokenOptions): string {
  const json = JSON.stringify(tokenClaims(opts));
  return `${Buffer.from(json, "utf8").toString("base64url")}.${hmacSha256(secret, json).toString("base64url")}`;
}

/** Proof 3, JWT form: HS256 only. `secret`: a key of kind `token` (the same kind as the HMAC token). */
export function createJwt(secret: string, opts: TokenOptions): Promise<string> {
  return new SignJWT(tokenClaims(opts)).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode(secret));
}
