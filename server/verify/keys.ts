// The keys a verification may use. Plain data in, so the verifiers stay pure.
import type { KeyKind } from "../../contract/claim.ts";

export interface VerifyKey {
  id: string;
  secret: string;
  revoked: boolean;
  /** The one kind of proof this key signs (contract/claim.ts): it verifies nothing else. */
  proof: KeyKind;
}

export type KeyPick = { key?: VerifyKey; revoked?: VerifyKey; reason?: "bad_signature" | "revoked_key" | "no_keys" };

/**
 * The one rule for every proof, given which keys' MACs matched (every key is tried, so the time
 * taken does not say which key matched): an active key decides; a match on a revoked key only
 * turns the failure into `revoked_key`, naming the key so the operator's log says which one a
 * backend still uses.
 */
export function pickKey(keys: readonly VerifyKey[], matched: readonly boolean[]): KeyPick {
  if (keys.length === 0) return { reason: "no_keys" };
  const active = keys.find((k, i) => matched[i] && !k.revoked);
  if (active) return { key: active };
  const revoked = keys.find((k, i) => matched[i]);
  return revoked ? { reason: "revoked_key", revoked } : { reason: "bad_signature" };
}

/** pickKey for a synchronous matcher (the HMAC proofs). */
export const findSigningKey = (keys: readonly VerifyKey[], matches: (secret: string) => boolean): KeyPick =>
  pickKey(
    keys,
    keys.map((k) => matches(k.secret)),
  );
