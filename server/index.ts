// `parley/server`: what a site owner's Node backend imports to compute the proofs.
// Server-side only; nothing here is ever bundled for a browser.
export { userHash, signPayload, createToken, createJwt } from "./sign.ts";
export type { TokenOptions } from "./sign.ts";
