// Why a proof failed, in plain words: the integration doctor's reasoning. Pure like verify.ts —
// claim, keys (this app's and, when the operator runs it, other apps'), clock in; a diagnosis out.
// It recomputes what a backend most likely did instead, and names the first match.
import { decodeProtectedHeader } from "jose";
import { claimKind, keyKindFor, tokenClaimsText, type KeyKind } from "../../contract/claim.ts";
import type { RejectReason } from "../../contract/wire.ts";
import { CLOCK_SKEW_S, MAX_TOKEN_LIFETIME_S, isEpochSeconds, isObject, isUserId, parseJsonObject } from "./claims.ts";
import { equalBytes, hmacSha256 } from "./hmac.ts";
import type { VerifyKey } from "./keys.ts";
import { verifyClaim, type Verdict, type VerifyContext } from "./verify.ts";

export interface Diagnosis {
  ok: boolean;
  verdict: Verdict;
  /** One sentence: what is wrong, or that all is well. */
  cause: string;
  /** What to change in the backend. */
  advice?: string;
}

export interface OtherApp {
  appId: string;
  keys: readonly VerifyKey[];
}

/** A claim's time for a sentence; never throws, whatever number a backend sent. */
const when = (s: number) => (isEpochSeconds(s) ? new Date(s * 1000).toISOString() : String(s));

/** `verdict`: the caller's own verdict on this claim and context, when it has one (no second verification). */
export async function diagnose(claim: unknown, ctx: VerifyContext, otherApps: readonly OtherApp[] = [], known?: Verdict): Promise<Diagnosis> {
  const verdict = known ?? (await verifyClaim(claim, ctx));
  if (verdict.status === "verified") return { ok: true, verdict, cause: `The proof is good: verified as user "${verdict.userId}" with key ${verdict.keyId}.` };
  if (verdict.status === "anonymous") return { ok: false, verdict, cause: "No identity was given, so the visitor is anonymous." };
  if (verdict.status === "unverified") return { ok: false, verdict, cause: `A bare userId with no proof: accepted as unverified only because the app's mode is "optional".`, advice: "Send userHash with it." };
  const found = isObject(claim) ? await explain(claim, verdict.reason!, ctx, otherApps) : undefined;
  return { ok: false, verdict, ...(found ?? { cause: `Rejected: ${verdict.reason}.` }) };
}

type Explanation = { cause: string; advice?: string };

async function explain(claim: Record<string, unknown>, reason: RejectReason, ctx: VerifyContext, others: readonly OtherApp[]): Promise<Explanation | undefined> {
  const kind = claimKind(claim);
  if (!kind) return undefined;
  const needed = keyKindFor(kind);
  if (reason === "no_keys" || reason === "bad_signature") {
    const other = await otherKindSigned(claim, needed, ctx);
    if (other) return { cause: `This MAC was made with your ${other.proof} key (${other.id}); keys sign one kind of proof, and this is a ${PROOF_NAMES[needed]}.`, advice: `Sign every ${PROOF_NAMES[needed]} with a ${needed} key: \`parley key create --app ${ctx.appId} --proof ${needed}\`.` };
  }
  if (reason === "no_keys") return { cause: `This app has no ${needed} key, so no ${PROOF_NAMES[needed]} can verify.`, advice: `Create one with \`parley key create --app ${ctx.appId} --proof ${needed}\`.` };
  if (reason === "revoked_key") return { cause: "The proof was made with a key that has been revoked.", advice: "Deploy your backend with the app's current key secret." };
  if (reason === "missing_proof") return { cause: 'A bare userId with no proof, and the app requires one (mode "required").', advice: "Send userHash = hex(HMAC-SHA256(secret, userId))." };
  // The same kind the verifier judged it as (contract/claim.ts), whatever else the object holds.
  if (kind === "hash") return explainHash(claim, ctx, others);
  if (kind === "payload") return explainPayload(claim, reason, ctx, others);
  return typeof claim.token === "string" ? explainToken(claim.token, reason, ctx, others) : undefined;
}

/** How deeply `value` nests, counted without recursion (a crafted claim may nest thousands deep). */
function depth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    deepest = Math.max(deepest, d);
    if (d > 64) break;
    if (typeof v === "object" && v !== null) for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

const PROOF_NAMES: Record<KeyKind, string> = { hash: "user hash", payload: "signed payload", token: "token" };

/**
 * This app's key of another kind whose MAC the claim carries, if any: the claim is verified as if
 * those keys were of its own kind (the doctor may try what verification never does).
 */
async function otherKindSigned(claim: Record<string, unknown>, needed: KeyKind, ctx: VerifyContext) {
  const others = ctx.keys.filter((k) => k.proof !== needed);
  if (!others.length) return undefined;
  const verdict = await verifyClaim(claim, { ...ctx, mode: "required", keys: others.map((k) => ({ ...k, proof: needed })) });
  return others.find((k) => k.id === verdict.keyId);
}

/** Which secret, if any, produces `mac` for one of `texts`: this app's active or revoked key of the claim's kind, or another app's. */
function whoSigned(texts: string[], matches: (secret: string, text: string) => boolean, kind: KeyKind, ctx: VerifyContext, others: readonly OtherApp[]) {
  for (const text of texts) {
    for (const key of ctx.keys) if (key.proof === kind && matches(key.secret, text)) return { text, key, app: ctx.appId };
    for (const other of others) for (const key of other.keys) if (matches(key.secret, text)) return { text, key, app: other.appId };
  }
  return undefined;
}

function otherAppCause(app: string, ctx: VerifyContext): Explanation | undefined {
  return app === ctx.appId ? undefined : { cause: `The proof was made with a key of another app (${app}), not ${ctx.appId}.`, advice: "Use this app's key secret, or the other app's id in the snippet." };
}

/**
 * The bytes `given` may stand for, however the backend encoded them (hex in either case,
 * base64 or base64url). Each is then compared with equalBytes: the doctor's guesses run on
 * rejected requests too, so they stay constant-time like the verification itself.
 */
function macMatches(given: string) {
  const forms: Buffer[] = [];
  if (/^[0-9a-fA-F]{64}$/.test(given)) forms.push(Buffer.from(given, "hex"));
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(given)) forms.push(Buffer.from(given.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
  return (secret: string, text: string) => {
    const mac = hmacSha256(secret, text);
    return forms.some((form) => equalBytes(form, mac));
  };
}

/** Given that `given` decodes to the right MAC, what was wrong with how it was written. */
function encodingAdvice(given: string): Explanation | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(given)) return /[A-F]/.test(given) ? { cause: "The signature is upper-case hex.", advice: "Send it in lower-case hex." } : undefined;
  return { cause: "The signature is base64, where lower-case hex is expected.", advice: "Encode the HMAC as hex (digest('hex'), hexdigest(), unpack1('H*'), hash_hmac(…), hex.EncodeToString)." };
}

function explainHash(claim: Record<string, unknown>, ctx: VerifyContext, others: readonly OtherApp[]): Explanation | undefined {
  // Only an id the verifier could read is worth guessing about (and String() of a deep array throws).
  if (!isUserId(claim.userId)) return { cause: "userId must be a non-empty string (or a whole number) of at most 255 characters, with no control characters." };
  const id = String(claim.userId);
  const given = typeof claim.userHash === "string" ? claim.userHash : "";
  const candidates: [string, string][] = [
    [id, ""],
    [id.trim(), "the id without its surrounding spaces, while the page sends it with them"],
    [id + " ", "the id with a trailing space"],
    [id + "\n", "the id with a trailing newline"],
    [JSON.stringify(id), "the id as a JSON string, with its quotes"],
    [String(Number(id)), "the id as a number (which changed its text)"],
    [id.toLowerCase(), "the id in lower case"],
  ];
  if (typeof claim.email === "string") candidates.push([claim.email, "the user's email instead of their id"]);
  if (typeof claim.name === "string") candidates.push([claim.name, "the user's name instead of their id"]);
  const hit = whoSigned(
    [...new Set(candidates.map(([t]) => t))],
    macMatches(given),
    "hash",
    ctx,
    others,
  );
  if (!hit) return { cause: "The hash matches none of this app's keys, nor any likely variation of the id.", advice: "Check the secret your backend uses: it must be a current key of " + ctx.appId + " (parley key list)." };
  const elsewhere = otherAppCause(hit.app, ctx);
  if (elsewhere) return elsewhere;
  if (hit.key.revoked) return { cause: "The hash was made with a revoked key.", advice: "Deploy your backend with the app's current key secret." };
  if (hit.text !== id) {
    const what = candidates.find(([t]) => t === hit.text)![1];
    return { cause: `Your backend hashed ${what}, not the userId the page sends (${JSON.stringify(id)}).`, advice: "Hash exactly the userId string the widget sends." };
  }
  return encodingAdvice(given);
}

function explainPayload(claim: Record<string, unknown>, reason: RejectReason, ctx: VerifyContext, others: readonly OtherApp[]): Explanation | undefined {
  const payload = claim.payload;
  const given = typeof claim.signature === "string" ? claim.signature : "";
  if (typeof payload !== "string") return { cause: "payload must be the JSON text itself (a string), not an object.", advice: "Send the exact text you signed." };
  const data = parseJsonObject(payload);
  if (!data) return { cause: "payload is not a JSON object.", advice: "Sign and send JSON text such as {\"id\":\"u_42\"}." };
  if (data.id === undefined && data.sub === undefined) return { cause: 'The payload has neither "id" nor "sub".', advice: 'Add "id" (the user\'s id) to the signed JSON.' };
  const { exp, app, project_key } = data;
  if (reason === "malformed" && !isUserId(data.id ?? data.sub)) return { cause: `The payload's ${data.id !== undefined ? "id" : "sub"} must be a non-empty string (or a whole number) of at most 255 characters, with no control characters.`, advice: "Sign the user's id as your system stores it." };
  if (reason === "expired") return { cause: `The signed payload expired at ${when(exp as number)} (checked at ${when(ctx.now)}, with ${CLOCK_SKEW_S} s of clock skew allowed).`, advice: "Sign a fresh payload for each page load, or leave out exp." };
  if (reason === "wrong_app") return { cause: `The signed payload is for app ${JSON.stringify(app ?? project_key)}, not ${ctx.appId}.`, advice: `Set "app" to ${ctx.appId}, or leave it out.` };
  if (reason === "malformed" && "exp" in data && !isEpochSeconds(exp)) return { cause: `The payload's exp (${String(exp)}) is not a time in seconds.`, advice: "Send exp in whole seconds since 1970, or leave it out." };
  // Re-serialising is the doctor's guess, not a rule: only for a payload of a plausible size and
  // depth, so a crafted one (8 KB of nested arrays) costs no stack and no quadratic pretty-print.
  const variants = payload.length <= 4096 && depth(data) <= 16 ? [payload, JSON.stringify(data), JSON.stringify(data, null, 2), JSON.stringify(data, null, 1), JSON.stringify(Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))] : [payload];
  const hit = whoSigned([...new Set(variants)], macMatches(given), "payload", ctx, others);
  if (!hit) return { cause: "The signature matches none of this app's keys, for this text or a re-serialised form of it.", advice: "Check the secret, and that you sign the exact text you send." };
  const elsewhere = otherAppCause(hit.app, ctx);
  if (elsewhere) return elsewhere;
  if (hit.key.revoked) return { cause: "The payload was signed with a revoked key.", advice: "Deploy your backend with the app's current key secret." };
  if (hit.text !== payload) return { cause: "The signature is over a different serialisation of the same JSON (spacing or key order changed between signing and sending).", advice: "Serialise once; sign and send that same text." };
  return encodingAdvice(given);
}

async function explainToken(token: string, reason: RejectReason, ctx: VerifyContext, others: readonly OtherApp[]): Promise<Explanation | undefined> {
  const parts = token.split(".");
  if (parts.length === 3) {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return { cause: "The JWT's header is not readable JSON.", advice: "Create the JWT with a library, signed HS256." };
    }
    if (alg !== "HS256") return { cause: `The JWT is signed with "${String(alg)}"; Parley accepts HS256 only (never "none").`, advice: "Sign it HS256 with the app's key secret." };
  }
  const claims = parseJsonObject(tokenClaimsText(token));
  if (!claims) return { cause: "The token's payload is not a JSON object.", advice: "Encode the claims JSON with base64url." };
  const { exp, iat, app, project_key } = claims as Record<string, unknown>;
  if (reason === "expired" && typeof exp === "number") return { cause: `The token expired at ${when(exp)} (checked at ${when(ctx.now)}, with ${CLOCK_SKEW_S} s of clock skew allowed).`, advice: "Mint a fresh token for each page load or before it expires; check your server's clock." };
  if (reason === "not_yet_valid" && typeof iat === "number") return { cause: `The token is issued in the future (${when(iat)}); your server's clock is ahead.`, advice: "Fix the clock (NTP) of the backend that mints tokens." };
  if (reason === "lifetime_too_long") return { cause: `exp - iat is over ${MAX_TOKEN_LIFETIME_S / 3600} hours.`, advice: "Mint tokens that live at most 24 h (1 h is the default)." };
  if (reason === "wrong_app") return { cause: `The token is for app ${JSON.stringify(app ?? project_key ?? null)}, not ${ctx.appId}.`, advice: `Set "app" to ${ctx.appId}.` };
  if (reason === "malformed" && ((typeof iat === "number" && !isEpochSeconds(iat)) || (typeof exp === "number" && !isEpochSeconds(exp)))) {
    return { cause: `iat (${String(iat)}) or exp (${String(exp)}) is not a time in seconds: milliseconds or microseconds?`, advice: "Send iat and exp in whole seconds since 1970 (Math.floor(Date.now() / 1000), time.time())." };
  }
  if (reason === "malformed") return { cause: "The token lacks a required claim: sub, iat and exp are required (numbers for iat and exp).", advice: "Include sub, iat, exp and app." };
  if (reason === "bad_signature") {
    for (const other of others) {
      // Any of the other app's keys, whatever its kind: the wrong app is the first thing to fix.
      const keys = other.keys.map((k) => ({ ...k, proof: "token" as const }));
      if ((await verifyClaim({ token }, { ...ctx, appId: other.appId, keys })).keyId) return otherAppCause(other.appId, ctx)!;
    }
    return { cause: "The token's signature matches none of this app's keys.", advice: "Check the secret your backend signs with (parley key list)." };
  }
  return undefined;
}
