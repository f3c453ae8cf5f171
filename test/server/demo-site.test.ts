// The demo is not an open door: it answers only to its own host names (a DNS-rebinding name is
// refused), its session and proof routes only to its own pages, and it signs only its own users (a
// cookie of "constructor" finds nothing). It ships one key of each kind, hints on. It has no
// operator inbox of its own: its operator link opens the product's console.
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo } from "../../demo/site.ts";
import { Store } from "../../server/store.ts";
import { openTestDb } from "../support/database.ts";

let store: Store;
let demo: Awaited<ReturnType<typeof startDemo>>;
let dir: string;
let port: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-demo-"));
  store = new Store(await openTestDb(), randomBytes(32));
  demo = await startDemo({ store, apiUrl: "http://127.0.0.1:9", dataDir: dir, host: "127.0.0.1", sitePort: 0 });
  port = new URL(demo.siteUrl).port;
});
afterAll(async () => {
  await demo?.close();
  await store?.db.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(path: string, opts: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: opts.method ?? "GET", headers: { host: opts.host ?? `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}
const json = { "content-type": "application/json" };

describe("the demo site", () => {
  it("answers on 127.0.0.1 and localhost only: another Host (DNS rebinding) gets 421", async () => {
    expect((await call("/")).status).toBe(200);
    expect((await call("/", { host: `localhost:${port}` })).status).toBe(200);
    for (const host of [`evil.example:${port}`, "evil.example", `127.0.0.1:${Number(port) + 1}`]) {
      expect((await call("/", { host })).status).toBe(421);
      expect((await call("/parley-identity", { host, headers: { "sec-fetch-site": "same-origin" } })).status).toBe(421);
    }
  });

  it("refuses cross-site calls to its session and proof", async () => {
    const crossSite: Record<string, string>[] = [{ "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }, { origin: "https://evil.example" }];
    for (const headers of crossSite) {
      expect((await call("/session", { method: "POST", headers: { ...json, ...headers }, body: '{"user":"ada"}' })).status).toBe(403);
      expect((await call("/parley-identity", { headers })).status).toBe(403);
    }
    expect((await call("/session", { method: "POST", headers: { ...json, "sec-fetch-site": "same-origin", origin: `http://127.0.0.1:${port}` }, body: '{"user":"ada"}' })).status).toBe(204);
  });

  it("signs only its own users: inherited property names are not users", async () => {
    for (const user of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect((await call("/session", { method: "POST", headers: json, body: JSON.stringify({ user }) })).status).toBe(400);
      const identity = JSON.parse((await call("/parley-identity", { headers: { cookie: `demo_user=${user}` } })).body);
      expect(identity).toEqual({ identity: null });
    }
    const ada = JSON.parse((await call("/parley-identity", { headers: { cookie: "demo_user=ada" } })).body);
    expect(ada.identity).toMatchObject({ userId: "u_ada" });
  });

  it("has no operator inbox of its own: its operator link opens the console the API serves", async () => {
    expect((await call("/")).body).toContain('<a href="http://127.0.0.1:9/console" target="_blank" rel="noopener">Operator console ↗</a>');
    for (const path of ["/inbox", "/inbox.js", "/inbox/api/conversations"]) {
      expect((await call(path, { headers: { "sec-fetch-site": "same-origin" } })).status, path).toBe(404);
    }
  });

  it("ships one key of each kind, hints on", async () => {
    const config = JSON.parse(readFileSync(join(dir, "demo.json"), "utf8"));
    expect(Object.keys(config.secrets).sort()).toEqual(["hash", "payload", "token"]);
    expect((await store.listKeys(demo.appId)).map((k) => k.proof).sort()).toEqual(["hash", "payload", "token"]);
    expect(await store.getApp(demo.appId)).toMatchObject({ hints: true });
  });
});

describe("the demo's What's new", () => {
  it("ships one announcement for everyone and one for plan pro, published once: a restart adds none", async () => {
    const listed = async () => (await store.announcements.list(demo.appId)).map((a) => [a.title, a.audience]);
    expect(await listed()).toEqual([
      ["Pro: priority support", { plan: ["pro"] }],
      ["Dark mode is here", null],
    ]);
    const again = await startDemo({ store, apiUrl: "http://127.0.0.1:9", dataDir: dir, host: "127.0.0.1", sitePort: 0 });
    await again.close();
    expect(again.appId).toBe(demo.appId);
    expect(await listed()).toHaveLength(2);
  });
});

describe("the demo's Ideas board", () => {
  it("the page offers the Ideas tab, and the board ships a few ideas posted once, with no votes: a restart adds none", async () => {
    const page = (await call("/")).body;
    expect(page).toContain('"tabs":["chat","news","ideas"]');
    const listed = async () => (await store.ideas.list(demo.appId)).map((i) => [i.title, i.status, i.votes]);
    expect(await listed()).toEqual([
      ["Export invoices as CSV", "planned", 0],
      ["A Slack alert when a deploy fails", "in_progress", 0],
      ["Two-factor sign-in with a security key", "open", 0],
    ]);
    const again = await startDemo({ store, apiUrl: "http://127.0.0.1:9", dataDir: dir, host: "127.0.0.1", sitePort: 0 });
    await again.close();
    expect(await listed()).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(dir, "demo.json"), "utf8")).ideasPosted).toBe(true);
  });
});
