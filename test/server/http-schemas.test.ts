// Request bodies at their bounds, and the sentence a developer reads in each 400: the field's
// path, then its first problem. Ids, text, the long-poll's wait and cursor, operator replies and
// app settings. Nothing refused is stored. On both storages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";

const ADMIN = "t";
const ID_RULE = "must be 8 to 100 letters, digits, '-' or '_'";

let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let app: App;

beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: ADMIN, limits: NO_LIMITS, maxBodyBytes: 64 * 1024 }));
  app = await store.createApp("schemas", [], "required");
});
afterAll(async () => {
  await db?.close();
});

const send = (body: Record<string, unknown>) => callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId: uid("v"), clientId: uid("c"), text: "hi", ...body } });
const read = (body: Record<string, unknown>) => callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId: uid("v"), ...body } });
const admin = (path: string, body: unknown, method = "POST") => callApi(api, `/v1/admin/apps${path}`, { auth: `Bearer ${ADMIN}`, method, body });
const invalid = (message: string) => [400, { code: "invalid_request", message }];

describe("visitorId and clientId: 8 to 100 of A-Z a-z 0-9 - _", () => {
  it.each(["abcdefgh", "A-Z_0-9a", "x".repeat(100)])("%j is accepted", async (id) => {
    const res = await send({ visitorId: id, clientId: uid("c") });
    expect(res.status).toBe(201);
    expect(res.body.message.author.visitorId).toBe(id);
  });

  it.each(["abcdefg", "x".repeat(101), "abcdefgh.", ".abcdefgh", "abcd efgh", "abcdéfgh"])("%j is refused, naming the rule", async (id) => {
    const visitorId = await send({ visitorId: id });
    expect([visitorId.status, visitorId.body.error]).toEqual(invalid(`visitorId ${ID_RULE}`));
    const clientId = await send({ clientId: id });
    expect([clientId.status, clientId.body.error]).toEqual(invalid(`clientId ${ID_RULE}`));
  });
});

describe("text", () => {
  it("4000 characters are accepted, stored whole", async () => {
    const text = "é".repeat(4000);
    const res = await send({ text });
    expect(res.status).toBe(201);
    expect(res.body.message.text).toBe(text);
  });

  it.each<[string, string, string]>([
    ["4001 characters", "x".repeat(4001), "text must be at most 4000 characters"],
    ["empty", "", "text must not be empty"],
    ["only whitespace", " \n\t ", "text must not be empty"],
    ["a NUL", "a\u0000b", "text must not contain the NUL character (U+0000)"],
  ])("%s: 400 saying so, nothing stored", async (_label, text, message) => {
    const visitorId = uid("v");
    const res = await send({ visitorId, text });
    expect([res.status, res.body.error]).toEqual(invalid(message));
    expect(await store.conversationFor(app.id, visitorId, { status: "anonymous" })).toBeUndefined();
  });
});

describe("the conversation read: wait and after", () => {
  it("wait from 0 to 30 seconds is accepted (0 answers at once)", async () => {
    expect((await read({ wait: 0 })).status).toBe(200);
    // A visitor with nothing new waits: only the bounds are checked here, with a message waiting.
    const visitorId = uid("v");
    await send({ visitorId, text: "already here" });
    const res = await read({ visitorId, wait: 30 });
    expect([res.status, res.body.messages.map((m: { text: string }) => m.text)]).toEqual([200, ["already here"]]);
  });

  it.each<[unknown, string]>([
    [30.5, "wait Too big: expected number to be <=30"],
    [-0.5, "wait Too small: expected number to be >=0"],
  ])("wait %j: 400 naming wait", async (wait, message) => {
    const res = await read({ wait });
    expect([res.status, res.body.error]).toEqual(invalid(message));
  });

  it.each(["", "msg.1", "x".repeat(101), "a b"])("after %j: 400 'after must be a message id'", async (after) => {
    const res = await read({ after });
    expect([res.status, res.body.error]).toEqual(invalid("after must be a message id"));
  });

  it("after of 1 and of 100 id characters is a cursor (not a known one: the whole history)", async () => {
    const visitorId = uid("v");
    await send({ visitorId, text: "kept" });
    for (const after of ["m", "m".repeat(100)]) {
      const res = await read({ visitorId, after });
      expect([res.status, res.body.messages.map((m: { text: string }) => m.text)]).toEqual([200, ["kept"]]);
    }
  });
});

describe("operator replies", () => {
  let conversationId: string;
  beforeAll(async () => {
    const visitorId = uid("v");
    await send({ visitorId });
    conversationId = (await store.conversationFor(app.id, visitorId, { status: "anonymous" }))!;
  });
  const reply = (body: unknown) => admin(`/${app.id}/conversations/${conversationId}/replies`, body);

  it("a name of 100 characters is the author's; 101 is refused; a NUL in it is refused", async () => {
    const ok = await reply({ text: "hello", name: "N".repeat(100) });
    expect([ok.status, ok.body.message.author]).toEqual([201, { type: "operator", name: "N".repeat(100) }]);
    expect((await reply({ text: "hello", name: "N".repeat(101) })).body.error).toEqual({ code: "invalid_request", message: "name Too big: expected string to have <=100 characters" });
    expect((await reply({ text: "hello", name: "A\u0000" })).body.error).toEqual({ code: "invalid_request", message: "name must not contain the NUL character (U+0000)" });
    expect((await reply({ text: "a\u0000" })).body.error).toEqual({ code: "invalid_request", message: "text must not contain the NUL character (U+0000)" });
    const stored = await store.messages(conversationId);
    expect(stored.filter((m) => m.author.type === "operator").map((m) => m.author)).toEqual([{ type: "operator", name: "N".repeat(100) }]);
  });
});

describe("app settings", () => {
  it("each bad setting is a 400 whose sentence names it; nothing is created", async () => {
    const before = (await store.listApps()).length;
    const cases: [unknown, string][] = [
      [{ name: "   " }, "name must not be empty"],
      [{ name: "a\u0007b" }, "name must not contain control characters"],
      [{ name: "tab\there" }, "name must not contain control characters"],
      [{ name: "x".repeat(101) }, "name Too big: expected string to have <=100 characters"],
      [{ name: "ok", origins: ["https://a.example", "ftp://files.example"] }, 'origins.1 must be http(s) origins such as https://example.com, not "ftp://files.example"'],
      [{ name: "ok", origins: [`not a url ${"y".repeat(200)}`] }, `origins.0 must be http(s) origins such as https://example.com, not ${JSON.stringify(`not a url ${"y".repeat(200)}`.slice(0, 100))}`],
      [{ name: "ok", origins: Array.from({ length: 101 }, (_, i) => `https://o${i}.example`) }, "origins Too big: expected array to have <=100 items"],
      [{ name: "ok", mode: "sometimes" }, 'mode Invalid option: expected one of "required"|"optional"'],
      [{ name: "ok", colour: "red" }, 'Unrecognized key: "colour"'],
      [[{ name: "ok" }], "Invalid input: expected object, received array"],
    ];
    for (const [body, message] of cases) {
      const res = await admin("", body);
      expect([res.status, res.body.error], JSON.stringify(body).slice(0, 80)).toEqual(invalid(message));
    }
    expect((await store.listApps()).length).toBe(before);
  });

  it("100 origins and a name of 100 characters are accepted", async () => {
    const origins = Array.from({ length: 100 }, (_, i) => `https://o${i}.example`);
    const res = await admin("", { name: "n".repeat(100), origins });
    expect(res.status).toBe(201);
    expect(res.body.app).toMatchObject({ name: "n".repeat(100), origins });
  });

  it("a patch refuses unknown settings and bad values alike, and changes nothing", async () => {
    const made = await store.createApp("patch me", [], "required");
    for (const [body, message] of [
      [{ hints: "yes" }, "hints Invalid input: expected boolean, received string"],
      [{ id: "app_other" }, 'Unrecognized key: "id"'],
      [{ name: "" }, "name must not be empty"],
    ] as const) {
      const res = await admin(`/${made.id}`, body, "PATCH");
      expect([res.status, res.body.error]).toEqual(invalid(message));
    }
    expect(await store.getApp(made.id)).toEqual(made);
  });
});
