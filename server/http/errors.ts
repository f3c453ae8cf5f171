// Every error leaves as `{ error: { code, message } }`: a code for machines, a sentence for people.
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError } from "../../contract/wire.ts";

export function apiError(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json<ApiError>({ error: { code, message } }, status);
}

/** The body cap. Mounted after CORS, so a browser can read the 413 and not take it for a network error. */
export const bodyCap = (maxSize: number) =>
  bodyLimit({ maxSize, onError: (c) => apiError(c, 413, "body_too_large", `The request body is over ${maxSize} bytes.`) });

/** The shape of every id we issue (apps, keys, conversations, messages) and accept from widgets. */
export const OPAQUE_ID = /^[A-Za-z0-9_-]{1,100}$/;
export const isOpaqueId = (value: string) => OPAQUE_ID.test(value);
