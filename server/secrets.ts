// Key secrets are encrypted at rest (AES-256-GCM) with a master key that never enters the database.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type MasterKey = Buffer;

/** `$PARLEY_MASTER_KEY` (32 bytes, hex or base64), else `<dataDir>/master.key`, created owner-only. */
export function loadMasterKey(env: string | undefined, dataDir: string): MasterKey {
  if (env) return parseMasterKey(env);
  const file = join(dataDir, "master.key");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  }
  return parseMasterKey(readFileSync(file, "utf8").trim());
}

function parseMasterKey(text: string): MasterKey {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new UserError("PARLEY_MASTER_KEY must be 32 bytes, as 64 hex characters or base64");
  return key;
}

export function encryptSecret(key: MasterKey, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return "v1." + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

export function decryptSecret(key: MasterKey, stored: string): string {
  const raw = Buffer.from(stored.slice(3), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** A new key secret: 32 random bytes, prefixed so it is recognisable in a leak scan. */
export const newSecret = () => "pk_" + randomBytes(32).toString("base64url");

/** Random, unguessable, URL-safe ids with a readable prefix. */
export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url")}`;

/** An error whose message is safe and meant for the person at the terminal or API client. */
export class UserError extends Error {}
