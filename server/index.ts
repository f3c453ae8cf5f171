// `parley/server`: what a site owner's Node backend imports to compute the proofs.
// Server-side only; nothing here is ever bundled for a browser. Each proof takes the secret of a
// key of its own kind (hash, payload, token): a key verifies only the kind it was created for.
export { userHash, signPayload, createToken, createJwt } from "./sign.ts";
export type { TokenOptions } from "./sign.ts";
