// "What's new" over HTTP, on both storages: the operator publishes (for everyone, or for an
// audience over verified attributes), lists with reach and deletes; a visitor request sees exactly
// what its own verified claim's attributes match — a forged, hint-only, unverified or rejected
// claim sees only what is for everyone — and read state is per verified user on every device,
// else per browser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnnouncementsResponse, Audience } from "../../contract/wire.ts";
import { KEY_KINDS, type KeyKind } from "../../contract/claim.ts";
import { DEFAULT_RATE_LIMITS } from "../../server/config.ts";
import { createApi } from "../../server/http/api.ts";
import { silentLogger } from "../../server/log.ts";
import { createJwt, createToken, signPayload, userHash } from "../../server/sign.ts";
import type { Store } from "../../server/store.ts";
import type { App } from "../../server/storage/apps.ts";
import type { OperatorAnnouncement } from "../../server/storage/announcements.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi, type CallOptions } from "../support/http.ts";

const ADMIN = "news-admin";
const SITE = "https://shop.example";

let store: Store;
let api: ReturnType<typeof createApi>;
let close: () => Promise<void>;
let app: App;
let keys: Record<KeyKind, string>;
/** Published in beforeAll, oldest first. */
let everyone: OperatorAnnouncement;
let pro: OperatorAnnouncement;
let acmeTeams: OperatorAnnouncement;
let beta: OperatorAnnouncement;

const admin = <T = any>(path: string, opts: CallOptions = {}) => callApi<T>(api, `/v1/admin/apps/${app.id}${path}`, { auth: `Bearer ${ADMIN}`, ...opts });
const publish = async (title: string, audience?: Audience) => {
  const res = await admin<{ announcement: OperatorAnnouncement }>("/announcements", { body: { title, body: `${title}, in a few words.`, ...(audience ? { audience } : {}) } });
  expect(res.status).toBe(201);
  return res.body.announcement;
};
const query = (visitorId: string, identity?: unknown, opts: CallOptions = {}) =>
  callApi<AnnouncementsResponse>(api, `/v1/apps/${app.id}/announcements/query`, { body: { visitorId, ...(identity === undefined ? {} : { identity }) }, origin: SITE, ...opts });
const markRead = (id: string, visitorId: string, identity?: unknown) =>
  callApi(api, `/v1/apps/${app.id}/announcements/${encodeURIComponent(id)}/read`, { body: { visitorId, ...(identity === undefined ? {} : { identity }) }, origin: SITE });
const titles = async (visitorId: string, identity?: unknown) => {
  const res = await query(visitorId, identity);
  expect(res.status).toBe(200);
  return res.body.announcements.map((a) => a.title);
};

const payload = (userId: string, fields: Record<string, unknown>) => signPayload(keys.payload, { id: userId, ...fields });
const token = (userId: string, claims: Record<string, unknown>) => ({ token: createToken(keys.token, { sub: userId, app: app.id, claims }) });
const hash = (userId: string, extra: Record<string, unknown> = {}) => ({ userId, userHash: userHash(keys.hash, userId), ...extra });

beforeAll(async () => {
  const opened = await openTestApi({ adminToken: ADMIN, limits: NO_LIMITS });
  ({ store, api } = opened);
  close = () => opened.db.close();
  app = await store.createApp("News", [SITE], "required");
  keys = {} as typeof keys;
  for (const kind of KEY_KINDS) keys[kind] = (await store.createKey(app.id, kind)).secret;
  everyone = await publish("For everyone");
  pro = await publish("For Pro", { plan: ["pro"] });
  acmeTeams = await publish("For Acme on a paid plan", { plan: ["pro", "enterprise"], company: ["acme"] });
  beta = await publish("For the beta", { beta: ["true"] });
});
afterAll(async () => {
  await close?.();
});

describe("the operator API", () => {
  it("publishes with the audience given, lists newest first with audience and reach, and deletes", async () => {
    expect(everyone).toEqual({ id: expect.stringMatching(/^ann_/), title: "For everyone", body: "For everyone, in a few words.", audience: null, publishedAt: expect.any(String), reads: 0 });
    expect(pro.audience).toEqual({ plan: ["pro"] });
    const { body } = await admin<{ announcements: OperatorAnnouncement[] }>("/announcements");
    expect(body.announcements.map((a) => a.title)).toEqual(["For the beta", "For Acme on a paid plan", "For Pro", "For everyone"]);
    expect(body.announcements.find((a) => a.id === acmeTeams.id)).toMatchObject({ audience: { plan: ["pro", "enterprise"], company: ["acme"] }, reads: 0 });

    const doomed = await publish("A mistake");
    const visitorId = uid("v");
    expect(await titles(visitorId)).toContain("A mistake");
    expect(await admin(`/announcements/${doomed.id}`, { method: "DELETE" })).toMatchObject({ status: 200, body: { id: doomed.id, deleted: true } });
    expect(await titles(visitorId)).not.toContain("A mistake");
    expect((await admin(`/announcements/${doomed.id}`, { method: "DELETE" })).body.error.code).toBe("announcement_not_found");
    expect((await admin<{ announcements: OperatorAnnouncement[] }>("/announcements")).body.announcements.map((a) => a.id)).not.toContain(doomed.id);
  });

  it("says what is wrong with a bad announcement, in { error: { code, message } }", async () => {
    const bad: [unknown, RegExp][] = [
      [{ body: "b" }, /^title /],
      [{ title: "  ", body: "b" }, /^title must not be empty/],
      [{ title: "x".repeat(201), body: "b" }, /^title must be at most 200/],
      [{ title: "a\u0007b", body: "b" }, /^title must not contain control characters/],
      [{ title: "t" }, /^body /],
      [{ title: "t", body: " \n " }, /^body must not be empty/],
      [{ title: "t", body: "x".repeat(10_001) }, /^body must be at most 10000/],
      [{ title: "t", body: "a\u0000b" }, /^body must not contain the NUL character/],
      [{ title: "t", body: "b", audience: {} }, /^audience must name at least one attribute/],
      [{ title: "t", body: "b", audience: { plan: [] } }, /^audience\.plan must list 1 to 100 values/],
      [{ title: "t", body: "b", audience: { plan: "pro" } }, /^audience\.plan must be a list of values/],
      [{ title: "t", body: "b", audience: { plan: [3] } }, /^audience\.plan\.0 must be text/],
      [{ title: "t", body: "b", audience: ["plan"] }, /^audience must map attribute names to lists of values/],
      [{ title: "t", body: "b", audience: { plan: [""] } }, /^audience\.plan values must be 1 to 200 characters/],
      [{ title: "t", body: "b", audience: { "": ["x"] } }, /^audience may only name attributes of 1 to 100 characters/],
      [{ title: "t", body: "b", audience: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, ["v"]])) }, /^audience may name at most 20 attributes/],
      [{ title: "t", body: "b", publishAt: "tomorrow" }, /publishAt/],
    ];
    for (const [body, message] of bad) {
      const res = await admin("/announcements", { body });
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, "invalid_request"]);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await admin("/announcements", { raw: "{nope" })).body.error.code).toBe("invalid_json");
    expect((await callApi(api, `/v1/admin/apps/${app.id}/announcements`, { body: { title: "t", body: "b" } })).status).toBe(401);
    expect((await callApi(api, `/v1/admin/apps/app_nope/announcements`, { auth: `Bearer ${ADMIN}` })).body.error.code).toBe("app_not_found");
    expect((await admin(`/announcements/ann%20x`, { method: "DELETE" })).status).toBe(404);
  });

  it("null audience is everyone's", async () => {
    const res = await admin<{ announcement: OperatorAnnouncement }>("/announcements", { body: { title: "Null audience", body: "b", audience: null } });
    expect(res.body.announcement.audience).toBeNull();
    expect(await titles(uid("v"))).toContain("Null audience");
    await admin(`/announcements/${res.body.announcement.id}`, { method: "DELETE" });
  });
});

describe("who sees what: the request's own verified claim", () => {
  it("anonymous: only what is for everyone, each with exactly id, title, body, publishedAt and read", async () => {
    const res = await query(uid("v"));
    expect(res.body.identity).toEqual({ status: "anonymous" });
    expect(res.body.announcements).toEqual([{ id: everyone.id, title: "For everyone", body: "For everyone, in a few words.", publishedAt: everyone.publishedAt, read: false }]);
  });

  it("a signed payload: its plan and company decide, any listed value matching, every key required", async () => {
    expect(await titles(uid("v"), payload(uid("u"), { plan: "free" }))).toEqual(["For everyone"]);
    expect(await titles(uid("v"), payload(uid("u"), { plan: "pro" }))).toEqual(["For Pro", "For everyone"]);
    expect(await titles(uid("v"), payload(uid("u"), { plan: "pro", company: "acme" }))).toEqual(["For Acme on a paid plan", "For Pro", "For everyone"]);
    expect(await titles(uid("v"), payload(uid("u"), { plan: "enterprise", company: "acme" }))).toEqual(["For Acme on a paid plan", "For everyone"]);
    expect(await titles(uid("v"), payload(uid("u"), { plan: "enterprise", company: "globex" }))).toEqual(["For everyone"]);
    expect(await titles(uid("v"), payload(uid("u"), { beta: true }))).toEqual(["For the beta", "For everyone"]);
  });

  it("a token, HMAC or JWT: its claims decide the same way", async () => {
    expect(await titles(uid("v"), token(uid("u"), { plan: "pro" }))).toEqual(["For Pro", "For everyone"]);
    const jwt = await createJwt(keys.token, { sub: uid("u"), app: app.id, claims: { plan: "enterprise", company: "acme" } });
    expect(await titles(uid("v"), { token: jwt })).toEqual(["For Acme on a paid plan", "For everyone"]);
  });

  it("a forged plan sees nothing more: a payload edited to say pro is rejected, and rejected sees only what is for everyone", async () => {
    const genuine = payload("u_bob", { plan: "free" });
    const forged = { ...genuine, payload: genuine.payload.replace('"plan":"free"', '"plan":"pro"') };
    const res = await query(uid("v"), forged);
    expect(res.body.identity).toMatchObject({ status: "rejected", reason: "bad_signature" });
    expect(res.body.announcements.map((a) => a.title)).toEqual(["For everyone"]);
    // Signed with a key of another kind: the same.
    expect(await titles(uid("v"), signPayload(keys.hash, { id: "u_bob", plan: "pro" }))).toEqual(["For everyone"]);
  });

  it("hints never count: a verified user hash carrying plan, name or email sees only what is for everyone", async () => {
    const res = await query(uid("v"), hash(uid("u"), { plan: "pro", company: "acme", beta: "true", name: "pro", email: "pro@acme.example" }));
    expect(res.body.identity.status).toBe("verified");
    expect(res.body.announcements.map((a) => a.title)).toEqual(["For everyone"]);
  });

  it("the request's own claim, not the user's last one: a user proven pro earlier, asking with a free claim now, sees only what is for free", async () => {
    const userId = uid("u");
    expect(await titles(uid("v"), payload(userId, { plan: "pro" }))).toContain("For Pro");
    expect(await titles(uid("v"), payload(userId, { plan: "free" }))).toEqual(["For everyone"]);
    expect(await titles(uid("v"), hash(userId))).toEqual(["For everyone"]);
    expect(await titles(uid("v"))).toEqual(["For everyone"]);
  });

  it("mode optional: an unverified claim naming a plan sees only what is for everyone", async () => {
    await store.updateApp(app.id, { mode: "optional" });
    try {
      const res = await query(uid("v"), { userId: uid("u"), plan: "pro", name: "Pro" });
      expect(res.body.identity.status).toBe("unverified");
      expect(res.body.announcements.map((a) => a.title)).toEqual(["For everyone"]);
    } finally {
      await store.updateApp(app.id, { mode: "required" });
    }
  });
});

describe("read state", () => {
  it("per verified user, the same on every device; another user's is their own", async () => {
    const userId = uid("u");
    const laptop = uid("v");
    const phone = uid("v");
    const claim = () => payload(userId, { plan: "pro" });
    expect((await markRead(pro.id, laptop, claim())).status).toBe(204);
    const onPhone = (await query(phone, claim())).body.announcements;
    expect(onPhone.map((a) => [a.title, a.read])).toEqual([
      ["For Pro", true],
      ["For everyone", false],
    ]);
    // Another user on the same laptop has read nothing.
    expect((await query(laptop, payload(uid("u"), { plan: "pro" }))).body.announcements.every((a) => !a.read)).toBe(true);
    // Marking again changes nothing.
    expect((await markRead(pro.id, phone, claim())).status).toBe(204);
  });

  it("per browser otherwise: an anonymous visitor's reads are that browser's only, and never a user's", async () => {
    const visitorId = uid("v");
    expect((await markRead(everyone.id, visitorId)).status).toBe(204);
    expect((await query(visitorId)).body.announcements).toEqual([expect.objectContaining({ id: everyone.id, read: true })]);
    expect((await query(uid("v"))).body.announcements).toEqual([expect.objectContaining({ id: everyone.id, read: false })]);
    // A rejected claim reads and writes this browser's state, never the user's it names.
    const userId = uid("u");
    const forged = { ...payload(userId, { plan: "free" }), signature: "0".repeat(64) };
    const other = uid("v");
    expect((await markRead(everyone.id, other, forged)).status).toBe(204);
    expect((await query(uid("v"), payload(userId, { plan: "free" }))).body.announcements[0]!.read).toBe(false);
  });

  it("signing in keeps what this browser read: its reads become the user's, on every device", async () => {
    const visitorId = uid("v");
    const userId = uid("u");
    await markRead(everyone.id, visitorId);
    expect((await query(visitorId, hash(userId))).body.announcements).toEqual([expect.objectContaining({ id: everyone.id, read: true })]);
    expect((await query(uid("v"), hash(userId))).body.announcements).toEqual([expect.objectContaining({ id: everyone.id, read: true })]);
  });

  it("an announcement not for this request is as unknown as one that never was: 404, nothing marked", async () => {
    const visitorId = uid("v");
    for (const [id, identity] of [
      [pro.id, undefined],
      [pro.id, payload(uid("u"), { plan: "free" })],
      [acmeTeams.id, payload(uid("u"), { plan: "pro" })],
      ["ann_nope", undefined],
      ["not an id", undefined],
    ] as const) {
      const res = await markRead(id, visitorId, identity);
      expect([res.status, res.body.error.code]).toEqual([404, "announcement_not_found"]);
    }
    const reads = (await admin<{ announcements: OperatorAnnouncement[] }>("/announcements")).body.announcements;
    expect(reads.find((a) => a.id === acmeTeams.id)!.reads).toBe(0);
  });

  it("the operator's list counts each reader once: a user on two devices is one", async () => {
    const fresh = await publish("Counted");
    const userId = uid("u");
    await markRead(fresh.id, uid("v"), hash(userId));
    await markRead(fresh.id, uid("v"), hash(userId));
    await markRead(fresh.id, uid("v"));
    const listed = (await admin<{ announcements: OperatorAnnouncement[] }>("/announcements")).body.announcements.find((a) => a.id === fresh.id);
    expect(listed!.reads).toBe(2);
    await admin(`/announcements/${fresh.id}`, { method: "DELETE" });
  });
});

describe("the visitor routes' rules", () => {
  it("bodies are JSON as text/plain too (no preflight), and bad ones are 400s that say why", async () => {
    const visitorId = uid("v");
    const plain = await query(visitorId, payload(uid("u"), { plan: "pro" }), { headers: { "content-type": "text/plain;charset=UTF-8" } });
    expect(plain.body.announcements.map((a) => a.title)).toEqual(["For Pro", "For everyone"]);
    expect((await markRead(everyone.id, visitorId, undefined)).status).toBe(204);
    const bad = await callApi(api, `/v1/apps/${app.id}/announcements/query`, { raw: "{", origin: SITE });
    expect([bad.status, bad.body.error.code]).toEqual([400, "invalid_json"]);
    const noVisitor = await callApi(api, `/v1/apps/${app.id}/announcements/query`, { body: {}, origin: SITE });
    expect([noVisitor.status, noVisitor.body.error.code, noVisitor.body.error.message]).toEqual([400, "invalid_request", expect.stringMatching(/^visitorId /)]);
    const badRead = await callApi(api, `/v1/apps/${app.id}/announcements/${everyone.id}/read`, { body: { visitorId: "short" }, origin: SITE });
    expect([badRead.status, badRead.body.error.code]).toEqual([400, "invalid_request"]);
  });

  it("another origin is refused (readably), an unknown app is 404, a preflight is answered", async () => {
    const refused = await query(uid("v"), undefined, { origin: "https://evil.example" });
    expect([refused.status, refused.body.error!.code, refused.headers.get("access-control-allow-origin")]).toEqual([403, "origin_not_allowed", "https://evil.example"]);
    const unknown = await callApi(api, `/v1/apps/app_nope/announcements/query`, { body: { visitorId: uid("v") }, origin: SITE });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "app_not_found"]);
    const preflight = await callApi(api, `/v1/apps/${app.id}/announcements/query`, { method: "OPTIONS", origin: SITE });
    expect(preflight.status).toBe(204);
    const ok = await query(uid("v"));
    expect(ok.headers.get("access-control-allow-origin")).toBe(SITE);
  });

  it("bodies over the cap are 413", async () => {
    const small = createApi({ store, log: silentLogger, maxBodyBytes: 100 });
    const res = await callApi(small, `/v1/apps/${app.id}/announcements/query`, { body: { visitorId: uid("v"), identity: { payload: "x".repeat(200), signature: "0" } }, origin: SITE });
    expect([res.status, res.body.error.code]).toEqual([413, "body_too_large"]);
  });

  it("rate limits count these requests as any other visitor request: over the visitor's limit, 429 with Retry-After", async () => {
    const limited = createApi({ store, log: silentLogger, limits: { ...DEFAULT_RATE_LIMITS, visitorPerMinute: 2 } });
    const visitorId = uid("v");
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4 && statuses.at(-1) !== 429; i++) {
      last = await callApi(limited, `/v1/apps/${app.id}/announcements/${i % 2 ? `${everyone.id}/read` : "query"}`, { body: { visitorId }, origin: SITE });
      statuses.push(last.status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(last!.body.error.code).toBe("rate_limited");
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
