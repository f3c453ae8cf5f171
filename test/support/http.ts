// Requests to the API through Hono's app.request, and the one shape every error must have.
import { expect } from "vitest";
import type { ApiError } from "../../contract/wire.ts";

export interface Res<T = any> {
  status: number;
  /** The parsed body; error responses carry `error` instead. */
  body: T & Partial<ApiError>;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  raw?: string;
  origin?: string;
  auth?: string;
  headers?: Record<string, string>;
  /** The TCP peer the request seems to come from (what @hono/node-server puts in the env). */
  peer?: string;
}

/**
 * An error body is exactly { error: { code, message } } and shows no stack trace — and a refused
 * write on the ideas board (`verification_required`) carries the verdict beside it, as `identity`.
 */
export function expectErrorBody(text: string, code?: string) {
  const body = JSON.parse(text);
  expect(Object.keys(body)).toEqual(body.error?.code === "verification_required" ? ["error", "identity"] : ["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "message"]);
  expect(body.error.code).toMatch(/^[a-z_]+$/);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  if (code) expect(body.error.code).toBe(code);
  expect(text).not.toMatch(/(^|\\n|\n)\s*at\s+\S/); // a stack frame line
  expect(text).not.toMatch(/\.(ts|js):\d+:\d+/);
  expect(text).not.toContain("node_modules");
}

/** One request; any status of 400 or more must carry a well-formed error body. */
export async function callApi<T = any>(target: { request: (path: string, init: RequestInit, env?: unknown) => Response | Promise<Response> }, path: string, opts: CallOptions = {}): Promise<Res<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined || opts.raw !== undefined) headers["content-type"] ??= "application/json";
  if (opts.origin) headers.origin = opts.origin;
  if (opts.auth !== undefined) headers.authorization = opts.auth;
  const method = opts.method ?? (opts.body !== undefined || opts.raw !== undefined ? "POST" : "GET");
  const env = opts.peer ? { incoming: { socket: { remoteAddress: opts.peer } } } : undefined;
  const res = await target.request(path, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) }, env);
  const text = await res.text();
  if (res.status >= 400) expectErrorBody(text);
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body, text, headers: res.headers };
}
