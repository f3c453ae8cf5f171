// The console's one way to the server: /console/api, where the operator API answers under the
// session cookie (the browser sends it; no token is ever in this page). A 401 means the session
// ended (signed out elsewhere, expired, the server restarted): `onSignedOut` hears of it.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  send<T>(method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T>;
}

export function createApi(onSignedOut: () => void, base = "/console/api"): Api {
  async function call<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        credentials: "same-origin",
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, "network", "The server could not be reached. Check your connection; the console keeps trying.");
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.ok) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (res.status === 401 && error?.code === "signed_out") onSignedOut();
    throw new ApiError(res.status, error?.code ?? "http_" + res.status, error?.message ?? `The server answered ${res.status}.`);
  }
  return {
    get: (path, signal) => call("GET", path, undefined, signal),
    send: (method, path, body) => call(method, path, body),
  };
}

/** A path segment from an id (ids are opaque; a user id may hold anything). */
export const seg = (id: string) => encodeURIComponent(id);
