// The widget's two endpoints take a CORS "simple request": a text/plain body (what fetch sends for
// a string, with no header of its own), so a browser makes no preflight. The body is JSON all the
// same, read and checked exactly as an application/json one — same schemas, same answers, same
// error bodies with nothing of the request or the server's insides in them. application/json stays
// accepted (the operator API, existing clients). Both storages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { silentLogger } from "../../server/log.ts";
import { userHash } from "../../server/sign.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi, expectErrorBody } from "../support/http.ts";

const SITE = "https://shop.example";
const TEXT = "text/plain;charset=UTF-8";
let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let app: App;
let secret: string;
beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ adminToken: "t", limits: NO_LIMITS }));
  app = await store.createApp("Simple", [SITE], "required");
  secret = (await store.createKey(app.id, "hash")).secret;
});
afterAll(async () => {
  await db?.close();
});

const post = (path: "messages" | "conversation", raw: string, type = TEXT, origin = SITE) =>
  callApi(api, `/v1/apps/${app.id}/${path}`, { raw, headers: { "content-type": type }, origin });

describe("a text/plain body is read as JSON", () => {
  it("a message and a read, as the widget sends them: the same answers as with application/json", async () => {
    const visitorId = uid("v");
    const userId = uid("u");
    const identity = { userId, userHash: userHash(secret, userId) };
    const sent = await post("messages", JSON.stringify({ visitorId, clientId: uid("c"), text: "plain", identity }));
    expect([sent.status, sent.body.identity, sent.body.message.text]).toEqual([201, { status: "verified", userId }, "plain"]);
    expect(sent.headers.get("access-control-allow-origin")).toBe(SITE);
    const asJson = await post("messages", JSON.stringify({ visitorId, clientId: uid("c"), text: "json", identity }), "application/json");
    expect(asJson.status).toBe(201);
    const read = await post("conversation", JSON.stringify({ visitorId, identity }));
    expect([read.status, read.body.messages.map((m: { text: string }) => m.text)]).toEqual([200, ["plain", "json"]]);
    const readAsJson = await post("conversation", JSON.stringify({ visitorId, identity }), "application/json");
    expect(readAsJson.body).toEqual(read.body);
  });

  it("the same clientId again, as text: 200 with the stored message", async () => {
    const body = JSON.stringify({ visitorId: uid("v"), clientId: uid("c"), text: "once" });
    const first = await post("messages", body);
    const again = await post("messages", body);
    expect([first.status, again.status, again.body.message]).toEqual([201, 200, first.body.message]);
  });

  it.each(["text/plain", "text/plain; charset=utf-8", TEXT])("%s", async (type) => {
    expect((await post("messages", JSON.stringify({ visitorId: uid("v"), clientId: uid("c"), text: "hi" }), type)).status).toBe(201);
  });
});

describe("a bad text/plain body gets the answer a bad JSON one gets, and gives nothing away", () => {
  // A claim's proof in a refused body must not come back in the answer.
  const token = `tok_${"s3cr3t".repeat(5)}`;
  const cases: [string, "messages" | "conversation", string, number, string][] = [
    ["not JSON", "messages", `{"visitorId": "v_12345678", "identity": {"token": "${token}"`, 400, "invalid_json"],
    ["not JSON", "conversation", `visitorId=v_12345678&token=${token}`, 400, "invalid_json"],
    ["empty", "messages", "", 400, "invalid_json"],
    ["JSON of the wrong shape", "messages", JSON.stringify({ visitorId: "v_12345678", clientId: "c_12345678", text: "", identity: { token } }), 400, "invalid_request"],
    ["JSON of the wrong shape", "conversation", JSON.stringify({ visitorId: "short", identity: { token } }), 400, "invalid_request"],
    ["JSON, but not an object", "conversation", JSON.stringify([token]), 400, "invalid_request"],
    ["over the size cap", "messages", JSON.stringify({ visitorId: "v_12345678", clientId: "c_12345678", text: "x".repeat(40_000), identity: { token } }), 413, "body_too_large"],
  ];

  it.each(cases)("%s (%s): %i %s, as with application/json", async (_label, path, raw, status, code) => {
    const plain = await post(path, raw);
    const json = await post(path, raw, "application/json");
    expect([plain.status, plain.body.error?.code]).toEqual([status, code]);
    expect(plain.body).toEqual(json.body);
    expectErrorBody(plain.text, code);
    expect(plain.text).not.toContain(token);
    // Readable by the page, like every answer to an allowed origin.
    expect(plain.headers.get("access-control-allow-origin")).toBe(SITE);
  });

  it("the size cap reads a declared Content-Length, and counts a body without one as it comes", async () => {
    const small = JSON.stringify({ visitorId: uid("v"), clientId: uid("c"), text: "hi" });
    const declared = (length: number) => callApi(api, `/v1/apps/${app.id}/messages`, { raw: small, headers: { "content-type": TEXT, "content-length": String(length) }, origin: SITE });
    expect((await declared(small.length)).status).toBe(201);
    const over = await declared(40_000);
    expect([over.status, over.body.error?.code]).toEqual([413, "body_too_large"]);
    // app.request sends no Content-Length: the body is counted as it is read.
    expect((await post("messages", JSON.stringify({ visitorId: uid("v"), clientId: uid("c"), text: "x".repeat(40_000) }))).status).toBe(413);
  });

  it("a refused origin is refused the same way, whatever the body's type", async () => {
    const res = await post("messages", JSON.stringify({ visitorId: uid("v"), clientId: uid("c"), text: "hi" }), TEXT, "https://evil.example");
    expect([res.status, res.body.error?.code]).toEqual([403, "origin_not_allowed"]);
  });
});
