// Test keys. A key signs one kind of proof; tests about something else (signing helpers, the
// doctor's wording, vectors) still want "this secret, whatever the proof": one key of each kind
// with the same id and secret. Never like this in production — key-kinds tests say why.
import { KEY_KINDS } from "../../contract/claim.ts";
import type { VerifyKey } from "../../server/verify/keys.ts";

export const everyKind = (key: Omit<VerifyKey, "proof">): VerifyKey[] => KEY_KINDS.map((proof) => ({ ...key, proof }));
