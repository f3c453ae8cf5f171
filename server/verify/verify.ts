// Claim + keys + clock in, verdict out. No I/O: every rule of the contract is a unit test away.
import { compactVerify, decodeProtectedHeader } from "jose";
import type { Mode } from "../../contract/operator.ts";
import type { IdentityStatus, RejectReason } from "../../contract/wire.ts";
import { claimKind, keyKindFor } from "../../contract/claim.ts";
import { withoutControlCharacters } from "../text.ts";
import { checkPayloadClaims, checkTokenClaims, isObject, isUserId, parseJsonObject } from "./claims.ts";
import { equalBytes, hmacSha256, parseBase64url, parseHexMac } from "./hmac.ts";
import { findSigningKey, pickKey, type VerifyKey } from "./keys.ts";

export type { Mode } from "../../contract/operator.ts";
export type Proof = "hash" | "payload" | "token" | "jwt";

export interface VerifyContext {
  appId: string;
  mode: Mode;
  /** The app's keys, every kind and revoked ones included: each claim is tried only against its own kind. */
  keys: readonly VerifyKey[];
  /** Seconds since the epoch. */
  now: number;
}

export interface Verdict {
  status: IdentityStatus;
  reason?: RejectReason;
  proof?: Proof;
  /** Set when verified, or when unverified in mode `optional`. */
  userId?: string;
  /** Display hints (never verified for the hash proof, verified for the others). */
  name?: string;
  email?: string;
  /** Everything the signed payload or token vouches for. */
  data?: Record<string, unknown>;
  keyId?: string;
}

const reject = (reason: RejectReason, proof?: Proof, keyId?: string): Verdict => ({ status: "rejected", reason, proof, keyId });

export async function verifyClaim(claim: unknown, ctx: VerifyContext): Promise<Verdict> {
  if (claim === undefined || claim === null) return { status: "anonymous" };
  const kind = claimKind(claim);
  if (!kind || !isObject(claim)) return reject("malformed");
  // The heart of "each key signs one kind of proof": a key of another kind is never even tried.
  const own = { ...ctx, keys: ctx.keys.filter((k) => k.proof === keyKindFor(kind)) };
  if (kind === "hash") return verifyHash(claim, own);
  if (kind === "payload") return verifyPayload(claim.payload, claim.signature, own);
  return verifyToken(claim.token, own);
}

function verifyHash(claim: Record<string, unknown>, ctx: VerifyContext): Verdict {
  const { userId, userHash } = claim;
  if (!isUserId(userId)) return reject("malformed", "hash");
  const id = String(userId);
  const hints = { name: text(claim.name), email: text(claim.email) };
  if (userHash === undefined || userHash === null || userHash === "") {
    return ctx.mode === "optional" ? { status: "unverified", userId: id, ...hints } : reject("missing_proof", "hash");
  }
  const mac = parseHexMac(userHash);
  if (!mac) return reject("malformed", "hash");
  const found = findSigningKey(ctx.keys, (secret) => equalBytes(hmacSha256(secret, id), mac));
  if (!found.key) return reject(found.reason!, "hash", found.revoked?.id);
  return { status: "verified", proof: "hash", userId: id, ...hints, keyId: found.key.id };
}

function verifyPayload(payload: unknown, signature: unknown, ctx: VerifyContext): Verdict {
  const mac = parseHexMac(signature);
  if (typeof payload !== "string" || !mac) return reject("malformed", "payload");
  const data = parseJsonObject(payload);
  const id = data && (data.id ?? data.sub);
  if (!data || !isUserId(id)) return reject("malformed", "payload");
  const found = findSigningKey(ctx.keys, (secret) => equalBytes(hmacSha256(secret, payload), mac));
  if (!found.key) return reject(found.reason!, "payload", found.revoked?.id);
  // A payload that says when it expires or which app it is for is held to it, as a token is.
  const check = checkPayloadClaims(data, ctx.appId, ctx.now);
  if (check) return reject(check, "payload", found.key.id);
  return { status: "verified", proof: "payload", userId: String(id), ...traits(data), data, keyId: found.key.id };
}

async function verifyToken(token: unknown, ctx: VerifyContext): Promise<Verdict> {
  if (typeof token !== "string" || token.length > 8192) return reject("malformed", "token");
  const parts = token.split(".");
  if (parts.length === 3) return verifyJwt(token, ctx);
  if (parts.length !== 2) return reject("malformed", "token");
  const json = parseBase64url(parts[0]!)?.toString("utf8");
  const mac = parseBase64url(parts[1]!);
  // A MAC that is not 32 bytes cannot be HMAC-SHA256 (typically a hex MAC where base64url
  // belongs): malformed, as for the hex proofs, rather than a misleading `bad_signature`.
  if (json === undefined || !mac || mac.length !== 32) return reject("malformed", "token");
  // The MAC covers the payload JSON text itself, not its base64url form.
  const found = findSigningKey(ctx.keys, (secret) => equalBytes(hmacSha256(secret, json), mac));
  if (!found.key) return reject(found.reason!, "token", found.revoked?.id);
  return tokenVerdict(parseJsonObject(json), "token", found.key.id, ctx);
}

async function verifyJwt(token: string, ctx: VerifyContext): Promise<Verdict> {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return reject("malformed", "jwt");
  }
  if (alg !== "HS256") return reject("bad_algorithm", "jwt");
  // jose is asynchronous: every key is tried at once, then the same rule as the HMAC proofs picks.
  const payloads = await Promise.all(
    ctx.keys.map((key) =>
      hmacKey(key.secret)
        .then((k) => compactVerify(token, k, { algorithms: ["HS256"] }))
        .then(
          (r) => r.payload,
          () => undefined,
        ),
    ),
  );
  const found = pickKey(
    ctx.keys,
    payloads.map((p) => p !== undefined),
  );
  if (!found.key) return reject(found.reason!, "jwt", found.revoked?.id);
  const payload = payloads[ctx.keys.indexOf(found.key)]!;
  return tokenVerdict(parseJsonObject(new TextDecoder().decode(payload)), "jwt", found.key.id, ctx);
}

/**
 * WebCrypto HMAC keys, imported once per secret rather than on every request. A pure function of
 * the secret: revocation is still decided per request from storage.
 */
const importedKeys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = importedKeys.get(secret);
  if (!key) {
    if (importedKeys.size >= 1000) importedKeys.clear();
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    importedKeys.set(secret, key);
  }
  return key;
}

function tokenVerdict(claims: Record<string, unknown> | null, proof: Proof, keyId: string, ctx: VerifyContext): Verdict {
  const check = checkTokenClaims(claims, ctx.appId, ctx.now);
  if (!check.ok) return reject(check.reason, proof, keyId);
  return { status: "verified", proof, userId: check.userId, ...traits(check.data), data: check.data, keyId };
}

function traits(data: Record<string, unknown>) {
  return { name: text(data.name), email: text(data.email) };
}

/** A display hint as text: control characters dropped (a NUL cannot be stored, a newline breaks a list), at most 255 characters. */
function text(value: unknown): string | undefined {
  const clean = typeof value === "string" ? withoutControlCharacters(value).slice(0, 255) : "";
  return clean.length > 0 ? clean : undefined;
}
