// The widget's two requests. Network failures are values, never exceptions.
import type { ApiError } from "../../contract/wire.ts";

export type ApiResult<T> = { status: number; data?: T; error?: ApiError["error"]; retryAfter?: number };

export async function postJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<ApiResult<T>> {
  try {
    // No content-type of our own: a string body goes as text/plain;charset=UTF-8, which CORS lets
    // through without a preflight — one round trip, not two. The server reads it as JSON all the same.
    const res = await fetch(url, {
      method: "POST",
      body: JSON.stringify(body),
      signal,
      credentials: "omit",
    });
    const json = (await res.json().catch(() => undefined)) as (T & Partial<ApiError>) | undefined;
    if (res.ok) return { status: res.status, data: json };
    const retryAfter = Number(res.headers.get("retry-after")) || undefined;
    return { status: res.status, error: json?.error, retryAfter };
  } catch {
    return { status: 0 };
  }
}

/** Worth another try later: offline, timeouts, throttling, the server's own trouble. */
export const isTransient = (status: number) => status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
