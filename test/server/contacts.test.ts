// Verified contacts, on both storages: a contact per (app, user) holds the verified attributes of
// the user's latest verified claim (a payload's fields but its id, a token's claims but the
// registered ones) and when they were proven, and apart from them a user hash's unproven hints.
// Every verified request writes it — a message, a read, What's new — in the statement that does
// the request's work; a rejected or unverified claim never does. Conversations point at their
// contact; existing data comes along when the migration runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_KINDS, type KeyKind } from "../../contract/claim.ts";
import type { Db } from "../../server/db/db.ts";
import { migrate } from "../../server/db/migrations.ts";
import { openEmbedded } from "../../server/db/pglite.ts";
import { openPostgres } from "../../server/db/postgres.ts";
import { createApi } from "../../server/http/api.ts";
import { DEFAULT_RATE_LIMITS } from "../../server/config.ts";
import { silentLogger } from "../../server/log.ts";
import { createJwt, createToken, signPayload, userHash } from "../../server/sign.ts";
import type { Store } from "../../server/store.ts";
import type { App } from "../../server/storage/apps.ts";
import type { Contact } from "../../server/storage/contacts.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { testDatabaseUrl } from "../support/database.ts";
import { callApi } from "../support/http.ts";

const ADMIN = "contacts-admin";
let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let app: App;
let keys: Record<KeyKind, string>;

beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: ADMIN, limits: NO_LIMITS }));
  app = await store.createApp("Contacts", [], "optional");
  keys = {} as typeof keys;
  for (const kind of KEY_KINDS) keys[kind] = (await store.createKey(app.id, kind)).secret;
});
afterAll(async () => {
  await db?.close();
});

const contact = async (userId: string) => {
  const res = await callApi<{ contact: Contact }>(api, `/v1/admin/apps/${app.id}/contacts/${encodeURIComponent(userId)}`, { auth: `Bearer ${ADMIN}` });
  return res.status === 404 ? (expect(res.body.error!.code).toBe("contact_not_found"), undefined) : res.body.contact;
};
const send = (identity: unknown, visitorId = uid("v")) => callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId: uid("c"), text: "hello", identity } });
const read = (identity: unknown, visitorId = uid("v")) => callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId, identity } });
const news = (identity: unknown, visitorId = uid("v")) => callApi(api, `/v1/apps/${app.id}/announcements/query`, { body: { visitorId, identity } });
const payload = (userId: string, fields: Record<string, unknown>) => signPayload(keys.payload, { id: userId, ...fields });
const hash = (userId: string, hints: Record<string, unknown> = {}) => ({ userId, userHash: userHash(keys.hash, userId), ...hints });

describe("what a verified claim writes", () => {
  it("a signed payload: every field but the id, verified, with when; no hints; the conversation points at the contact", async () => {
    const userId = uid("u");
    const before = Date.now();
    const sent = await send(payload(userId, { name: "Ada", email: "ada@example.com", plan: "pro", seats: 3, beta: true }));
    expect(sent.status).toBe(201);
    const found = await contact(userId);
    expect(found).toEqual({ userId, attributes: { name: "Ada", email: "ada@example.com", plan: "pro", seats: 3, beta: true }, hints: {}, lastVerifiedAt: expect.any(String) });
    expect(Date.parse(found!.lastVerifiedAt)).toBeGreaterThanOrEqual(before - 5_000);
    const [row] = await db.query<{ contact_id: string | null; user_id: string }>(
      `SELECT cv.contact_id, ct.user_id FROM conversations cv JOIN contacts ct ON ct.id = cv.contact_id WHERE cv.app_id = $1 AND cv.key = $2`,
      [app.id, `user:${userId}`],
    );
    expect(row).toMatchObject({ user_id: userId });
  });

  it("a token, HMAC or JWT: every claim but the registered ones", async () => {
    const userId = uid("u");
    await send({ token: createToken(keys.token, { sub: userId, app: app.id, claims: { plan: "enterprise", company: "acme", jti: "j1", iss: "me", aud: "you", nbf: 1 } }) });
    expect((await contact(userId))!.attributes).toEqual({ plan: "enterprise", company: "acme" });
    await send({ token: await createJwt(keys.token, { sub: userId, app: app.id, claims: { plan: "pro" } }) });
    expect((await contact(userId))!.attributes).toEqual({ plan: "pro" });
  });

  it("a user hash: no attributes — it proves the id alone — and its name and email kept apart, as hints", async () => {
    const userId = uid("u");
    await send(hash(userId, { name: "Bob", email: "bob@example.com", plan: "pro" }));
    expect(await contact(userId)).toMatchObject({ userId, attributes: {}, hints: { name: "Bob", email: "bob@example.com" } });
    // Hints add up: a later hash with only a name keeps the email.
    await send(hash(userId, { name: "Robert" }));
    expect((await contact(userId))!.hints).toEqual({ name: "Robert", email: "bob@example.com" });
  });

  it("a newer verified claim replaces the attributes, whole, and moves the time of proof", async () => {
    const userId = uid("u");
    await send(payload(userId, { plan: "pro", company: "acme" }));
    const first = (await contact(userId))!;
    await new Promise((r) => setTimeout(r, 20));
    await send(payload(userId, { plan: "free" }));
    const second = (await contact(userId))!;
    expect(second.attributes).toEqual({ plan: "free" });
    expect(Date.parse(second.lastVerifiedAt)).toBeGreaterThan(Date.parse(first.lastVerifiedAt));
    // A user hash is a verified claim that proves no attribute: the contact says so, hints apart.
    await send(hash(userId, { name: "Ada" }));
    expect(await contact(userId)).toMatchObject({ attributes: {}, hints: { name: "Ada" } });
  });

  it("every verified request writes it: a read of the conversation, and What's new", async () => {
    const reader = uid("u");
    expect((await read(payload(reader, { plan: "pro" }))).status).toBe(200);
    expect((await contact(reader))!.attributes).toEqual({ plan: "pro" });
    const newsReader = uid("u");
    expect((await news(payload(newsReader, { plan: "team" }))).status).toBe(200);
    expect((await contact(newsReader))!.attributes).toEqual({ plan: "team" });
  });

  it("signing in folds this browser's anonymous conversation into the user's, which points at the contact", async () => {
    const visitorId = uid("v");
    const userId = uid("u");
    await send(undefined, visitorId);
    await send(payload(userId, { plan: "pro" }), visitorId);
    expect((await contact(userId))!.attributes).toEqual({ plan: "pro" });
    const rows = await db.query<{ key: string; contact_id: string | null }>(`SELECT key, contact_id FROM conversations WHERE app_id = $1 AND key IN ($2, $3)`, [app.id, `user:${userId}`, `visitor:${visitorId}`]);
    expect(rows).toEqual([{ key: `user:${userId}`, contact_id: expect.stringMatching(/^contact_/) }]);
  });
});

describe("what never writes a verified attribute", () => {
  it("a rejected claim: a payload edited to say enterprise changes nothing, and names no new contact", async () => {
    const userId = uid("u");
    const genuine = payload(userId, { plan: "free" });
    await send(genuine);
    const before = (await contact(userId))!;
    const forged = { ...genuine, payload: genuine.payload.replace('"free"', '"enterprise"') };
    for (const request of [send, read, news]) expect((await request(forged)).status).toBeLessThan(300);
    expect(await contact(userId)).toEqual(before);
    const stranger = uid("u");
    await send({ ...payload(stranger, { plan: "pro" }), signature: "0".repeat(64) });
    await send({ userId: stranger, userHash: "0".repeat(64), name: "Mallory" });
    expect(await contact(stranger)).toBeUndefined();
  });

  it("an unverified claim (mode optional): a bare userId with hints writes no contact, and leaves an existing one be", async () => {
    const userId = uid("u");
    const res = await send({ userId, name: "Mallory", email: "m@evil.example", plan: "enterprise" });
    expect(res.body.identity.status).toBe("unverified");
    expect(await contact(userId)).toBeUndefined();
    await send(payload(userId, { plan: "free" }));
    const before = (await contact(userId))!;
    await send({ userId, name: "Mallory", plan: "enterprise" });
    await read({ userId, name: "Mallory" });
    await news({ userId, name: "Mallory" });
    expect(await contact(userId)).toEqual(before);
  });

  it("a request over a rate limit: refused, and nothing written", async () => {
    const limited = createApi({ store, log: silentLogger, limits: { ...DEFAULT_RATE_LIMITS, visitorPerMinute: 1 } });
    const visitorId = uid("v");
    const userId = uid("u");
    const statuses: number[] = [];
    for (let i = 0; i < 3 && statuses.at(-1) !== 429; i++) {
      statuses.push((await callApi(limited, `/v1/apps/${app.id}/conversation`, { body: { visitorId, identity: payload(userId, { plan: `try ${i}` }) } })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    const refused = `try ${statuses.length - 1}`;
    expect((await contact(userId))?.attributes.plan).not.toBe(refused);
    for (const path of ["messages", "announcements/query"]) {
      const other = uid("u");
      const res = await callApi(limited, `/v1/apps/${app.id}/${path}`, { body: { visitorId, clientId: uid("c"), text: "hi", identity: payload(other, { plan: "pro" }) } });
      expect(res.status).toBe(429);
      expect(await contact(other)).toBeUndefined();
    }
  });
});

describe("the operator's view", () => {
  it("404 contact_not_found for a user no verified claim named; the token is required; another app's contact is not this one's", async () => {
    expect(await contact("u_never_seen")).toBeUndefined();
    const userId = uid("u");
    await send(payload(userId, { plan: "pro" }));
    expect((await callApi(api, `/v1/admin/apps/${app.id}/contacts/${userId}`)).status).toBe(401);
    const other = await store.createApp("Other", [], "required");
    const res = await callApi(api, `/v1/admin/apps/${other.id}/contacts/${userId}`, { auth: `Bearer ${ADMIN}` });
    expect([res.status, res.body.error.code]).toEqual([404, "contact_not_found"]);
  });

  it("a user id with characters a path must escape is found by its escaped form", async () => {
    const userId = "ada@example.com/ü 1";
    await send(payload(userId, { plan: "pro" }));
    expect((await contact(userId))!.userId).toBe(userId);
  });
});

describe("the migration", () => {
  it("brings existing conversations' users along: a proof's name and email as attributes, a hash's as hints, each conversation pointing at its contact", async () => {
    const url = await testDatabaseUrl();
    const old = url ? await openPostgres(url) : await openEmbedded(undefined);
    try {
      // The version before contacts (migration 6), with data as it wrote it.
      await migrate(old, 5);
      await old.query(`INSERT INTO apps (id, name) VALUES ('app_old', 'Old')`);
      const conv = (id: string, key: string, user: string | null, verified: boolean, name: string | null, email: string | null, detailsVerified: boolean) =>
        old.query(`INSERT INTO conversations (id, app_id, key, visitor_id, user_id, verified, name, email, details_verified) VALUES ($1, 'app_old', $2, 'v_old', $3, $4, $5, $6, $7)`, [id, key, user, verified, name, email, detailsVerified]);
      await conv("conv_payload", "user:u_payload", "u_payload", true, "Ada", "ada@example.com", true);
      await conv("conv_hash", "user:u_hash", "u_hash", true, "Bob", null, false);
      await conv("conv_unverified", "visitor:v_1", "u_claimed", false, "Mallory", null, false);
      await conv("conv_anonymous", "visitor:v_2", null, false, null, null, false);
      await old.query(`INSERT INTO messages (id, app_id, conversation_id, author_type, visitor_id, user_id, verified, text, created_at) VALUES ('msg_1', 'app_old', 'conv_payload', 'visitor', 'v_old', 'u_payload', true, 'hi', '2024-01-02T03:04:05Z')`);

      await migrate(old);
      const contacts = await old.query<{ user_id: string; attributes: unknown; hints: unknown; last_verified_at: Date }>(`SELECT user_id, attributes, hints, last_verified_at FROM contacts ORDER BY user_id`);
      expect(contacts.map((c) => [c.user_id, c.attributes, c.hints])).toEqual([
        ["u_hash", {}, { name: "Bob" }],
        ["u_payload", { name: "Ada", email: "ada@example.com" }, {}],
      ]);
      expect(new Date(contacts[1]!.last_verified_at).toISOString()).toBe("2024-01-02T03:04:05.000Z");
      const pointers = await old.query<{ id: string; user_id: string | null }>(`SELECT cv.id, ct.user_id FROM conversations cv LEFT JOIN contacts ct ON ct.id = cv.contact_id ORDER BY cv.id`);
      expect(pointers).toEqual([
        { id: "conv_anonymous", user_id: null },
        { id: "conv_hash", user_id: "u_hash" },
        { id: "conv_payload", user_id: "u_payload" },
        { id: "conv_unverified", user_id: null },
      ]);
    } finally {
      await old.close();
    }
  });
});
