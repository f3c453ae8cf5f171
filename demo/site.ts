// The demo: a customer-like site on its own origin, whose backend signs the signed-in user. Nothing
// secret reaches a page. Its operator is the product's own console, served by the API at /console.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono, type Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { listen, type Running } from "../server/serve.ts";
import type { Store } from "../server/store.ts";
import { KEY_KINDS, type KeyKind } from "../contract/claim.ts";
import type { Audience, IdeaStatus } from "../contract/wire.ts";
import { proofFor, tamper } from "./proofs.ts";
import { DEMO_USERS, PROOF_KINDS, type ProofKind } from "./users.ts";

/** The demo customer's server-side configuration: one key per kind of proof (a key signs one kind). */
interface DemoConfig {
  appId: string;
  secrets: Record<KeyKind, string>;
  /** Whether the demo's announcements were published (once: an operator may delete them). */
  announced?: boolean;
  /** Whether the demo's ideas were posted (once, likewise). */
  ideasPosted?: boolean;
}

/** What the demo app ships in "What's new", in the order published: one for everyone, one for Pro users only. */
export const DEMO_ANNOUNCEMENTS: readonly { title: string; body: string; audience: Audience | null }[] = [
  {
    title: "Dark mode is here",
    body: "Acme Cloud now follows your system's light or dark setting, on every page.\n\nWhat changed: https://example.com/changelog/dark-mode",
    audience: null,
  },
  {
    title: "Pro: priority support",
    body: "As a Pro customer, your questions now go to the front of the queue, with an answer within the hour on working days.\n\nDetails: https://example.com/pro/priority-support",
    audience: { plan: ["pro"] },
  },
];

/** What the demo app's Ideas board starts with, posted by the team (no votes: only verified users vote). */
export const DEMO_IDEAS: readonly { title: string; body: string; status: IdeaStatus }[] = [
  { title: "Two-factor sign-in with a security key", body: "A YubiKey or a passkey as the second factor, for every account on the team.", status: "open" },
  { title: "A Slack alert when a deploy fails", body: "Post to a channel we choose, with the failing step and a link to its log.", status: "in_progress" },
  { title: "Export invoices as CSV", body: "So our accountant can import them without retyping.", status: "planned" },
];

export interface DemoOptions {
  store: Store;
  apiUrl: string;
  dataDir: string;
  /** Loopback only: its backend signs as any demo user for whoever asks, so it must never face a network. */
  host: "127.0.0.1";
  sitePort: number;
  /** Where the demo's HTML and scripts are; defaults to the source folder beside this file. */
  publicDir?: string;
}

export async function startDemo(opts: DemoOptions) {
  const publicDir = opts.publicDir ?? findPublicDir();
  let config: DemoConfig | undefined;
  const site = createSite(opts.apiUrl, () => config, publicDir);
  const running: Running = await listen(site.app, opts.sitePort, opts.host, undefined, "--demo-port");
  site.setOwnPort(running.port);
  try {
    config = await ensureDemoApp(opts.store, opts.dataDir, running.url);
  } catch (err) {
    await running.close();
    throw err;
  }
  return { siteUrl: running.url, appId: config.appId, close: () => running.close() };
}

/**
 * First run: one app allowing only the demo site's origins, with one key of each kind and
 * integration hints on (the demo is where a developer learns), its two announcements and its ideas.
 * Kept in the data folder; a folder from before key kinds (one `secret`, now a hash key) gains the
 * payload and token keys, and one from before announcements or ideas gains those.
 */
async function ensureDemoApp(store: Store, dataDir: string, siteUrl: string): Promise<DemoConfig> {
  const file = join(dataDir, "demo.json");
  // The site answers on both names of loopback; each is its own origin to a browser.
  const port = new URL(siteUrl).port;
  const origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<DemoConfig> & { secret?: string; adminToken?: string }) : undefined;
  let config: DemoConfig;
  if (saved?.appId && (await store.getApp(saved.appId))) {
    await store.updateApp(saved.appId, { origins, hints: true });
    config = {
      appId: saved.appId,
      secrets: { ...(saved.secret ? { hash: saved.secret } : {}), ...saved.secrets } as Record<KeyKind, string>,
      ...(saved.announced ? { announced: true } : {}),
      ...(saved.ideasPosted ? { ideasPosted: true } : {}),
    };
  } else {
    const app = await store.createApp("Parley demo", origins, "required", true);
    config = { appId: app.id, secrets: {} as Record<KeyKind, string> };
  }
  const missing = KEY_KINDS.filter((kind) => !config.secrets[kind]);
  for (const kind of missing) config.secrets[kind] = (await store.createKey(config.appId, kind)).secret;
  const announce = !config.announced;
  if (announce) {
    for (const a of DEMO_ANNOUNCEMENTS) await store.announcements.create(config.appId, a);
    config.announced = true;
  }
  const postIdeas = !config.ideasPosted;
  if (postIdeas) {
    for (const idea of DEMO_IDEAS) await store.ideas.create(config.appId, { ...idea, name: null });
    config.ideasPosted = true;
  }
  // This file stands for the customer's server-side configuration: owner-only, never served.
  if (missing.length || announce || postIdeas || saved?.secret || saved?.adminToken) writeFileSync(file, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
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
  "/demo.css": "text/css",
};

function createSite(apiUrl: string, maybeConfig: () => DemoConfig | undefined, publicDir: string) {
  const site = new Hono();
  const config = () => maybeConfig()!;
  let ownPort = "";
  // Only the demo's own users: a cookie of "constructor" must not find Object.prototype's.
  const userOf = (c: Context) => demoUser(getCookie(c, "demo_user"));

  // Not an open door: the demo answers only to its own names (a rebinding DNS name pointing here
  // is refused), and what acts — the session, the proof — only to its own pages.
  site.use("*", async (c, next) => {
    const host = c.req.header("host") ?? "";
    if (host !== `127.0.0.1:${ownPort}` && host !== `localhost:${ownPort}`) return c.json({ error: { code: "wrong_host", message: "The demo answers on 127.0.0.1 and localhost only." } }, 421);
    await next();
  });
  site.use("*", async (c, next) => {
    if (!maybeConfig()) return c.json({ error: { code: "starting", message: "The demo is starting; reload in a moment." } }, 503);
    await next();
  });
  const ownPagesOnly = async (c: Context, next: () => Promise<void>) => {
    const fetchSite = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    const self = new URL(c.req.url).origin;
    if ((fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") || (origin && origin !== self)) return c.json({ error: { code: "cross_site", message: "Only the demo's own pages may call this." } }, 403);
    await next();
  };
  site.use("/session", ownPagesOnly);
  site.use("/parley-identity", ownPagesOnly);
  const kindOf = (c: Context): ProofKind => (PROOF_KINDS as readonly string[]).includes(getCookie(c, "demo_proof") ?? "") ? (getCookie(c, "demo_proof") as ProofKind) : "hash";
  const tampered = (c: Context) => getCookie(c, "demo_tamper") === "1";

  async function currentClaim(c: Context) {
    const user = userOf(c);
    if (!user) return null;
    const claim = await proofFor(user, kindOf(c), config().secrets, config().appId);
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
    // Every tab, Ideas included: a board shows to everyone (only verified users write on it).
    const settings = { appId: config().appId, debug: true, identity: claim, tabs: ["chat", "news", "ideas"] };
    const state = { user: user ? { key: Object.keys(DEMO_USERS).find((k) => DEMO_USERS[k] === user), name: user.name, plan: user.plan } : null, proof: kindOf(c), tamper: tampered(c) };
    const nonce = randomBytes(16).toString("base64");
    const html = (await readFile(join(publicDir, "index.html"), "utf8"))
      .replace("/*SETTINGS*/", `window.ParleySettings = ${safeJson(settings)}; window.DemoState = ${safeJson(state)};`)
      .replaceAll("{{API}}", apiUrl)
      .replaceAll("{{NONCE}}", nonce)
      .replace("{{OTHER_PAGE}}", strict ? "/" : "/strict-csp")
      .replace("{{OTHER_LABEL}}", strict ? "This page has a strict CSP · normal page" : "Same page under a strict CSP");
    c.header("Cache-Control", "no-store");
    // What a site owner adds for Parley: its API in connect-src, and the nonce on the loader
    // (the loader passes it on to the widget). 'self' in connect-src is this site's own backend.
    if (strict) c.header("Content-Security-Policy", `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'self'; connect-src 'self' ${apiUrl}`);
    return c.html(html);
  }

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
      if (!demoUser(body.user)) return c.json({ error: { code: "unknown_user", message: "No such demo user." } }, 400);
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

  return {
    app: site,
    setOwnPort: (port: number) => {
      ownPort = String(port);
    },
  };
}

const demoUser = (key: unknown) => (typeof key === "string" && Object.hasOwn(DEMO_USERS, key) ? DEMO_USERS[key] : undefined);

/** JSON that is safe inside a <script> element. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
