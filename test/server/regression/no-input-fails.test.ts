// Regression: inputs that once failed the request with a 500 (and lost the message):
// - a validly signed token with iat or exp outside the JavaScript date range (1e400) or in
//   microseconds: the hint code called toISOString on an invalid date;
// - a NUL byte in a message's text, or in the app id in the path: PostgreSQL refused it.
// Each now gets a clear 400/404, or the message is stored with a rejected verdict. Both storages.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../../server/db/db.ts";
import type { createApi } from "../../../server/http/api.ts";
import type { App, Store } from "../../../server/store.ts";
import { openTestApi, uid } from "../../support/api.ts";
import { callApi } from "../../support/http.ts";

const NOW = 1_800_000_000;
let db: Db;
let api: ReturnType<typeof createApi>;
let app: App;
let tokenSecret: string;
beforeAll(async () => {
  let store: Store;
  ({ db, store, api } = await openTestApi({ now: () => NOW, adminToken: "t" }));
  app = await store.createApp("inputs", [], "required", true);
  tokenSecret = (await store.createKey(app.id, "token")).secret;
});
afterAll(async () => {
  await db?.close();
});
const signed = (json: string) => `${Buffer.from(json).toString("base64url")}.${createHmac("sha256", tokenSecret).update(json).digest("base64url")}`;
const send = (body: Record<string, unknown>, appId = app.id) => callApi(api, `/v1/apps/${appId}/messages`, { body: { visitorId: uid("v"), clientId: uid("c"), text: "hi", ...body } });

it.each([
  ["exp = 1e400", `{"sub":"u_1","app":"APP","iat":${NOW},"exp":1e400}`],
  ["iat = 1e400", `{"sub":"u_1","app":"APP","iat":1e400,"exp":${NOW + 60}}`],
  ["times in microseconds", `{"sub":"u_1","app":"APP","iat":${NOW * 1e6},"exp":${(NOW + 60) * 1e6}}`],
  ["times in milliseconds", `{"sub":"u_1","app":"APP","iat":${NOW * 1000},"exp":${(NOW + 60) * 1000}}`],
])("a validly signed token with %s: 201, stored, rejected as malformed with a hint", async (_, json) => {
  const res = await send({ identity: { token: signed(json.replace("APP", app.id)) }, text: "kept" });
  expect(res.status).toBe(201);
  expect(res.body.identity).toEqual({ status: "rejected", reason: "malformed", hint: expect.stringMatching(/not a time in seconds/) });
  expect(res.body.message.text).toBe("kept");
});

it("a NUL in the text is a 400 that names it", async () => {
  const res = await send({ text: "a\u0000b" });
  expect(res.status).toBe(400);
  expect(res.body.error).toEqual({ code: "invalid_request", message: "text must not contain the NUL character (U+0000)" });
});

it("a NUL in the app id of the path is 404 app_not_found or not_found, never a 500", async () => {
  for (const appId of [`${app.id}%00`, "%00", "app%00x", "x".repeat(500)]) {
    const res = await send({}, appId);
    expect([404]).toContain(res.status);
  }
});

it("a NUL in a hint name or a control character in a claimed id: stored, never a 500", async () => {
  const res = await send({ identity: { userId: "u\u0000x", userHash: "0".repeat(64), name: "\u0000" } });
  expect(res.status).toBe(201);
  expect(res.body.identity).toMatchObject({ status: "rejected", reason: "malformed" });
});

// Found by an adversarial pass: with hints on, the doctor re-serialised a crafted payload (8 KB of
// nested arrays: a stack overflow, or quadratic pretty-printing), and String() of a deep userId.
it.each([
  ["a payload of 4000 nested arrays", { payload: `{"id":"u","a":${"[".repeat(4000)}${"]".repeat(4000)}}`, signature: "zz" }],
  ["a payload nested 3000 deep with a well-formed MAC", { payload: `{"id":"u","a":${'{"":'.repeat(3000)}1${"}".repeat(3000)}}`, signature: "0".repeat(64) }],
  ["a token that is a number beside a payload", { token: 1, payload: '{"id":"u"}', signature: "0".repeat(64) }],
])("%s: stored, rejected, never a 500", async (_, identity) => {
  const res = await send({ identity });
  expect(res.status).toBe(201);
  expect(res.body.identity.status).toBe("rejected");
});

it("a userId that is an array nested 5000 deep: stored, rejected, never a 500", async () => {
  // Written by hand: JSON.stringify itself cannot write a value this deep.
  const raw = `{"visitorId":"v_deep_user","clientId":"${uid("c")}","text":"hi","identity":{"userId":${"[".repeat(5000)}${"]".repeat(5000)},"userHash":"x"}}`;
  const res = await callApi(api, `/v1/apps/${app.id}/messages`, { raw });
  expect(res.status).toBe(201);
  expect(res.body.identity).toMatchObject({ status: "rejected", reason: "malformed" });
});

it("the operator's `after` with a NUL is a 400, not a 500", async () => {
  const conv = await send({});
  const list = await callApi(api, `/v1/admin/apps/${app.id}/conversations`, { auth: "Bearer t" });
  expect(list.status).toBe(200);
  const id = list.body.conversations[0].id;
  const res = await callApi(api, `/v1/admin/apps/${app.id}/conversations/${id}/messages?after=%00`, { auth: "Bearer t" });
  expect(res.status).toBe(400);
  expect(conv.status).toBe(201);
});
