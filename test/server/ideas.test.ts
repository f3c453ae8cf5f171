// The ideas board over HTTP, on both storages. Reading is open to every visitor of an allowed
// origin; suggesting, voting and commenting need a verified claim — anonymous, unverified, forged,
// expired or another app's claims get 403 verification_required with the verdict, and change
// nothing. One vote per verified user per idea whatever the device (two devices at once: one
// vote; 50 voters at once: 50); vote and unvote are idempotent; a clientId never makes two ideas or
// comments. The operator lists ideas with their verified voters and attributes, and sets statuses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommentResponse, IdeaResponse, IdeasResponse, IdeaThreadResponse, VerificationRequired } from "../../contract/wire.ts";
import { KEY_KINDS, type KeyKind } from "../../contract/claim.ts";
import { DEFAULT_RATE_LIMITS } from "../../server/config.ts";
import { createApi } from "../../server/http/api.ts";
import { silentLogger } from "../../server/log.ts";
import { createJwt, createToken, signPayload, userHash } from "../../server/sign.ts";
import type { Store } from "../../server/store.ts";
import type { App } from "../../server/storage/apps.ts";
import type { OperatorIdea } from "../../server/storage/ideas.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi, type CallOptions } from "../support/http.ts";

const ADMIN = "ideas-admin";
const SITE = "https://shop.example";

let store: Store;
let api: ReturnType<typeof createApi>;
let close: () => Promise<void>;
let app: App;
let keys: Record<KeyKind, string>;
let otherApp: App;
let otherKeys: Record<KeyKind, string>;
let optionalApp: App;

const admin = <T = any>(path: string, opts: CallOptions = {}, appId = app.id) => callApi<T>(api, `/v1/admin/apps/${appId}${path}`, { auth: `Bearer ${ADMIN}`, ...opts });
const visitor = <T = any>(path: string, body: Record<string, unknown>, opts: CallOptions = {}, appId = app.id) =>
  callApi<T>(api, `/v1/apps/${appId}/${path}`, { body: Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)), origin: SITE, ...opts });

const board = (identity?: unknown, sort?: "top" | "new", visitorId = uid("v")) => visitor<IdeasResponse>("ideas/query", { visitorId, identity, sort });
const suggest = (identity: unknown, title: string, extra: { body?: string; clientId?: string; visitorId?: string } = {}) =>
  visitor<IdeaResponse>("ideas", { visitorId: extra.visitorId ?? uid("v"), clientId: extra.clientId ?? uid("c"), title, body: extra.body, identity });
const vote = (ideaId: string, identity: unknown, up = true, visitorId = uid("v")) => visitor<IdeaResponse>(`ideas/${encodeURIComponent(ideaId)}/vote`, { visitorId, identity, up });
const comment = (ideaId: string, identity: unknown, text: string, clientId = uid("c")) => visitor<CommentResponse>(`ideas/${encodeURIComponent(ideaId)}/comments`, { visitorId: uid("v"), clientId, text, identity });
const thread = (ideaId: string, identity?: unknown) => visitor<IdeaThreadResponse>(`ideas/${encodeURIComponent(ideaId)}`, { visitorId: uid("v"), identity });

const operatorList = async () => (await admin<{ ideas: OperatorIdea[] }>("/ideas")).body.ideas;
const operatorIdea = async (id: string) => (await operatorList()).find((i) => i.id === id)!;
/** An idea the operator posts: a fresh one per test, so no test reads what another left. */
const posted = async (title = uid("Idea")) => {
  const res = await admin<{ idea: OperatorIdea }>("/ideas", { body: { title } });
  expect(res.status).toBe(201);
  return res.body.idea;
};

const hash = (userId: string, extra: Record<string, unknown> = {}) => ({ userId, userHash: userHash(keys.hash, userId), ...extra });
const payload = (userId: string, fields: Record<string, unknown> = {}) => signPayload(keys.payload, { id: userId, ...fields });
const token = (userId: string, claims: Record<string, unknown> = {}) => ({ token: createToken(keys.token, { sub: userId, app: app.id, claims }) });

beforeAll(async () => {
  const opened = await openTestApi({ adminToken: ADMIN, limits: NO_LIMITS });
  ({ store, api } = opened);
  close = () => opened.db.close();
  app = await store.createApp("Ideas", [SITE], "required");
  otherApp = await store.createApp("Other", [SITE], "required");
  optionalApp = await store.createApp("Optional", [SITE], "optional");
  keys = {} as typeof keys;
  otherKeys = {} as typeof keys;
  for (const kind of KEY_KINDS) {
    keys[kind] = (await store.createKey(app.id, kind)).secret;
    otherKeys[kind] = (await store.createKey(otherApp.id, kind)).secret;
  }
});
afterAll(async () => {
  await close?.();
});

describe("reading the board", () => {
  it("is open to every visitor of an allowed origin: ideas with status, votes, comments; voted is the verified user's own", async () => {
    const idea = await posted();
    const ada = uid("u");
    expect((await vote(idea.id, hash(ada))).status).toBe(200);
    for (const identity of [undefined, { userId: ada }, { ...hash(ada), userHash: "0".repeat(64) }]) {
      const res = await board(identity);
      expect(res.status).toBe(200);
      expect(res.body.ideas.find((i) => i.id === idea.id)).toEqual({ id: idea.id, title: idea.title, body: "", status: "open", votes: 1, voted: false, comments: 0, createdAt: expect.any(String), author: {} });
    }
    expect((await board(hash(ada))).body.ideas.find((i) => i.id === idea.id)).toMatchObject({ votes: 1, voted: true });
    expect((await board(hash(uid("u")))).body.ideas.find((i) => i.id === idea.id)).toMatchObject({ votes: 1, voted: false });
    expect((await board(undefined)).body.identity).toEqual({ status: "anonymous" });
  });

  it("sorts by votes (newest first among equals), or newest first", async () => {
    const local = await store.createApp("Sorting", [SITE], "required");
    const secret = (await store.createKey(local.id, "hash")).secret;
    const as = (userId: string) => ({ userId, userHash: userHash(secret, userId) });
    const ids: string[] = [];
    for (const title of ["first", "second", "third"]) {
      const res = await visitor<IdeaResponse>("ideas", { visitorId: uid("v"), clientId: uid("c"), title, identity: as(uid("u")) }, {}, local.id);
      expect(res.status).toBe(201);
      ids.push(res.body.idea.id);
    }
    // Each has its author's vote; "first" gets two more.
    for (let i = 0; i < 2; i++) expect((await visitor(`ideas/${ids[0]}/vote`, { visitorId: uid("v"), identity: as(uid("u")), up: true }, {}, local.id)).status).toBe(200);
    const titles = async (sort?: "top" | "new") => (await visitor<IdeasResponse>("ideas/query", { visitorId: uid("v"), ...(sort ? { sort } : {}) }, {}, local.id)).body.ideas.map((i) => [i.title, i.votes]);
    expect(await titles()).toEqual([["first", 3], ["third", 1], ["second", 1]]);
    expect(await titles("top")).toEqual([["first", 3], ["third", 1], ["second", 1]]);
    expect(await titles("new")).toEqual([["third", 1], ["second", 1], ["first", 3]]);
  });

  it("an idea's thread: the idea and its comments, oldest first, with the names their proofs signed", async () => {
    const idea = await posted();
    const bob = uid("u");
    expect((await comment(idea.id, payload(bob, { name: "Bob Builder" }), "Me too")).status).toBe(201);
    expect((await comment(idea.id, hash(uid("u"), { name: "Not Proven" }), "And me")).status).toBe(201);
    expect((await admin(`/ideas/${idea.id}/comments`, { body: { text: "We are on it.", name: "Acme team" } })).status).toBe(201);
    const res = await thread(idea.id);
    expect(res.status).toBe(200);
    expect(res.body.idea).toMatchObject({ id: idea.id, comments: 3 });
    expect(res.body.comments.map((c) => [c.text, c.author])).toEqual([
      ["Me too", { type: "visitor", name: "Bob Builder" }],
      ["And me", { type: "visitor" }],
      ["We are on it.", { type: "operator", name: "Acme team" }],
    ]);
    // A comment's clientId is its author's business only.
    expect(res.body.comments.every((c) => c.clientId === undefined)).toBe(true);
    expect((await thread(idea.id, payload(bob))).body.comments[0]!.clientId).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain(bob);
  });

  it("an unknown idea is 404 idea_not_found, another app's idea too", async () => {
    const idea = await posted();
    for (const id of ["idea_nope1234", "x y", "é"]) {
      const res = await thread(id);
      expect([res.status, res.body.error?.code]).toEqual([404, "idea_not_found"]);
    }
    const elsewhere = await visitor(`ideas/${idea.id}`, { visitorId: uid("v") }, {}, otherApp.id);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([404, "idea_not_found"]);
    expect((await visitor<IdeasResponse>("ideas/query", { visitorId: uid("v") }, {}, otherApp.id)).body.ideas).toEqual([]);
  });
});

describe("only a verified user writes", () => {
  /** Every claim that is not a verified one of this app. */
  const notVerified = (): [string, unknown, string][] => {
    const userId = uid("u");
    const hour = Math.floor(Date.now() / 1000) - 7200;
    return [
      ["no claim", undefined, "anonymous"],
      ["a bare user id", { userId }, "rejected"],
      ["a forged hash", { userId, userHash: "0".repeat(64) }, "rejected"],
      ["a tampered payload", { ...payload(userId, { plan: "free" }), payload: JSON.stringify({ id: userId, plan: "pro" }) }, "rejected"],
      ["an expired token", { token: createToken(keys.token, { sub: userId, app: app.id, iat: hour, ttl: 3600 }) }, "rejected"],
      ["another app's hash", { userId, userHash: userHash(otherKeys.hash, userId) }, "rejected"],
      ["another app's token", { token: createToken(otherKeys.token, { sub: userId, app: otherApp.id }) }, "rejected"],
      ["garbage", { token: 42 }, "rejected"],
    ];
  };

  it("suggesting, voting and commenting with anything else: 403 verification_required with the verdict, and nothing changes", async () => {
    const idea = await posted();
    const before = await operatorIdea(idea.id);
    const boardBefore = (await board()).body.ideas;
    for (const [label, identity, status] of notVerified()) {
      const title = uid("Refused");
      for (const res of [await suggest(identity, title), await vote(idea.id, identity), await vote(idea.id, identity, false), await comment(idea.id, identity, "refused")]) {
        expect([res.status, res.body.error?.code], label).toEqual([403, "verification_required"]);
        const refused = res.body as unknown as VerificationRequired;
        expect(refused.identity.status, label).toBe(status);
        expect(refused.error.message).toMatch(/need a verified user/);
      }
    }
    expect(await operatorIdea(idea.id)).toEqual(before);
    expect((await board()).body.ideas).toEqual(boardBefore);
  });

  it("an unverified claim (mode optional) reads, and is refused a write", async () => {
    const res = await visitor("ideas", { visitorId: uid("v"), clientId: uid("c"), title: "Unverified", identity: { userId: uid("u") } }, {}, optionalApp.id);
    expect([res.status, res.body.error.code, (res.body as VerificationRequired).identity.status]).toEqual([403, "verification_required", "unverified"]);
    const read = await visitor<IdeasResponse>("ideas/query", { visitorId: uid("v"), identity: { userId: uid("u") } }, {}, optionalApp.id);
    expect([read.status, read.body.ideas, read.body.identity.status]).toEqual([200, [], "unverified"]);
  });

  it("each proof writes: a user hash, a signed payload, an HMAC token and a JWT", async () => {
    const jwt = { token: await createJwt(keys.token, { sub: uid("u"), app: app.id }) };
    for (const identity of [hash(uid("u")), payload(uid("u")), token(uid("u")), jwt]) {
      const res = await suggest(identity, uid("By proof"));
      expect([res.status, res.body.identity.status]).toEqual([201, "verified"]);
    }
  });

  it("a refused request still counts against the limits: over them it is 429, not 403", async () => {
    const limited = createApi({ store, log: silentLogger, limits: { ...DEFAULT_RATE_LIMITS, visitorPerMinute: 2 } });
    const idea = await posted();
    const visitorId = uid("v");
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await callApi(limited, `/v1/apps/${app.id}/ideas/${idea.id}/vote`, { body: { visitorId, up: true }, origin: SITE })).status);
    expect(statuses).toEqual([403, 403, 429]);
  });
});

describe("suggestions", () => {
  it("201 with the idea (its author's vote counted, the name its proof signed); the same clientId again is 200 with the same idea", async () => {
    const ada = uid("u");
    const clientId = uid("c");
    const first = await suggest(payload(ada, { name: "Ada Lovelace", plan: "pro" }), "  Dark mode for the widget  ", { body: "  At night, please.\n\nThanks  ", clientId });
    expect(first.status).toBe(201);
    expect(first.body.idea).toEqual({ id: expect.stringMatching(/^idea_/), title: "Dark mode for the widget", body: "At night, please.\n\nThanks", status: "open", votes: 1, voted: true, comments: 0, createdAt: expect.any(String), author: { name: "Ada Lovelace" } });
    const again = await suggest(payload(ada, { name: "Ada Lovelace" }), "Another title", { clientId });
    expect([again.status, again.body.idea]).toEqual([200, first.body.idea]);
    // A user hash's name is a hint the page gave: never shown to others.
    expect((await suggest(hash(uid("u"), { name: "The CEO" }), uid("Hinted"))).body.idea.author).toEqual({});
    expect((await operatorList()).filter((i) => i.title === "Dark mode for the widget")).toHaveLength(1);
  });

  it("one clientId sent at once from two tabs makes one idea; another user's clientId is a 409 that writes nothing", async () => {
    const ada = uid("u");
    const clientId = uid("c");
    const title = uid("Raced");
    const [a, b] = await Promise.all([suggest(hash(ada), title, { clientId }), suggest(hash(ada), title, { clientId })]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.idea).toEqual(b.body.idea);
    const theft = await suggest(hash(uid("u")), uid("Stolen"), { clientId });
    expect([theft.status, theft.body.error!.code]).toEqual([409, "client_id_conflict"]);
    const titles = (await operatorList()).map((i) => i.title);
    expect(titles.filter((t) => t === title)).toHaveLength(1);
    expect(titles.some((t) => t.startsWith("Stolen"))).toBe(false);
  });

  it("says what is wrong with a bad suggestion, and stores nothing", async () => {
    const identity = hash(uid("u"));
    const bad: [Record<string, unknown>, number, RegExp][] = [
      [{ title: "" }, 400, /^title must not be empty/],
      [{ title: "   " }, 400, /^title must not be empty/],
      [{ title: "x".repeat(121) }, 400, /^title must be at most 120 characters/],
      [{ title: "a\u0007b" }, 400, /^title must not contain control characters/],
      [{ title: 3 }, 400, /^title /],
      [{}, 400, /^title /],
      [{ title: "t", body: "x".repeat(4001) }, 400, /^body must be at most 4000/],
      [{ title: "t", body: "a\u0000b" }, 400, /^body must not contain the NUL character/],
      [{ title: "t", clientId: "short" }, 400, /^clientId /],
    ];
    for (const [fields, status, message] of bad) {
      const res = await visitor("ideas", { visitorId: uid("v"), clientId: uid("c"), identity, ...fields });
      expect([res.status, res.body.error.code], JSON.stringify(fields)).toEqual([status, "invalid_request"]);
      expect(res.body.error.message).toMatch(message);
    }
    // A title of exactly the most is fine.
    expect((await suggest(identity, "x".repeat(120))).status).toBe(201);
    const invalid = await callApi(api, `/v1/apps/${app.id}/ideas`, { raw: "{", origin: SITE });
    expect([invalid.status, invalid.body.error.code]).toEqual([400, "invalid_json"]);
  });
});

describe("votes", () => {
  it("vote and unvote are idempotent: twice up is one vote, twice down is none", async () => {
    const idea = await posted();
    const ada = hash(uid("u"));
    for (const [up, votes] of [[true, 1], [true, 1], [false, 0], [false, 0], [true, 1]] as const) {
      const res = await vote(idea.id, ada, up);
      expect([res.status, res.body.idea.votes, res.body.idea.voted, res.body.identity.status]).toEqual([200, votes, up, "verified"]);
    }
  });

  it("one vote per verified user, whatever the device or the proof: two devices at once make one vote", async () => {
    const idea = await posted();
    const ada = uid("u");
    const laptop = uid("v");
    const phone = uid("v");
    const results = await Promise.all([vote(idea.id, hash(ada), true, laptop), vote(idea.id, payload(ada, { plan: "pro" }), true, phone), vote(idea.id, token(ada), true, phone), vote(idea.id, hash(ada), true, laptop)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await operatorIdea(idea.id)).votes).toBe(1);
    // The phone sees the laptop's vote as its own.
    expect((await board(hash(ada), "new", phone)).body.ideas.find((i) => i.id === idea.id)).toMatchObject({ votes: 1, voted: true });
  });

  it("50 voters at once make exactly 50 votes, each once in the operator's list", async () => {
    const idea = await posted();
    const users = Array.from({ length: 50 }, () => uid("u"));
    const results = await Promise.all(users.map((u) => vote(idea.id, hash(u))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const listed = await operatorIdea(idea.id);
    expect(listed.votes).toBe(50);
    expect(listed.voters.map((v) => v.userId).sort()).toEqual([...users].sort());
    // Half of them take their vote back, at once, each twice.
    await Promise.all(users.slice(0, 25).flatMap((u) => [vote(idea.id, hash(u), false), vote(idea.id, hash(u), false)]));
    expect((await operatorIdea(idea.id)).votes).toBe(25);
  });

  it("an unknown idea is 404; a vote that is not true or false is 400", async () => {
    const identity = hash(uid("u"));
    const unknown = await vote("idea_nope1234", identity);
    expect([unknown.status, unknown.body.error!.code]).toEqual([404, "idea_not_found"]);
    const idea = await posted();
    const elsewhere = await visitor(`ideas/${idea.id}/vote`, { visitorId: uid("v"), identity: { userId: "u1", userHash: userHash(otherKeys.hash, "u1") }, up: true }, {}, otherApp.id);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([404, "idea_not_found"]);
    for (const up of [undefined, "yes", 1]) {
      const res = await visitor(`ideas/${idea.id}/vote`, { visitorId: uid("v"), identity, up });
      expect([res.status, res.body.error.code, res.body.error.message]).toEqual([400, "invalid_request", "up must be true (vote) or false (take the vote back)"]);
    }
    expect((await operatorIdea(idea.id)).votes).toBe(0);
  });
});

describe("comments", () => {
  it("201 with the comment; the same clientId again is 200 with the same one; the count follows", async () => {
    const idea = await posted();
    const bob = payload(uid("u"), { name: "Bob" });
    const clientId = uid("c");
    const first = await comment(idea.id, bob, "  Yes please  ", clientId);
    expect(first.status).toBe(201);
    expect(first.body.comment).toEqual({ id: expect.stringMatching(/^cmt_/), clientId, text: "Yes please", createdAt: expect.any(String), author: { type: "visitor", name: "Bob" } });
    const again = await comment(idea.id, bob, "Yes please", clientId);
    expect([again.status, again.body.comment]).toEqual([200, first.body.comment]);
    expect((await thread(idea.id)).body.idea.comments).toBe(1);
  });

  it("another user's clientId, or one used on another idea, is a 409; an unknown idea is 404; bad text is 400", async () => {
    const idea = await posted();
    const other = await posted();
    const ada = hash(uid("u"));
    const clientId = uid("c");
    expect((await comment(idea.id, ada, "mine", clientId)).status).toBe(201);
    expect((await comment(idea.id, hash(uid("u")), "theirs", clientId)).body.error!.code).toBe("client_id_conflict");
    expect((await comment(other.id, ada, "elsewhere", clientId)).body.error!.code).toBe("client_id_conflict");
    expect((await comment("idea_nope1234", ada, "lost")).body.error!.code).toBe("idea_not_found");
    for (const text of ["", "  ", "x".repeat(4001)]) expect((await comment(idea.id, ada, text)).status).toBe(400);
    expect((await thread(idea.id)).body.comments.map((c) => c.text)).toEqual(["mine"]);
    expect((await thread(other.id)).body.comments).toEqual([]);
  });
});

describe("the operator", () => {
  it("lists every idea, most voted first, with its verified voters and their verified attributes", async () => {
    const local = await store.createApp("Voters", [SITE], "required");
    const secret = (await store.createKey(local.id, "payload")).secret;
    const as = (userId: string, fields: Record<string, unknown>) => signPayload(secret, { id: userId, ...fields });
    const made = await visitor<IdeaResponse>("ideas", { visitorId: uid("v"), clientId: uid("c"), title: "SSO", identity: as("u_ada", { name: "Ada", plan: "pro" }) }, {}, local.id);
    const quiet = await admin<{ idea: OperatorIdea }>("/ideas", { body: { title: "CSV export", body: "All of it", status: "planned", name: "Acme team" } }, local.id);
    await visitor(`ideas/${made.body.idea.id}/vote`, { visitorId: uid("v"), identity: as("u_bob", { plan: "free" }), up: true }, {}, local.id);
    // A rejected claim naming a plan writes nothing: not a vote, not a contact.
    await visitor(`ideas/${made.body.idea.id}/vote`, { visitorId: uid("v"), identity: { ...as("u_eve", { plan: "free" }), payload: JSON.stringify({ id: "u_eve", plan: "pro" }) }, up: true }, {}, local.id);
    const { body, status } = await admin<{ ideas: OperatorIdea[] }>("/ideas", {}, local.id);
    expect(status).toBe(200);
    expect(body.ideas).toEqual([
      {
        id: made.body.idea.id,
        title: "SSO",
        body: "",
        status: "open",
        votes: 2,
        comments: 0,
        createdAt: expect.any(String),
        author: { type: "visitor", userId: "u_ada", name: "Ada" },
        voters: [
          { userId: "u_ada", attributes: { name: "Ada", plan: "pro" } },
          { userId: "u_bob", attributes: { plan: "free" } },
        ],
      },
      { id: quiet.body.idea.id, title: "CSV export", body: "All of it", status: "planned", votes: 0, comments: 0, createdAt: expect.any(String), author: { type: "operator", name: "Acme team" }, voters: [] },
    ]);
    // A voter's attributes are those of their latest verified claim.
    await visitor("ideas/query", { visitorId: uid("v"), identity: as("u_bob", { plan: "pro" }) }, {}, local.id);
    expect((await admin<{ ideas: OperatorIdea[] }>("/ideas", {}, local.id)).body.ideas[0]!.voters[1]).toEqual({ userId: "u_bob", attributes: { plan: "pro" } });
  });

  it("changes status, title and details; the widget reads the change", async () => {
    const idea = await posted();
    for (const status of ["planned", "in_progress", "done", "declined", "open"] as const) {
      const res = await admin<{ idea: OperatorIdea }>(`/ideas/${idea.id}`, { method: "PATCH", body: { status } });
      expect([res.status, res.body.idea.status]).toEqual([200, status]);
      expect((await thread(idea.id)).body.idea.status).toBe(status);
    }
    const edited = await admin<{ idea: OperatorIdea }>(`/ideas/${idea.id}`, { method: "PATCH", body: { title: "  Clearer title ", body: "Now with details." } });
    expect(edited.body.idea).toMatchObject({ id: idea.id, title: "Clearer title", body: "Now with details.", status: "open" });
    expect((await board()).body.ideas.find((i) => i.id === idea.id)).toMatchObject({ title: "Clearer title", body: "Now with details." });
  });

  it("says what is wrong: a bad status, nothing to change, an unknown idea or app, no token", async () => {
    const idea = await posted();
    const bad: [unknown, RegExp][] = [
      [{ status: "shipped" }, /^status must be one of open, planned, in_progress, done, declined/],
      [{}, /^must give status, title or body/],
      [{ title: "" }, /^title must not be empty/],
      [{ title: "x".repeat(121) }, /^title must be at most 120/],
      [{ votes: 1000 }, /votes/],
    ];
    for (const [body, message] of bad) {
      const res = await admin(`/ideas/${idea.id}`, { method: "PATCH", body });
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, "invalid_request"]);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await admin(`/ideas/idea_nope1234`, { method: "PATCH", body: { status: "done" } })).body.error).toEqual({ code: "idea_not_found", message: `No idea "idea_nope1234" in app "${app.id}".` });
    expect((await admin(`/ideas/${idea.id}`, { method: "PATCH", body: { status: "done" } }, otherApp.id)).body.error.code).toBe("idea_not_found");
    expect((await admin(`/ideas`, {}, "app_nope")).body.error.code).toBe("app_not_found");
    expect((await callApi(api, `/v1/admin/apps/${app.id}/ideas`)).status).toBe(401);
    expect((await admin(`/ideas`, { body: { title: "t", status: "someday" } })).status).toBe(400);
    expect((await admin(`/ideas/idea_nope1234/comments`, { body: { text: "hi" } })).status).toBe(404);
    expect((await operatorIdea(idea.id)).status).toBe("open");
  });

  it("deletes an idea with its votes and comments", async () => {
    const idea = await posted();
    await vote(idea.id, hash(uid("u")));
    await comment(idea.id, hash(uid("u")), "gone soon");
    expect((await admin(`/ideas/${idea.id}`, { method: "DELETE" })).body).toEqual({ id: idea.id, deleted: true });
    expect((await thread(idea.id)).status).toBe(404);
    expect((await admin(`/ideas/${idea.id}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("the visitor routes' rules", () => {
  it("bodies are JSON as text/plain too (no preflight); another origin is refused readably; a preflight is answered", async () => {
    const plain = await suggest(hash(uid("u")), uid("Plain"), {});
    expect(plain.status).toBe(201);
    const asText = await visitor("ideas/query", { visitorId: uid("v") }, { headers: { "content-type": "text/plain;charset=UTF-8" } });
    expect(asText.status).toBe(200);
    const refused = await visitor("ideas/query", { visitorId: uid("v") }, { origin: "https://evil.example" });
    expect([refused.status, refused.body.error.code, refused.headers.get("access-control-allow-origin")]).toEqual([403, "origin_not_allowed", "https://evil.example"]);
    const preflight = await callApi(api, `/v1/apps/${app.id}/ideas/query`, { method: "OPTIONS", origin: SITE });
    expect(preflight.status).toBe(204);
    const badSort = await visitor("ideas/query", { visitorId: uid("v"), sort: "hot" });
    expect([badSort.status, badSort.body.error.message]).toEqual([400, 'sort must be "top" or "new"']);
  });

  it("rate limits count reads and writes as any other visitor request: over the limit, 429 with Retry-After and nothing written", async () => {
    const limited = createApi({ store, log: silentLogger, limits: { ...DEFAULT_RATE_LIMITS, visitorPerMinute: 3 } });
    const idea = await posted();
    const visitorId = uid("v");
    const identity = hash(uid("u"));
    const call = (path: string, body: Record<string, unknown>) => callApi(limited, `/v1/apps/${app.id}/${path}`, { body: { visitorId, identity, ...body }, origin: SITE });
    expect((await call("ideas/query", {})).status).toBe(200);
    expect((await call(`ideas/${idea.id}`, {})).status).toBe(200);
    expect((await call(`ideas/${idea.id}/vote`, { up: true })).status).toBe(200);
    const over = await call(`ideas/${idea.id}/comments`, { clientId: uid("c"), text: "too many" });
    expect([over.status, over.body.error.code]).toEqual([429, "rate_limited"]);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await call("ideas", { clientId: uid("c"), title: "too many" })).status).toBe(429);
    expect((await operatorIdea(idea.id)).comments).toBe(0);
  });

  it("as for messages, an address and the app have limits too: a client rotating visitor ids meets its address's, many addresses together the app's — refused writes counted", async () => {
    const local = await store.createApp("Ideas limits", [SITE], "required");
    const secret = (await store.createKey(local.id, "hash")).secret;
    const ada = { userId: "u_ada", userHash: userHash(secret, "u_ada") };
    const idea = (await admin<{ idea: OperatorIdea }>("/ideas", { body: { title: "Limited" } }, local.id)).body.idea;
    const now = Math.floor(Date.now() / 1000);
    const requests = (limits: typeof DEFAULT_RATE_LIMITS) => {
      const limited = createApi({ store, log: silentLogger, now: () => now, limits });
      const call = (path: string, body: Record<string, unknown>, peer: string) =>
        callApi(limited, `/v1/apps/${local.id}/${path}`, { body: { visitorId: uid("v"), ...body }, origin: SITE, peer }).then((r) => r.status);
      return [
        (peer: string) => call("ideas/query", {}, peer),
        (peer: string) => call(`ideas/${idea.id}/vote`, { up: true }, peer),
        (peer: string) => call(`ideas/${idea.id}/vote`, { identity: ada, up: true }, peer),
        (peer: string) => call(`ideas/${idea.id}/comments`, { identity: ada, clientId: uid("c"), text: "one more" }, peer),
        (peer: string) => call("ideas", { identity: ada, clientId: uid("c"), title: "One more" }, peer),
      ];
    };
    const byAddress = requests({ appPerMinute: 0, visitorPerMinute: 0, addressPerMinute: 3 });
    const one: number[] = [];
    for (const request of byAddress) one.push(await request("203.0.113.9"));
    expect(one).toEqual([200, 403, 200, 429, 429]);
    expect(await byAddress[0]!("198.51.100.9")).toBe(200);
    // The app's limit, over every address (a limit that is off counts nothing: the app's bucket starts empty).
    const byApp = requests({ appPerMinute: 3, visitorPerMinute: 0, addressPerMinute: 0 });
    const many: number[] = [];
    let n = 0;
    for (const request of byApp) many.push(await request(`198.51.100.${++n + 10}`));
    expect(many).toEqual([200, 403, 200, 429, 429]);
    const { body } = await admin<{ ideas: OperatorIdea[] }>("/ideas", {}, local.id);
    expect(body.ideas.map((i) => [i.title, i.votes, i.comments])).toEqual([["Limited", 1, 0]]);
  });
});
