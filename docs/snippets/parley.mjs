// Parley proofs in Node (no dependencies). Run: node parley.mjs vectors.json
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

const mac = (secret, text) => createHmac("sha256", Buffer.from(secret, "utf8")).update(Buffer.from(text, "utf8"));
const b64url = (text) => Buffer.from(text, "utf8").toString("base64url");

// 1. User hash: HMAC over the id's decimal/text form, lower-case hex. `secret`: a hash key's.
export const userHash = (secret, userId) => mac(secret, String(userId)).digest("hex");

// 2. Signed payload: sign the exact JSON text you send. Send { payload, signature }.
//    `secret`: a payload key's (parley key create --proof payload).
export const signPayload = (secret, payloadJson) => ({ payload: payloadJson, signature: mac(secret, payloadJson).digest("hex") });

// 3a. HMAC token: base64url(claims JSON) "." base64url(HMAC of the claims JSON text).
//     `secret`: a token key's (parley key create --proof token), as for the JWT.
export const createToken = (secret, claimsJson) => `${b64url(claimsJson)}.${mac(secret, claimsJson).digest("base64url")}`;

// 3b. JWT, HS256 only. Build claimsJson with JSON.stringify({ sub, app, iat, exp }).
//     `secret`: a token key's.
export function createJwt(secret, claimsJson) {
  const input = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(claimsJson)}`;
  return `${input}.${mac(secret, input).digest("base64url")}`;
}

if (process.argv[2]) {
  const v = JSON.parse(readFileSync(process.argv[2], "utf8"));
  console.log(JSON.stringify({
    hash: v.hash.map((h) => userHash(v.secret, h.userId)),
    payload: v.payload.map((p) => signPayload(v.secret, p.payload).signature),
    token: v.token.map((t) => createToken(v.secret, t.claims)),
    jwt: v.jwt.map((t) => createJwt(v.secret, t.claims)),
  }));
}
