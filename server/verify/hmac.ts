// HMAC-SHA256 and constant-time comparison: the only primitives the proofs need.
import { createHmac, timingSafeEqual } from "node:crypto";

export function hmacSha256(secret: string, data: string): Buffer {
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(Buffer.from(data, "utf8")).digest();
}

/** Constant-time for equal lengths; a length mismatch reveals only the length, which is public. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const HEX_MAC = /^[0-9a-f]{64}$/;
/** Lower-case hex of exactly 32 bytes, or null: anything else is a malformed proof. */
export function parseHexMac(hex: unknown): Buffer | null {
  return typeof hex === "string" && HEX_MAC.test(hex) ? Buffer.from(hex, "hex") : null;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
export function parseBase64url(text: string): Buffer | null {
  return B64URL.test(text) ? Buffer.from(text, "base64url") : null;
}
