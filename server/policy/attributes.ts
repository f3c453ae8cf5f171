// What a verified claim vouches for about its user: the contact's verified attributes, and apart
// from them the hints a user hash carries unproven. Pure: a verdict in, what to keep out.
import type { Attributes } from "../../contract/wire.ts";
import type { Verdict } from "../verify/verify.ts";

/** A token's registered claims: how the token works, not who the user is. */
export const REGISTERED_CLAIMS: readonly string[] = ["sub", "iat", "exp", "nbf", "app", "project_key", "aud", "iss", "jti"];

/** Nesting kept in an attribute's value; deeper than this is dropped (a backend's slip, not a plan). */
const MAX_DEPTH = 16;

/**
 * The verified attributes of a claim: every field of a signed payload but the one naming the user
 * (`id`, or `sub` where the payload names its user with that), every claim of a token but the
 * registered ones. A user hash proves the id alone: `{}`. Undefined for anything not verified —
 * an unverified, rejected or absent claim vouches for nothing, so it never writes or matches one.
 */
export function verifiedAttributes(verdict: Verdict): Attributes | undefined {
  if (verdict.status !== "verified") return undefined;
  const data = verdict.data;
  if (verdict.proof === "hash" || !data) return {};
  const idField = "id" in data ? "id" : "sub";
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(data)) {
    if (verdict.proof === "payload" ? name === idField : REGISTERED_CLAIMS.includes(name)) continue;
    const kept = storable(value, 0);
    if (kept !== undefined) define(attributes, storableText(name), kept);
  }
  return attributes;
}

/** Display hints, never proof of anything: a verified user hash's name and email. Else none. */
export function contactHints(verdict: Verdict): { name?: string; email?: string } | undefined {
  if (verdict.status !== "verified" || verdict.proof !== "hash") return undefined;
  return { ...(verdict.name ? { name: verdict.name } : {}), ...(verdict.email ? { email: verdict.email } : {}) };
}

/**
 * A JSON value as PostgreSQL's jsonb can hold it: no U+0000 and no lone surrogate in any string
 * (both are refused, and would fail the request), nesting bounded. Otherwise the value as signed.
 */
function storable(value: unknown, depth: number): unknown {
  if (typeof value === "string") return storableText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((v) => storable(v, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = storable(v, depth + 1);
    if (kept !== undefined) define(out, storableText(k), kept);
  }
  return out;
}

const storableText = (s: string) => s.replace(/\u0000/g, "").replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

/** An own property even for a name such as `__proto__` (JSON.parse makes one; assignment would not). */
function define(target: Record<string, unknown>, name: string, value: unknown) {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
