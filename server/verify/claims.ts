// The claim rules shared by both token formats (HMAC token and HS256 JWT).
import type { RejectReason } from "../../widget/wire.ts";

export const MAX_TOKEN_LIFETIME_S = 24 * 60 * 60;
export const CLOCK_SKEW_S = 60;

export type ClaimCheck = { ok: true; userId: string; data: Record<string, unknown> } | { ok: false; reason: RejectReason };

/** Token claims after the signature held: expiry first, so a stale token reads as `expired`. */
export function checkTokenClaims(claims: unknown, appId: string, nowS: number): ClaimCheck {
  if (!isObject(claims)) return { ok: false, reason: "malformed" };
  const { sub, iat, exp, app, project_key } = claims;
  if (typeof exp === "number" && exp + CLOCK_SKEW_S <= nowS) return { ok: false, reason: "expired" };
  if (!isUserId(sub) || typeof iat !== "number" || typeof exp !== "number") return { ok: false, reason: "malformed" };
  if (iat - CLOCK_SKEW_S > nowS) return { ok: false, reason: "not_yet_valid" };
  if (exp - iat > MAX_TOKEN_LIFETIME_S) return { ok: false, reason: "lifetime_too_long" };
  if ((app ?? project_key) !== appId) return { ok: false, reason: "wrong_app" };
  return { ok: true, userId: String(sub), data: claims };
}

/** Ids are strings; a numeric id is accepted and read as its decimal text. */
export function isUserId(value: unknown): value is string | number {
  if (typeof value === "string") return value.length > 0 && value.length <= 255;
  return typeof value === "number" && Number.isSafeInteger(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The claims JSON text of either token form (HMAC token: first part; JWT: second). Not verified. */
export function tokenClaimsText(token: string): string {
  const parts = token.split(".");
  return Buffer.from(parts[parts.length === 3 ? 1 : 0] ?? "", "base64url").toString("utf8");
}

export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}
