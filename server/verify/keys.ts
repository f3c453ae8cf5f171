// The keys a verification may use. Plain data in, so the verifiers stay pure.
export interface VerifyKey {
  id: string;
  secret: string;
  revoked: boolean;
}

/**
 * Tries every key: active keys decide the verdict, and a match on a revoked key only turns a
 * failure into `revoked_key`. Every key is tried even after a match so the time taken does
 * not say which key (or whether an early one) matched.
 */
export function findSigningKey(
  keys: readonly VerifyKey[],
  matches: (secret: string) => boolean,
): { key?: VerifyKey; revoked?: VerifyKey; reason?: "bad_signature" | "revoked_key" | "no_keys" } {
  if (keys.length === 0) return { reason: "no_keys" };
  let active: VerifyKey | undefined;
  let revoked: VerifyKey | undefined;
  for (const key of keys) {
    if (!matches(key.secret)) continue;
    if (key.revoked) revoked ??= key;
    else active ??= key;
  }
  if (active) return { key: active };
  // The revoked key is named so the operator's log says which key a backend still uses.
  return revoked ? { reason: "revoked_key", revoked } : { reason: "bad_signature" };
}
