// The claim rules shared by both token formats (HMAC token and HS256 JWT).
import type { RejectReason } from "../../contract/wire.ts";
import { hasControlCharacter } from "../text.ts";

export const MAX_TOKEN_LIFETIME_S = 24 * 60 * 60;
export const CLOCK_SKEW_S = 60;

export type ClaimCheck = { ok: true; userId: string; data: Record<string, unknown> } | { ok: false; reason: RejectReason };

/**
 * Latest time a claim may name, in seconds: the year 5138. Beyond it a number is not seconds at
 * all (milliseconds or microseconds, a common backend slip) or not a date (1e400 parses as
 * Infinity): malformed, rather than a token that never expires or a date nothing can print.
 */
export const MAX_EPOCH_S = 1e11;
export const isEpochSeconds = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0 && v < MAX_EPOCH_S;

/** Token claims after the signature held: expiry first, so a stale token reads as `expired`. */
export function checkTokenClaims(claims: unknown, appId: string, nowS: number): ClaimCheck {
  if (!isObject(claims)) return { ok: false, reason: "malformed" };
  const { sub, iat, exp, app, project_key } = claims;
  if (!isEpochSeconds(exp)) return { ok: false, reason: "malformed" };
  if (exp + CLOCK_SKEW_S <= nowS) return { ok: false, reason: "expired" };
  if (!isUserId(sub) || !isEpochSeconds(iat)) return { ok: false, reason: "malformed" };
  if (iat - CLOCK_SKEW_S > nowS) return { ok: false, reason: "not_yet_valid" };
  if (exp - iat > MAX_TOKEN_LIFETIME_S) return { ok: false, reason: "lifetime_too_long" };
  if ((app ?? project_key) !== appId) return { ok: false, reason: "wrong_app" };
  return { ok: true, userId: String(sub), data: claims };
}

/**
 * A signed payload's optional limits, after its signature held: an `exp` is enforced (same skew
 * as tokens), an `app` or `project_key` must name this app. Undefined when it passes.
 */
export function checkPayloadClaims(data: Record<string, unknown>, appId: string, nowS: number): RejectReason | undefined {
  if ("exp" in data) {
    if (!isEpochSeconds(data.exp)) return "malformed";
    if (data.exp + CLOCK_SKEW_S <= nowS) return "expired";
  }
  const app = data.app ?? data.project_key;
  if (app !== undefined && app !== appId) return "wrong_app";
  return undefined;
}

/** Ids are strings; a numeric id is accepted and read as its decimal text. */
export function isUserId(value: unknown): value is string | number {
  // No control characters: an id is shown to operators and stored as text (PostgreSQL refuses U+0000).
  if (typeof value === "string") return value.length > 0 && value.length <= 255 && !hasControlCharacter(value);
  return typeof value === "number" && Number.isSafeInteger(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}
