// The JWS example of RFC 7515 appendix A.1 (HS256).
//
// Its key is a JWK with binary `k`, and those bytes are not valid UTF-8 (checked below), while
// verifyClaim derives an HMAC key from the UTF-8 bytes of an app secret string: no app secret
// can be that key. So the example is checked in two steps:
//   1. the signature, with jose's compactVerify and the raw key bytes (HS256 only), exactly as
//      verifyClaim's JWT path calls it;
//   2. "and then rejected as expired", through checkTokenClaims (server/verify/claims.ts), the
//      claim rules verifyClaim applies after a good signature, on the example's decoded payload.
// On top, the RFC's own header and payload (with their CRLFs and spaces) are re-signed with a
// text secret and pushed through verifyClaim end to end, which must also answer `expired`.
import { createHmac } from "node:crypto";
import { compactVerify, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { checkTokenClaims } from "../../server/verify/claims.ts";
import { verifyClaim } from "../../server/verify/verify.ts";

const JWS =
  "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9" +
  ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ" +
  ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const K = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
const KEY = Buffer.from(K, "base64url");
const EXP = 1300819380;
/** Long after the example's expiry, as any real clock is. */
const NOW = 1_700_000_000;

describe("RFC 7515 A.1 (HS256)", () => {
  it("the header and payload are the RFC's exact texts, CRLFs included", () => {
    const [h, p] = JWS.split(".");
    expect(Buffer.from(h!, "base64url").toString("utf8")).toBe('{"typ":"JWT",\r\n "alg":"HS256"}');
    expect(Buffer.from(p!, "base64url").toString("utf8")).toBe('{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}');
    expect(decodeProtectedHeader(JWS)).toEqual({ typ: "JWT", alg: "HS256" });
  });

  it("the key is 64 bytes that are not UTF-8 text, so it cannot be an app secret string", () => {
    expect(KEY.length).toBe(64);
    expect(Buffer.from(KEY.toString("utf8"), "utf8").equals(KEY)).toBe(false);
  });

  it("the signature verifies with jose compactVerify and the raw key, HS256 only", async () => {
    const { payload, protectedHeader } = await compactVerify(JWS, KEY, { algorithms: ["HS256"] });
    expect(protectedHeader.alg).toBe("HS256");
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ iss: "joe", exp: EXP, "http://example.com/is_root": true });
  });

  it("the signature is the RFC's HMAC-SHA256 of the signing input (cross-check without jose)", () => {
    const input = JWS.slice(0, JWS.lastIndexOf("."));
    expect(createHmac("sha256", KEY).update(input, "ascii").digest("base64url")).toBe(JWS.split(".")[2]);
  });

  it("the signature fails with any other key, and with a flipped key byte", async () => {
    const flipped = Buffer.from(KEY);
    flipped[0] = flipped[0]! ^ 0x01;
    await expect(compactVerify(JWS, flipped, { algorithms: ["HS256"] })).rejects.toThrow();
    await expect(compactVerify(JWS, new TextEncoder().encode("not the key"), { algorithms: ["HS256"] })).rejects.toThrow();
  });

  it("then its claims are rejected as expired: exp 1300819380 is in the past", async () => {
    const { payload } = await compactVerify(JWS, KEY, { algorithms: ["HS256"] });
    const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
    expect(checkTokenClaims(claims, "app_any", NOW)).toEqual({ ok: false, reason: "expired" });
    // Expiry is judged first, so the example's missing sub/iat/app do not mask it…
    expect(checkTokenClaims(claims, "app_any", EXP + 60)).toEqual({ ok: false, reason: "expired" });
    // …and it is the clock that decides: just inside the 60 s skew it is no longer "expired"
    // (it is then malformed, having no sub or iat).
    expect(checkTokenClaims(claims, "app_any", EXP + 59)).toEqual({ ok: false, reason: "malformed" });
  });

  it("the RFC's header and claims, re-signed with a text secret, are verified by verifyClaim as expired", async () => {
    const secret = "pk_rfc7515-text-secret";
    const input = JWS.slice(0, JWS.lastIndexOf("."));
    const token = `${input}.${createHmac("sha256", Buffer.from(secret, "utf8")).update(input, "ascii").digest("base64url")}`;
    const keys = [{ id: "key_rfc", secret, revoked: false, proof: "token" as const }];
    const v = await verifyClaim({ token }, { appId: "app_any", mode: "required", keys, now: NOW });
    expect(v).toMatchObject({ status: "rejected", reason: "expired", proof: "jwt", keyId: "key_rfc" });
    expect(v.userId).toBeUndefined();
    // The RFC's own signature (by the binary key) is just a bad signature to an app with text keys.
    expect(await verifyClaim({ token: JWS }, { appId: "app_any", mode: "required", keys, now: NOW })).toMatchObject({
      status: "rejected",
      reason: "bad_signature",
    });
  });
});
