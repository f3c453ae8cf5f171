// Every error leaves as `{ error: { code, message } }`: a code for machines, a sentence for people.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError } from "../../contract/wire.ts";

export function apiError(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json<ApiError>({ error: { code, message } }, status);
}

/**
 * The body cap. Mounted after CORS, so a browser can read the 413 and not take it for a network
 * error. A body of known length (what browsers, curl and most clients send) is judged by its
 * Content-Length alone, which Node's parser holds the body to; only a chunked one is counted as it
 * is read. (Hono's bodyLimit asks for the request's body stream first, which makes
 * @hono/node-server build a full Request, with an AbortController, for every request.)
 */
export function bodyCap(maxSize: number): MiddlewareHandler {
  const tooLarge = (c: Context) => apiError(c, 413, "body_too_large", `The request body is over ${maxSize} bytes.`);
  const chunked = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) return chunked(c, next);
    if (Number.parseInt(length, 10) > maxSize) return tooLarge(c);
    await next();
  };
}

/** The shape of every id we issue (apps, keys, conversations, messages) and accept from widgets. */
export const OPAQUE_ID = /^[A-Za-z0-9_-]{1,100}$/;
export const isOpaqueId = (value: string) => OPAQUE_ID.test(value);
