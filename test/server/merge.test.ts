// Login merges, safely: a browser's anonymous conversation is folded into user U's when — and only
// when — that browser presents a verified claim for U. Messages keep their order and their own
// verdicts, the operator sees a note, the visitor sees one thread. Idempotent, and one merge when
// two tabs (or two processes, on PostgreSQL) present the claim at once. On both storages.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../contract/wire.ts";
import type { Db } from "../../server/db/db.ts";
import { migrate } from "../../server/db/migrations.ts";
import { openPostgres } from "../../server/db/postgres.ts";
import { createApi } from "../../server/http/api.ts";
import { silentLogger } from "../../server/log.ts";
import { userHash } from "../../server/sign.ts";
import { Store, type App } from "../../server/store.ts";
import { NO_LIMITS, uid } from "../support/api.ts";
import { openTestDb, testDatabaseUrl } from "../support/database.ts";
import { callApi } from "../support/http.ts";

const ADMIN = "merge-admin";
const masterKey = randomBytes(32);
let db: Db;
let other: Db | undefined;
let store: Store;
let api: ReturnType<typeof createApi>;
/** A second server on the same storage: another process on PostgreSQL (embedded storage has one owner). */
let api2: ReturnType<typeof createApi>;
let app: App;
let secret: string;

beforeAll(async () => {
  const url = await testDatabaseUrl();
  db = url ? await openPostgres(url) : await openTestDb();
  if (url) await migrate(db);
  store = new Store(db, masterKey);
  other = url ? await openPostgres(url) : undefined;
  api = createApi({ store, log: silentLogger, adminToken: ADMIN, limits: NO_LIMITS });
  api2 = other ? createApi({ store: new Store(other, masterKey), log: silentLogger, adminToken: ADMIN, limits: NO_LIMITS }) : api;
  app = await store.createApp("Merge", [], "optional");
  secret = (await store.createKey(app.id, "hash")).secret;
});
afterAll(async () => {
  await other?.close();
  await db?.close();
});

const verified = (userId: string) => ({ userId, userHash: userHash(secret, userId) });
const send = (visitorId: string, text: string, identity?: unknown, target = api) =>
  callApi<{ message: Message }>(target, `/v1/apps/${app.id}/messages`, { body: { visitorId, clientId: uid("c"), text, identity } });
const read = (visitorId: string, identity?: unknown, target = api) =>
  callApi<{ messages: Message[]; identity: { status: string } }>(target, `/v1/apps/${app.id}/conversation`, { body: { visitorId, identity } });
const admin = (path: string, body?: unknown) => callApi(api, `/v1/admin/apps/${app.id}${path}`, { auth: `Bearer ${ADMIN}`, ...(body ? { body } : {}) });
const conversations = async () => (await admin("/conversations")).body.conversations as { id: string; contact: { userId: string | null; visitorId: string } }[];
const thread = async (conversationId: string) => (await admin(`/conversations/${conversationId}/messages`)).body.messages as Message[];
const userConversation = async (userId: string) => (await conversations()).filter((c) => c.contact.userId === userId);
const visitorConversation = async (visitorId: string) => (await conversations()).filter((c) => c.contact.userId === null && c.contact.visitorId === visitorId);

describe("login merges", () => {
  it("anonymous question, operator reply, sign-in (a read): one thread for the visitor, the note for the operator", async () => {
    const visitorId = uid("v");
    const userId = uid("u");
    await send(visitorId, "where is my order?");
    const [anonymous] = await visitorConversation(visitorId);
    await admin(`/conversations/${anonymous!.id}/replies`, { text: "sign in and I'll check" });

    const signedIn = await read(visitorId, verified(userId));
    expect(signedIn.body.identity.status).toBe("verified");
    expect(signedIn.body.messages.map((m) => [m.text, m.author.type])).toEqual([
      ["where is my order?", "visitor"],
      ["sign in and I'll check", "operator"],
    ]);
    expect(await visitorConversation(visitorId)).toEqual([]);
    const [mine, ...more] = await userConversation(userId);
    expect(more).toEqual([]);
    const operatorView = await thread(mine!.id);
    expect(operatorView.map((m) => m.author.type)).toEqual(["visitor", "operator", "note"]);
    expect(operatorView[0]!.identity).toEqual({ status: "anonymous" });
    expect(operatorView[2]!.text).toMatch(new RegExp(`^Merged from anonymous visitor ${visitorId} at \\d{4}-\\d\\d-\\d\\dT.+Z: 2 messages`));

    // On another device, the same user sees the same thread; the note never reaches a visitor.
    expect((await read(uid("v"), verified(userId))).body.messages.map((m) => m.text)).toEqual(["where is my order?", "sign in and I'll check"]);
  });

  it("folds into the user's existing thread, in the order things arrived", async () => {
    const userId = uid("u");
    await send(uid("v"), "from the laptop, signed in", verified(userId));
    const phone = uid("v");
    await send(phone, "from the phone, before signing in");
    await send(phone, "and signed in now", verified(userId));
    const [mine] = await userConversation(userId);
    expect((await thread(mine!.id)).map((m) => m.text.slice(0, 21))).toEqual([
      "from the laptop, sign",
      "from the phone, befor",
      "Merged from anonymous",
      "and signed in now",
    ]);
  });

  it("never merges on an unverified id (mode optional), a rejected claim, a name or an email", async () => {
    const visitorId = uid("v");
    const userId = uid("u");
    await send(visitorId, "anonymous first");
    await read(visitorId, { userId, name: "Olive", email: "olive@example.com" }); // unverified in mode optional
    await read(visitorId, { userId, userHash: "00".repeat(32) }); // rejected
    await send(visitorId, "claims to be them", { userId, userHash: "00".repeat(32) });
    expect(await userConversation(userId)).toEqual([]);
    const [anonymous] = await visitorConversation(visitorId);
    expect((await thread(anonymous!.id)).map((m) => m.text)).toEqual(["anonymous first", "claims to be them"]);
  });

  it("is idempotent: a second sign-in, or a message after it, merges nothing more", async () => {
    const visitorId = uid("v");
    const userId = uid("u");
    await send(visitorId, "hello");
    await read(visitorId, verified(userId));
    await read(visitorId, verified(userId));
    await send(visitorId, "again", verified(userId));
    const [mine] = await userConversation(userId);
    expect((await thread(mine!.id)).map((m) => m.author.type)).toEqual(["visitor", "note", "visitor"]);
  });

  it("two tabs and two servers presenting the claim at once: one merge, nothing duplicated or lost", async () => {
    const visitorId = uid("v");
    const userId = uid("u");
    const before = ["one", "two", "three"];
    for (const text of before) await send(visitorId, text);
    const claim = verified(userId);
    const results = await Promise.all([
      read(visitorId, claim),
      read(visitorId, claim, api2),
      send(visitorId, "tab A", claim),
      send(visitorId, "tab B", claim, api2),
      read(visitorId, claim),
      read(visitorId, claim, api2),
    ]);
    for (const r of results) expect(r.status).toBeLessThan(300);
    const [mine, ...more] = await userConversation(userId);
    expect(more).toEqual([]);
    const texts = (await thread(mine!.id)).map((m) => (m.author.type === "note" ? "note" : m.text));
    expect(texts.filter((t) => t === "note")).toHaveLength(1);
    expect(texts.filter((t) => t !== "note").sort()).toEqual([...before, "tab A", "tab B"].sort());
    // The three anonymous messages keep their order.
    expect(texts.filter((t) => before.includes(t))).toEqual(before);
    expect(await visitorConversation(visitorId)).toEqual([]);
  });
});
