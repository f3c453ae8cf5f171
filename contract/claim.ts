// What a claim is, and whose id it names — read, never judged. The one place that decides the
// kind of a proof (the widget, the verifier and the doctor all ask here), and the one decoder of a
// token's claims. Isomorphic: platform APIs only (atob, TextDecoder), so the browser bundles and
// the server share it. Nothing here proves anything: only `server/verify/` does.

/** The four shapes a claim can take on the wire. An HMAC token and an HS256 JWT are both `{ token }`. */
export type ClaimKind = "hash" | "payload" | "token" | "jwt";

/**
 * What a key may sign, chosen when the key is created. A key verifies only its own kind: the MAC
 * of one format is otherwise a valid MAC of another (a token's JSON re-sent as a signed payload; a
 * hash of a crafted id that reads as a JWT's signing input). The HMAC token and the JWT share a
 * kind because their MAC inputs cannot be mistaken for each other (JSON text vs `b64.b64`).
 */
export const KEY_KINDS = ["hash", "payload", "token"] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Which proof `claim` is shaped as, or undefined when it is none (the same order the verifier reads). */
export function claimKind(claim: unknown): ClaimKind | undefined {
  if (!isObject(claim)) return undefined;
  if ("token" in claim) return typeof claim.token === "string" && claim.token.split(".").length === 3 ? "jwt" : "token";
  if ("payload" in claim || "signature" in claim) return "payload";
  if ("userId" in claim) return "hash";
  return undefined;
}

/** The kind of key that may verify a claim of this kind. */
export const keyKindFor = (kind: ClaimKind): KeyKind => (kind === "jwt" ? "token" : kind);

/**
 * The user id a claim names, unverified: a hash's `userId`, a payload's `id` (else `sub`), a
 * token's `sub`. Undefined when it names none or cannot be read. For keeping one person's local
 * state from the next and for the doctor's wording — never for trusting anyone.
 */
export function claimSubject(claim: unknown): string | undefined {
  const kind = claimKind(claim);
  if (!kind) return undefined;
  const c = claim as Record<string, unknown>;
  const id = kind === "hash" ? c.userId : kind === "payload" ? readJson(c.payload, (d) => d.id ?? d.sub) : readJson(tokenClaimsText(c.token), (d) => d.sub);
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id)) ? String(id) : undefined;
}

/** The claims JSON text of either token form (HMAC token: first part; JWT: second), unverified; "" when unreadable. */
export function tokenClaimsText(token: unknown): string {
  if (typeof token !== "string") return "";
  const parts = token.split(".");
  try {
    return decodeBase64url(parts[parts.length === 3 ? 1 : 0] ?? "");
  } catch {
    return "";
  }
}

function decodeBase64url(text: string): string {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(b64 + "===".slice((b64.length + 3) % 4)), (ch) => ch.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function readJson(text: unknown, pick: (data: Record<string, unknown>) => unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    const data: unknown = JSON.parse(text);
    return isObject(data) ? pick(data) : undefined;
  } catch {
    return undefined;
  }
}
