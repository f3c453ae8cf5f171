// The console over HTTP: signing in with the operator token makes an httpOnly, SameSite=Strict
// session cookie (Secure over https); with it, /console/api/apps/… answers as the operator API
// does; without it, every console API route answers 401; writes from anywhere but the console's
// own pages are refused; wrong tokens are slowed down per address; the page is served under a
// strict CSP. On both storages.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { CONSOLE_CSP, SESSION_COOKIE } from "../../server/http/console-routes.ts";
import { silentLogger } from "../../server/log.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi } from "../support/api.ts";
import { callApi, type CallOptions } from "../support/http.ts";

const ADMIN = "console-operator-token-0123";
const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };

let db: Db;
let store: Store;
let app: App;
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), "parley-console-dist-"));
  mkdirSync(join(dist, "console", "assets"), { recursive: true });
  writeFileSync(join(dist, "console", "index.html"), '<!doctype html><script type="module" src="/console/assets/index-abc.js"></script>');
  writeFileSync(join(dist, "console", "assets", "index-abc.js"), "console.log('console')");
  writeFileSync(join(dist, "console", "assets", "index-abc.css"), "body{}");
  ({ db, store } = await openTestApi());
  app = await store.createApp("console", ["https://site.example"], "required");
});
afterAll(async () => {
  await db?.close();
});

const newApi = (adminToken: string | undefined = ADMIN, trustedProxies: string[] = []) =>
  createApi({ store, log: silentLogger, adminToken, limits: NO_LIMITS, distDir: dist, maxBodyBytes: 2000, trustedProxies });
type Api = ReturnType<typeof newApi>;

/** Signs in from `peer` with `token`; the session cookie's value, when one was set. */
async function signIn(api: Api, token = ADMIN, peer = "192.0.2.1") {
  const res = await callApi(api, "/console/api/session", { body: { token }, headers: SAME_ORIGIN, peer });
  const cookie = /parley_console=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  return { res, cookie };
}
const withCookie = (cookie: string, opts: CallOptions = {}): CallOptions => ({ ...opts, headers: { ...SAME_ORIGIN, ...opts.headers, cookie: `${SESSION_COOKIE}=${cookie}` } });

describe("signing in", () => {
  it("the operator token makes a session cookie: random, httpOnly, SameSite=Strict, for /console, not Secure over http", async () => {
    const api = newApi();
    const { res, cookie } = await signIn(api);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ signedIn: true });
    const header = res.headers.get("set-cookie")!;
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Path=\/console(;|$)/);
    expect(header).not.toMatch(/Secure/);
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).not.toContain(ADMIN);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect((await signIn(api)).cookie).not.toBe(cookie);
  });

  it("Secure when reached over https, or through a trusted proxy that says so; not when anyone else says so", async () => {
    const https = await newApi().request("https://parley.example/console/api/session", { method: "POST", headers: { ...SAME_ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ token: ADMIN }) });
    expect(https.headers.get("set-cookie")).toMatch(/; Secure/);
    const proxied = await signInVia(newApi(ADMIN, ["10.0.0.1"]), "10.0.0.1");
    expect(proxied).toMatch(/; Secure/);
    const spoofed = await signInVia(newApi(ADMIN, ["10.0.0.1"]), "198.51.100.9");
    expect(spoofed).not.toMatch(/Secure/);
  });
  async function signInVia(api: Api, peer: string) {
    const res = await callApi(api, "/console/api/session", { body: { token: ADMIN }, headers: { ...SAME_ORIGIN, "x-forwarded-proto": "https" }, peer });
    expect(res.status).toBe(200);
    return res.headers.get("set-cookie");
  }

  it("a wrong token: 401 wrong_token, no cookie, and a wait of a second before that address may try again", async () => {
    const api = newApi();
    const { res, cookie } = await signIn(api, "not-the-token", "203.0.113.5");
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: "wrong_token", message: "That is not the operator token. You can try again in 1 second." });
    expect(res.headers.get("retry-after")).toBe("1");
    expect(cookie).toBeUndefined();
    // Within that second even the right token is refused, without being looked at.
    const soon = await signIn(api, ADMIN, "203.0.113.5");
    expect(soon.res.status).toBe(429);
    expect(soon.res.body.error?.code).toBe("too_many_attempts");
    expect(Number(soon.res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(soon.cookie).toBeUndefined();
    // Another address is not slowed by that one's mistakes.
    expect((await signIn(api, ADMIN, "203.0.113.6")).res.status).toBe(200);
  });

  it("each wrong token in a row doubles the wait; the right one, once allowed, signs in and clears it", async () => {
    let t = 1_800_000_000;
    const { SignInBackoff } = await import("../../server/console/backoff.ts");
    const { consoleRoutes } = await import("../../server/http/console-routes.ts");
    const routes = consoleRoutes({ adminToken: ADMIN, operator: () => new Response(null, { status: 204 }), log: silentLogger, maxBodyBytes: 2000, backoff: new SignInBackoff(), clock: () => t });
    const attempt = async (token: string) => (await signIn(routes as unknown as Api, token, "203.0.113.9")).res;
    const retryAfter: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await attempt("wrong");
      expect(res.status).toBe(401);
      retryAfter.push(res.headers.get("retry-after")!);
      expect((await attempt(ADMIN)).status).toBe(429);
      t += Number(res.headers.get("retry-after"));
    }
    expect(retryAfter).toEqual(["1", "2", "4", "8"]);
    expect((await attempt(ADMIN)).status).toBe(200);
    const after = await attempt("wrong");
    expect(after.headers.get("retry-after")).toBe("1");
  });

  it("no operator token configured: 503 admin_disabled", async () => {
    const { res } = await signIn(newApi(""), "anything");
    expect(res.status).toBe(503);
    expect(res.body.error?.code).toBe("admin_disabled");
  });

  it("a body that is not { token }: 400, and it costs no wait", async () => {
    const api = newApi();
    for (const body of [{}, { token: "" }, { token: 7 }, { token: ADMIN, extra: 1 }]) {
      const res = await callApi(api, "/console/api/session", { body, headers: SAME_ORIGIN, peer: "203.0.113.20" });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await signIn(api, ADMIN, "203.0.113.20")).res.status).toBe(200);
  });
});

describe("with a session, the console API is the operator API", () => {
  it("reads and writes what /v1/admin/apps/… does, with the same answers", async () => {
    const api = newApi();
    const { cookie } = await signIn(api);
    const viaConsole = await callApi(api, "/console/api/apps", withCookie(cookie!));
    const viaToken = await callApi(api, "/v1/admin/apps", { auth: `Bearer ${ADMIN}` });
    expect(viaConsole.status).toBe(200);
    expect(viaConsole.body).toEqual(viaToken.body);
    expect(viaConsole.headers.get("cache-control")).toBe("no-store");
    const created = await callApi(api, `/console/api/apps/${app.id}/keys`, withCookie(cookie!, { body: { proof: "payload" } }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ proof: "payload", keyId: expect.any(String), secret: expect.any(String) });
    expect((await store.listKeys(app.id)).map((k) => k.keyId)).toContain(created.body.keyId);
    const revoked = await callApi(api, `/console/api/apps/${app.id}/keys/${created.body.keyId}`, withCookie(cookie!, { method: "DELETE" }));
    expect(revoked.body).toEqual({ keyId: created.body.keyId, revoked: true });
    const patched = await callApi(api, `/console/api/apps/${app.id}`, withCookie(cookie!, { method: "PATCH", body: { mode: "optional" } }));
    expect(patched.body.app.mode).toBe("optional");
    expect((await store.getApp(app.id))!.mode).toBe("optional");
    await store.updateApp(app.id, { mode: "required" });
  });

  it("the operator API's refusals come through as they are (400, 404)", async () => {
    const api = newApi();
    const { cookie } = await signIn(api);
    const bad = await callApi(api, `/console/api/apps/${app.id}`, withCookie(cookie!, { method: "PATCH", body: { mode: "sometimes" } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe("invalid_request");
    const missing = await callApi(api, "/console/api/apps/app_nope/keys", withCookie(cookie!));
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe("app_not_found");
    const unknown = await callApi(api, "/console/api/nothing-here", withCookie(cookie!));
    expect(unknown.status).toBe(404);
  });

  it("the body cap holds on the console API too: 413", async () => {
    const api = newApi();
    const { cookie } = await signIn(api);
    const res = await callApi(api, `/console/api/apps/${app.id}`, withCookie(cookie!, { method: "PATCH", raw: JSON.stringify({ name: "x".repeat(3000) }) }));
    expect(res.status).toBe(413);
  });
});

describe("no session, no console API", () => {
  const routes: [string, CallOptions][] = [
    ["/console/api/session", {}],
    ["/console/api/session", { method: "DELETE" }],
    ["/console/api/apps", {}],
    ["/console/api/apps", { body: { name: "x" } }],
    ["/console/api/apps/APP", { method: "PATCH", body: { mode: "optional" } }],
    ["/console/api/apps/APP/keys", {}],
    ["/console/api/apps/APP/keys", { body: { proof: "hash" } }],
    ["/console/api/apps/APP/keys/key_x", { method: "DELETE" }],
    ["/console/api/apps/APP/conversations", {}],
    ["/console/api/apps/APP/conversations/conv_x/messages", {}],
    ["/console/api/apps/APP/conversations/conv_x/replies", { body: { text: "hi" } }],
    ["/console/api/apps/APP/conversations/conv_x", { method: "PATCH", body: { status: "closed" } }],
    ["/console/api/apps/APP/contacts/u_1", {}],
    ["/console/api/apps/APP/announcements", {}],
    ["/console/api/apps/APP/announcements", { body: { title: "t", body: "b" } }],
    ["/console/api/apps/APP/announcements/ann_x", { method: "DELETE" }],
    ["/console/api/apps/APP/ideas", {}],
    ["/console/api/apps/APP/doctor", { body: { identity: null } }],
    ["/console/api/anything", {}],
    ["/console/api", {}],
  ];
  const expect401 = async (api: Api, headers: Record<string, string>) => {
    for (const [path, opts] of routes) {
      const res = await callApi(api, path.replace("APP", app.id), { ...opts, headers: { ...SAME_ORIGIN, ...headers } });
      expect(res.status, `${opts.method ?? (opts.body ? "POST" : "GET")} ${path}`).toBe(401);
      expect(res.body.error).toEqual({ code: "signed_out", message: "Sign in to the console with the operator token." });
    }
  };

  it("every console API route answers 401 signed_out without a cookie, and changes nothing", async () => {
    const before = await store.listKeys(app.id);
    await expect401(newApi(), {});
    expect(await store.listKeys(app.id)).toEqual(before);
    expect((await store.getApp(app.id))!.mode).toBe("required");
  });

  it("the operator token itself is not a session: Authorization is ignored there", async () => {
    await expect401(newApi(), { authorization: `Bearer ${ADMIN}` });
  });

  it("a made-up cookie, a signed-out one, and one from before a restart: 401", async () => {
    const api = newApi();
    await expect401(api, { cookie: `${SESSION_COOKIE}=${"A".repeat(43)}` });
    const { cookie } = await signIn(api);
    expect((await callApi(api, "/console/api/session", withCookie(cookie!))).status).toBe(200);
    const out = await callApi(api, "/console/api/session", withCookie(cookie!, { method: "DELETE" }));
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/parley_console=;.*Max-Age=0/);
    await expect401(api, { cookie: `${SESSION_COOKIE}=${cookie}` });
    // A restart: a new process knows no session.
    const { cookie: before } = await signIn(api);
    await expect401(newApi(), { cookie: `${SESSION_COOKIE}=${before}` });
  });
});

describe("writes only from the console's own pages", () => {
  it("with a valid cookie, a write that is cross-site, same-site, from another origin or from nowhere is refused (403) and changes nothing", async () => {
    const api = newApi();
    const { cookie } = await signIn(api);
    const before = await store.listKeys(app.id);
    const cases: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "none" },
      { origin: "https://evil.example" },
      { origin: "null" },
      {},
    ];
    for (const headers of cases) {
      const res = await callApi(api, `/console/api/apps/${app.id}/keys`, { body: {}, headers: { host: "parley.example", cookie: `${SESSION_COOKIE}=${cookie}`, ...headers } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error?.code).toBe("cross_site");
      const out = await callApi(api, "/console/api/session", { method: "DELETE", headers: { host: "parley.example", cookie: `${SESSION_COOKIE}=${cookie}`, ...headers } });
      expect(out.status).toBe(403);
    }
    expect(await store.listKeys(app.id)).toEqual(before);
    // The session was not ended by the refused sign-out.
    expect((await callApi(api, "/console/api/session", withCookie(cookie!))).status).toBe(200);
    // The same write from our own page: Sec-Fetch-Site same-origin, or (no such header) our own Origin.
    const ok = await callApi(api, `/console/api/apps/${app.id}/keys`, { body: {}, headers: { host: "parley.example", cookie: `${SESSION_COOKIE}=${cookie}`, origin: "https://parley.example" } });
    expect(ok.status).toBe(201);
    await store.revokeKey(app.id, ok.body.keyId);
  });

  it("signing in is a write too: another site cannot sign a browser in (login CSRF)", async () => {
    const res = await callApi(newApi(), "/console/api/session", { body: { token: ADMIN }, headers: { "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("the page", () => {
  it("/console and every path under it is the console's page, under its own strict CSP", async () => {
    const api = newApi();
    for (const path of ["/console", "/console/", "/console/settings", "/console/apps/app_x/inbox"]) {
      const res = await api.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await res.text()).toContain("/console/assets/index-abc.js");
      expect(res.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
    expect(CONSOLE_CSP).not.toMatch(/unsafe|data:|\*/);
    expect(CONSOLE_CSP).toMatch(/script-src 'self'/);
    expect(CONSOLE_CSP).toMatch(/frame-ancestors 'none'/);
  });

  it("its built files, by type, cached for good; nothing else from the folder", async () => {
    const api = newApi();
    const js = await api.request("/console/assets/index-abc.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toMatch(/immutable/);
    expect(await js.text()).toBe("console.log('console')");
    expect((await api.request("/console/assets/index-abc.css")).headers.get("content-type")).toBe("text/css; charset=utf-8");
    for (const path of ["/console/assets/nope.js", "/console/assets/index.html", "/console/assets/.hidden.js"]) expect((await callApi(api, path)).status, path).toBe(404);
    // A way out of assets/ is no file name: what answers is the console's page, never the file.
    writeFileSync(join(dist, "console", "secret.js"), "SECRET");
    for (const path of ["/console/assets/..%2Fsecret.js", "/console/assets/%2e%2e/secret.js", "/console/assets/../secret.js", "/console/secret.js"]) {
      const res = await api.request(path);
      expect(await res.text(), path).not.toContain("SECRET");
    }
  });

  it("not built: 503 saying how to build it", async () => {
    const api = createApi({ store, log: silentLogger, adminToken: ADMIN, limits: NO_LIMITS });
    const res = await api.request("/console");
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("npm run build");
  });
});
