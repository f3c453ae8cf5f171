// The operator console at /console: its page and built files (dist/console, `vite build --mode
// console`) under a strict CSP of their own, sign-in with the operator token into a session
// cookie, and /console/api/apps/… — the operator API's own routes (/v1/admin/apps/…), called as
// the local operator once the cookie is checked, so the console can do exactly what the API does.
import { timingSafeEqual, createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { Hono, type Context } from "hono";
import type { ConsoleSession } from "../../contract/operator.ts";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SignInBackoff } from "../console/backoff.ts";
import { crossSiteReason } from "../console/same-origin.ts";
import { ConsoleSessions, MAX_AGE_S } from "../console/sessions.ts";
import type { Logger } from "../log.ts";
import { addressKey, clientAddress, normalAddress } from "./client-address.ts";
import { apiError, bodyCap } from "./errors.ts";
import { readBody } from "./schemas.ts";
import { z } from "zod";

export const SESSION_COOKIE = "parley_console";
const API = "/console/api";
/** Only the console's own files: its page, and what the build made (no data:, no inline anything). */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const SAFE_METHODS = new Set(["GET", "HEAD"]);
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

export interface ConsoleDeps {
  adminToken?: string;
  /** The operator API, as the local operator (no token): called once the session is checked. */
  operator: (request: Request) => Response | Promise<Response>;
  /** dist/console, where the built console is; none: the page says to build it. */
  consoleDir?: string;
  log: Logger;
  maxBodyBytes: number;
  trustedProxies?: readonly string[];
  sessions?: ConsoleSessions;
  backoff?: SignInBackoff;
  /** Seconds since the epoch. */
  clock?: () => number;
}

const signInBody = z.object({ token: z.string().min(1, "must not be empty").max(1000) }).strict();

export function consoleRoutes(deps: ConsoleDeps) {
  const routes = new Hono();
  const sessions = deps.sessions ?? new ConsoleSessions();
  const backoff = deps.backoff ?? new SignInBackoff();
  const clock = deps.clock ?? (() => Date.now() / 1000);
  const expected = deps.adminToken ? digest(deps.adminToken) : undefined;
  const trusted = deps.trustedProxies ?? [];

  routes.use(`${API}/*`, async (c, next) => {
    c.header("Cache-Control", "no-store");
    c.header("X-Content-Type-Options", "nosniff");
    await next();
  });
  routes.use(`${API}/*`, bodyCap(deps.maxBodyBytes));
  // Every console API route but signing in needs a live session; every write, our own page.
  routes.use(`${API}/*`, async (c, next) => {
    const signingIn = c.req.path === `${API}/session` && c.req.method === "POST";
    if (!signingIn && !sessions.touch(getCookie(c, SESSION_COOKIE), clock())) return apiError(c, 401, "signed_out", "Sign in to the console with the operator token.");
    if (!SAFE_METHODS.has(c.req.method)) {
      const why = crossSiteReason({ fetchSite: c.req.header("sec-fetch-site"), origin: c.req.header("origin"), host: c.req.header("host") });
      if (why) return apiError(c, 403, "cross_site", `Only the console's own pages may do this (${why}).`);
    }
    await next();
  });

  routes.post(`${API}/session`, async (c) => {
    if (!expected) return apiError(c, 503, "admin_disabled", "Set PARLEY_ADMIN_TOKEN to enable the console.");
    const address = addressOf(c, trusted);
    const wait = backoff.wait(address, clock());
    if (wait > 0) return tooSoon(c, wait);
    const body = await readBody(c, signInBody);
    if (body instanceof Response) return body;
    if (!timingSafeEqual(digest(body.token), expected)) {
      const waitS = backoff.failed(address, clock());
      deps.log("warn", "console sign-in refused: wrong token", { address, waitS });
      c.header("Retry-After", String(Math.ceil(waitS)));
      return apiError(c, 401, "wrong_token", `That is not the operator token. You can try again in ${seconds(waitS)}.`);
    }
    backoff.succeeded(address);
    sessions.end(getCookie(c, SESSION_COOKIE));
    const id = sessions.create(clock());
    setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: "Strict", secure: isHttps(c, trusted), path: "/console", maxAge: MAX_AGE_S });
    return c.json<ConsoleSession>({ signedIn: true });
  });

  routes.get(`${API}/session`, (c) => c.json<ConsoleSession>({ signedIn: true }));

  routes.delete(`${API}/session`, (c) => {
    sessions.end(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/console", httpOnly: true, sameSite: "Strict", secure: isHttps(c, trusted) });
    return c.json<ConsoleSession>({ signedIn: false });
  });

  const forward = async (c: Context) => {
    const url = new URL(c.req.url);
    url.pathname = "/v1/admin" + url.pathname.slice(API.length);
    const headers = new Headers();
    const type = c.req.header("content-type");
    if (type) headers.set("content-type", type);
    const body = SAFE_METHODS.has(c.req.method) ? undefined : await c.req.arrayBuffer();
    const answer = await deps.operator(new Request(url, { method: c.req.method, headers, body, signal: c.req.raw.signal }));
    const res = new Response(answer.body, { status: answer.status, headers: answer.headers });
    res.headers.set("Cache-Control", "no-store");
    res.headers.set("X-Content-Type-Options", "nosniff");
    return res;
  };
  routes.all(`${API}/apps`, forward);
  routes.all(`${API}/apps/*`, forward);
  routes.all(`${API}/*`, (c) => apiError(c, 404, "not_found", "No such console endpoint."));

  // The page and its files. A path the console draws itself (/console/settings, …) gets the page.
  const files = new FileCache();
  routes.get("/console/assets/:file{[A-Za-z0-9_.-]+}", async (c) => {
    const name = c.req.param("file");
    const type = TYPES[extname(name)];
    const file = type && deps.consoleDir && !name.startsWith(".") ? await files.read(join(deps.consoleDir, "assets", name)) : undefined;
    if (!file) return apiError(c, 404, "not_found", `No console file ${name}.`);
    c.header("Content-Type", type!);
    // Named by their content's hash by the build: cached for good.
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    c.header("X-Content-Type-Options", "nosniff");
    return c.body(new Uint8Array(file));
  });
  const page = async (c: Context) => {
    const html = deps.consoleDir ? await files.read(join(deps.consoleDir, "index.html")) : undefined;
    c.header("Content-Security-Policy", CONSOLE_CSP);
    c.header("X-Frame-Options", "DENY");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cross-Origin-Opener-Policy", "same-origin");
    c.header("Cache-Control", "no-cache");
    if (!html) return c.html("<!doctype html><title>Parley console</title><p>The console is not built: run <code>npm run build</code>.</p>", 503);
    return c.html(html.toString("utf8"));
  };
  routes.get("/console", page);
  routes.get("/console/*", page);
  return routes;
}

/** Files read once and kept until they change on disk (a rebuild is seen on the next request). */
class FileCache {
  private readonly files = new Map<string, { mtimeMs: number; size: number; bytes: Buffer }>();
  async read(path: string): Promise<Buffer | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const cached = this.files.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.bytes;
    const bytes = await readFile(path);
    this.files.set(path, { mtimeMs: info.mtimeMs, size: info.size, bytes });
    return bytes;
  }
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
const seconds = (s: number) => (Math.ceil(s) === 1 ? "1 second" : `${Math.ceil(s)} seconds`);

function tooSoon(c: Context, waitS: number) {
  c.header("Retry-After", String(Math.ceil(waitS)));
  return apiError(c, 429, "too_many_attempts", `Too many wrong tokens from your address: try again in ${seconds(waitS)}.`);
}

/** The TCP peer of a request served by @hono/node-server (absent under `app.request` in tests). */
const peerAddress = (c: Context) => (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;

/** Whose wrong tokens these are: the client's address (its /64 for IPv6), as the rate limit keys it. */
function addressOf(c: Context, trusted: readonly string[]): string {
  const address = clientAddress(peerAddress(c), c.req.header("x-forwarded-for"), trusted);
  return address ? addressKey(address) : "unknown";
}

/** Whether the browser reached us over https: directly, or through one of our own TLS proxies. */
function isHttps(c: Context, trusted: readonly string[]): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  const peer = peerAddress(c);
  const fromProxy = peer !== undefined && trusted.map(normalAddress).includes(normalAddress(peer));
  return fromProxy && c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}
