// Key secrets at rest: AES-256-GCM under a master key that is never stored in the database.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, loadMasterKey, newId, newSecret, UserError } from "../../server/secrets.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-secrets-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("encryptSecret / decryptSecret", () => {
  const key = randomBytes(32);

  it.each(["pk_" + randomBytes(32).toString("base64url"), "a", "clé 🔑 non-ASCII", "x".repeat(1000)])("round-trips %s", (secret) => {
    expect(decryptSecret(key, encryptSecret(key, secret))).toBe(secret);
  });

  it("the ciphertext does not contain the secret, in any common encoding", () => {
    const secret = newSecret();
    const stored = encryptSecret(key, secret);
    expect(stored.startsWith("v1.")).toBe(true);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(3)); // without the pk_ prefix
    const raw = Buffer.from(stored.slice(3), "base64url");
    expect(raw.includes(Buffer.from(secret, "utf8"))).toBe(false);
    expect(raw.toString("latin1")).not.toContain(secret.slice(3, 20));
  });

  it("uses a fresh IV: the same secret encrypts differently each time", () => {
    const secret = newSecret();
    expect(encryptSecret(key, secret)).not.toBe(encryptSecret(key, secret));
  });

  it("a wrong master key fails to decrypt (authenticated, not garbage)", () => {
    const stored = encryptSecret(key, newSecret());
    expect(() => decryptSecret(randomBytes(32), stored)).toThrow();
  });

  it("a tampered ciphertext fails to decrypt", () => {
    const stored = encryptSecret(key, "pk_tamper-me");
    const raw = Buffer.from(stored.slice(3), "base64url");
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 0x01;
    expect(() => decryptSecret(key, "v1." + raw.toString("base64url"))).toThrow();
  });
});

describe("loadMasterKey", () => {
  it("with no env key, creates <dataDir>/master.key owner-only (0600) and returns its 32 bytes", () => {
    const dataDir = join(tempDir(), "data", "nested"); // not there yet: created too
    const key = loadMasterKey(undefined, dataDir);
    const file = join(dataDir, "master.key");
    expect(existsSync(file)).toBe(true);
    expect(key.length).toBe(32);
    if (process.platform !== "win32") {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o077).toBe(0); // the folder is not group/world readable either
    }
    expect(readFileSync(file, "utf8").trim()).toBe(key.toString("hex"));
  });

  it("reads the same key back on the next start, and does not overwrite the file", () => {
    const dataDir = tempDir();
    const first = loadMasterKey(undefined, dataDir);
    const second = loadMasterKey(undefined, dataDir);
    expect(second.equals(first)).toBe(true);
    // A secret encrypted under the first load decrypts under the second.
    expect(decryptSecret(second, encryptSecret(first, "pk_survives-restart"))).toBe("pk_survives-restart");
  });

  it("an env key wins and no file is written", () => {
    const dataDir = tempDir();
    const hex = randomBytes(32).toString("hex");
    expect(loadMasterKey(hex, dataDir).toString("hex")).toBe(hex);
    expect(existsSync(join(dataDir, "master.key"))).toBe(false);
  });

  it("accepts 32 bytes as base64 and as upper-case hex", () => {
    const raw = randomBytes(32);
    expect(loadMasterKey(raw.toString("base64"), tempDir()).equals(raw)).toBe(true);
    expect(loadMasterKey(raw.toString("hex").toUpperCase(), tempDir()).equals(raw)).toBe(true);
  });

  it.each([
    ["too short hex", randomBytes(16).toString("hex")],
    ["too long hex", randomBytes(33).toString("hex")],
    ["a passphrase", "correct horse battery staple"],
    ["base64 of 31 bytes", randomBytes(31).toString("base64")],
    ["63 hex characters", randomBytes(32).toString("hex").slice(1)],
  ])("rejects a malformed env key (%s) with a UserError naming PARLEY_MASTER_KEY", (_label, env) => {
    const dataDir = tempDir();
    expect(() => loadMasterKey(env, dataDir)).toThrow(UserError);
    expect(() => loadMasterKey(env, dataDir)).toThrow(/PARLEY_MASTER_KEY/);
    expect(existsSync(join(dataDir, "master.key"))).toBe(false);
  });
});

describe("newSecret / newId", () => {
  it("secrets are prefixed, URL-safe and unique; ids carry their prefix", () => {
    const a = newSecret();
    expect(a).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(a);
    expect(newId("app")).toMatch(/^app_[A-Za-z0-9_-]{16}$/);
  });
});
