// The demo: a customer-like site on its own origin (its backend signs the signed-in user) and an
// operator inbox whose backend holds the admin token. Nothing secret is ever sent to a page.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono, type Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import type { Env } from "../server/runtime.ts";
import { listen, type Running } from "../server/serve.ts";
import type { Store } from "../server/store.ts";
import { proofFor, tamper } from "./proofs.ts";
import { DEMO_USERS, PROOF_KINDS, type ProofKind } from "./users.ts";

interface DemoConfig {
  appId: string;
  secret: string;
  adminToken: string;
}

export interface DemoOptions {
  store: Store;
  env: Env;
  host: string;
  apiPort: number;
  sitePort: number;
  /** Where the demo's HTML and scripts are; defaults to the source folder beside this file. */
  publicDir?: string;
}

export async function startDemo(opts: DemoOptions) {
  const publicDir = opts.publicDir ?? findPublicDir();
  let apiUrl = "";
  const site = createSite(() => apiUrl, () => config, publicDir);
  const running: Running = await listen(site, opts.sitePort, opts.host);
  const stored = await ensureDemoApp(opts.store, opts.env, running.url);
  const config = { ...stored, adminToken: opts.env.adminToken ?? stored.adminToken };
  return {
    adminToken: config.adminToken,
    siteUrl: running.url,
    appId: config.appId,
    attach: async (url: string) => {
      apiUrl = url;
    },
    close: () => running.close(),
  };
}

/** First run: one app allowing only the demo site's origin, and one key. Kept in the data folder. */
async function ensureDemoApp(store: Store, env: Env, siteUrl: string): Promise<DemoConfig> {
  const file = join(env.dataDir, "demo.json");
  // The site answers on both names of loopback; each is its own origin to a browser.
  const port = new URL(siteUrl).port;
  const origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  let config: DemoConfig | undefined = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
  if (config && (await store.getApp(config.appId))) {
    await store.setOrigins(config.appId, origins);
    return config;
  }
  const app = await store.createApp("Parley demo", origins, "required");
  const { secret } = await store.createKey(app.id);
  config = { appId: app.id, secret, adminToken: randomBytes(24).toString("base64url") };
  // This file stands for the customer's server-side configuration: owner-only, never served.
  writeFileSync(file, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  return config;
}

function findPublicDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "public"), join(here, "..", "..", "demo", "public")]) {
    if (existsSync(join(candidate, "index.html"))) return candidate;
  }
  throw new Error("demo/public not found");
}

const STATIC: Record<string, string> = {
  "/demo.js": "text/javascript",
  "/inbox.js": "text/javascript",
  "/demo.css": "text/css",
};

function createSite(apiUrl: () => string, config: () => DemoConfig, publicDir: string) {
  const site = new Hono();
  const userOf = (c: Context) => DEMO_USERS[getCookie(c, "demo_user") ?? ""];
  const kindOf = (c: Context): ProofKind => (PROOF_KINDS as readonly string[]).includes(getCookie(c, "demo_proof") ?? "") ? (getCookie(c, "demo_proof") as ProofKind) : "hash";
  const tampered = (c: Context) => getCookie(c, "demo_tamper") === "1";

  async function currentClaim(c: Context) {
    const user = userOf(c);
    if (!user) return null;
    const claim = await proofFor(user, kindOf(c), config().secret, config().appId);
    return tampered(c) ? tamper(claim) : claim;
  }

  // The same page twice: as most sites serve it, and under the strictest CSP Parley supports.
  site.get("/", (c) => page(c, false));
  site.get("/strict-csp", (c) => page(c, true));
  site.get("/favicon.ico", (c) => c.body(null, 204));

  async function page(c: Context, strict: boolean) {
    const user = userOf(c);
    const claim = await currentClaim(c);
    // What a customer's template renders: the settings global, with the proof computed server-side.
    const settings = { appId: config().appId, debug: true, identity: claim };
    const state = { user: user ? { key: Object.keys(DEMO_USERS).find((k) => DEMO_USERS[k] === user), name: user.name, plan: user.plan } : null, proof: kindOf(c), tamper: tampered(c) };
    const nonce = randomBytes(16).toString("base64");
    const html = (await readFile(join(publicDir, "index.html"), "utf8"))
      .replace("/*SETTINGS*/", `window.ParleySettings = ${safeJson(settings)}; window.DemoState = ${safeJson(state)};`)
      .replaceAll("{{API}}", apiUrl())
      .replaceAll("{{NONCE}}", nonce)
      .replace("{{OTHER_PAGE}}", strict ? "/" : "/strict-csp")
      .replace("{{OTHER_LABEL}}", strict ? "This page has a strict CSP · normal page" : "Same page under a strict CSP");
    c.header("Cache-Control", "no-store");
    // What a site owner adds for Parley: its API in connect-src, and the nonce on the loader
    // (the loader passes it on to the widget). 'self' in connect-src is this site's own backend.
    if (strict) c.header("Content-Security-Policy", `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'self'; connect-src 'self' ${apiUrl()}`);
    return c.html(html);
  }

  site.get("/inbox", async (c) => c.html((await readFile(join(publicDir, "inbox.html"), "utf8")).replaceAll("{{API}}", apiUrl())));

  for (const [path, type] of Object.entries(STATIC)) {
    site.get(path, async (c) => {
      c.header("Content-Type", `${type}; charset=utf-8`);
      c.header("Cache-Control", "no-store");
      return c.body(await readFile(join(publicDir, path.slice(1)), "utf8"));
    });
  }

  site.post("/session", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { user?: string | null; proof?: string; tamper?: boolean };
    if (body.user === null) deleteCookie(c, "demo_user", { path: "/" });
    else if (body.user !== undefined) {
      if (!DEMO_USERS[body.user]) return c.json({ error: { code: "unknown_user", message: "No such demo user." } }, 400);
      setCookie(c, "demo_user", body.user, { path: "/", httpOnly: true, sameSite: "Lax" });
    }
    if (body.proof !== undefined) {
      if (!(PROOF_KINDS as readonly string[]).includes(body.proof)) return c.json({ error: { code: "unknown_proof", message: "No such proof kind." } }, 400);
      setCookie(c, "demo_proof", body.proof, { path: "/", httpOnly: true, sameSite: "Lax" });
    }
    if (body.tamper !== undefined) setCookie(c, "demo_tamper", body.tamper ? "1" : "0", { path: "/", httpOnly: true, sameSite: "Lax" });
    return c.body(null, 204);
  });

  // The route a customer's SPA calls after login: its backend signs who is signed in.
  site.get("/parley-identity", async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ identity: await currentClaim(c) });
  });

  // The inbox's backend: forwards to the operator API with the token, which stays here.
  site.all("/inbox/api/*", async (c) => {
    const rest = c.req.path.slice("/inbox/api".length);
    const url = new URL(`/v1/admin/apps/${config().appId}${rest}`, apiUrl());
    url.search = new URL(c.req.url).search;
    const res = await fetch(url, {
      method: c.req.method,
      headers: { authorization: `Bearer ${config().adminToken}`, "content-type": "application/json" },
      body: c.req.method === "GET" ? undefined : await c.req.text(),
    });
    return c.newResponse(await res.text(), res.status as 200, { "content-type": "application/json" });
  });

  return site;
}

/** JSON that is safe inside a <script> element. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
