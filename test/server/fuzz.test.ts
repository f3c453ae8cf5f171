// No input fails a request: random JSON, odd numbers, control characters, invalid UTF-8 and
// validly signed tokens carrying nonsense claims, at every endpoint — never a 5xx, and every error
// is a well-formed { error: { code, message } } (callApi checks the shape). On both storages.
import { createHmac, randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import type { App, Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi } from "../support/api.ts";
import { callApi, expectErrorBody } from "../support/http.ts";

const ADMIN = "t_fuzz";
let db: Db;
let store: Store;
let served: ReturnType<typeof createApi>;
let api: Pick<ReturnType<typeof createApi>, "request">;
let app: App;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  ({ db, store, api: served } = await openTestApi({ adminToken: ADMIN, limits: NO_LIMITS }));
  // Every request from a client that has already gone away: a long-poll (any `wait`) answers at
  // once, so fuzzing never waits, and everything else runs as it would.
  api = { request: (path, init, env) => served.request(path, { ...init, signal: AbortSignal.abort() }, env) };
  // Hints on: the doctor's code runs on every rejection, where a nonsense date once threw.
  app = await store.createApp("fuzz", [], "optional", true);
  for (const kind of ["hash", "payload", "token"] as const) secrets[kind] = (await store.createKey(app.id, kind)).secret;
});
afterAll(async () => {
  await db?.close();
});

const mac = (secret: string, text: string) => createHmac("sha256", Buffer.from(secret, "utf8")).update(text, "utf8").digest();
const b64u = (s: string | Buffer) => Buffer.from(s).toString("base64url");

// ---- arbitraries ---------------------------------------------------------------------------
const nasty = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "\udfff\ud800", "\u202e", "\u0007\u001b[2J", "%00", "../..", "<script>", "𝔘𝔫𝔦", "\r\n\r\n"),
);
const oddNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(1e400, -1e400, 1e308, -0, 5e-324, 2 ** 53 + 1, 1.8e15, 1_800_000_000_000_000, Number.MAX_SAFE_INTEGER),
  fc.integer(),
);
/** JSON text, with numbers JSON.stringify cannot write (1e400) spliced in by hand. */
const numberText = fc.oneof(oddNumber.map((n) => (Number.isFinite(n) ? JSON.stringify(n) : "0")), fc.constantFrom("1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0.0"));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small" }, nasty, oddNumber, fc.boolean(), fc.constant(null), fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(nasty, tie("v"), { maxKeys: 4 })),
})).v;

const claimsObject = fc.record(
  { sub: fc.oneof(nasty, oddNumber, fc.constant("u_1")), iat: numberText, exp: numberText, app: fc.oneof(fc.constant("APP"), nasty), plan: nasty },
  { requiredKeys: [] },
);
/** Claims JSON text whose numbers may be 1e400 or microseconds; `APP` is replaced by the app id. */
const claimsText = claimsObject.map((c) => "{" + Object.entries(c).map(([k, v]) => `${JSON.stringify(k)}:${k === "iat" || k === "exp" ? v : JSON.stringify(v === "APP" ? app.id : v)}`).join(",") + "}");

/** Identities, many validly signed with the app's own keys, so the rules after the MAC run too. */
const identity: fc.Arbitrary<unknown> = fc.oneof(
  value,
  claimsText.map((json) => ({ token: `${b64u(json)}.${b64u(mac(secrets.token!, json))}` })),
  claimsText.map((json) => {
    const input = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u(json)}`;
    return { token: `${input}.${b64u(mac(secrets.token!, input))}` };
  }),
  claimsText.map((payload) => ({ payload, signature: mac(secrets.payload!, payload).toString("hex") })),
  nasty.map((userId) => ({ userId, userHash: mac(secrets.hash!, userId).toString("hex"), name: "N\u0000ame", email: "\u0000" })),
  fc.record({ userId: fc.oneof(nasty, oddNumber), userHash: fc.oneof(nasty, fc.constant(undefined)), name: nasty, email: nasty }, { requiredKeys: [] }),
  fc.record({ token: fc.oneof(nasty, fc.array(fc.base64String(), { maxLength: 4 }).map((p) => p.join("."))) }),
);

const opaque = fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/);
const body = (fields: Record<string, fc.Arbitrary<unknown>>) => fc.record(fields, { requiredKeys: [] });
const messageBody = body({ visitorId: fc.oneof(opaque, nasty), clientId: fc.oneof(opaque, nasty), text: fc.oneof(nasty, fc.constant("hello")), identity, after: nasty });
const conversationBody = body({ visitorId: fc.oneof(opaque, nasty), identity, after: fc.oneof(nasty, opaque), wait: oddNumber });

/** Every byte percent-encoded (encodeURIComponent throws on a lone surrogate). */
const percentEncoded = (s: string) => [...Buffer.from(s, "utf8")].map((b) => "%" + b.toString(16).padStart(2, "0")).join("");
const pathSegment = fc.oneof(nasty.map(percentEncoded), fc.constantFrom("%00", "%ff", "%c3%28", "%ed%a0%80", "x".repeat(300), "app_x%00"), opaque);

async function noServerError(status: number, what: unknown) {
  expect(status, JSON.stringify(what)?.slice(0, 300)).toBeLessThan(500);
}

describe("fuzzing every endpoint", () => {
  it("POST /messages and /conversation: random bodies and claims", async () => {
    await fc.assert(
      fc.asyncProperty(messageBody, conversationBody, async (m, c) => {
        await noServerError((await callApi(api, `/v1/apps/${app.id}/messages`, { body: m })).status, m);
        await noServerError((await callApi(api, `/v1/apps/${app.id}/conversation`, { body: c })).status, c);
      }),
      { numRuns: 250 },
    );
  });

  it("a validly signed message with nonsense claims is stored (rejected or verified), never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(identity, fc.oneof(nasty, fc.constant("ok")), async (claim, text) => {
        const res = await callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId: "v_fuzz_signed", clientId: `c_${randomBytes(8).toString("hex")}`, text, identity: claim } });
        await noServerError(res.status, { claim, text });
        if (res.status === 201) expect(["verified", "unverified", "rejected", "anonymous"]).toContain(res.body.identity.status);
      }),
      { numRuns: 250 },
    );
  });

  it("raw bodies: invalid UTF-8, truncated JSON, other content types", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", ""), fc.constantFrom("messages", "conversation"), async (bytes, type, route) => {
        const res = await api.request(`/v1/apps/${app.id}/${route}`, { method: "POST", headers: type ? { "content-type": type } : {}, body: bytes });
        const text = await res.text();
        await noServerError(res.status, { bytes: Buffer.from(bytes).toString("hex"), type });
        if (res.status >= 400) expectErrorBody(text);
      }),
      { numRuns: 200 },
    );
  });

  it("paths: app ids, conversation ids and key ids with control characters, bad escapes, 300 characters", async () => {
    await fc.assert(
      fc.asyncProperty(pathSegment, pathSegment, value, async (a, b, payload) => {
        const auth = `Bearer ${ADMIN}`;
        const requests: [string, string, unknown][] = [
          ["POST", `/v1/apps/${a}/messages`, { visitorId: "v_fuzz_path", clientId: `c_${randomBytes(8).toString("hex")}`, text: "hi" }],
          ["POST", `/v1/apps/${a}/conversation`, { visitorId: "v_fuzz_path" }],
          ["OPTIONS", `/v1/apps/${a}/messages`, undefined],
          ["GET", `/v1/admin/apps/${a}/conversations`, undefined],
          ["GET", `/v1/admin/apps/${app.id}/conversations/${b}/messages`, undefined],
          ["POST", `/v1/admin/apps/${app.id}/conversations/${b}/replies`, payload],
          ["PATCH", `/v1/admin/apps/${a}`, payload],
          ["GET", `/v1/admin/apps/${a}/keys`, undefined],
          ["DELETE", `/v1/admin/apps/${app.id}/keys/${b}`, undefined],
          ["POST", `/v1/admin/apps/${a}/keys`, payload],
        ];
        for (const [method, path, json] of requests) {
          const res = await callApi(api, path, { method, auth, ...(json === undefined ? {} : { raw: JSON.stringify(json) ?? "null" }) });
          await noServerError(res.status, { method, path, json });
        }
      }),
      { numRuns: 100 },
    );
  });

  it("operator bodies: random apps, settings, keys and replies", async () => {
    const auth = `Bearer ${ADMIN}`;
    await fc.assert(
      fc.asyncProperty(value, body({ name: nasty, origins: fc.array(nasty, { maxLength: 3 }), mode: nasty, hints: value, text: nasty, proof: nasty }), async (anything, fields) => {
        for (const json of [anything, fields]) {
          await noServerError((await callApi(api, `/v1/admin/apps`, { auth, raw: JSON.stringify(json) ?? "null" })).status, json);
          await noServerError((await callApi(api, `/v1/admin/apps/${app.id}/keys`, { auth, raw: JSON.stringify(json) ?? "null" })).status, json);
        }
      }),
      { numRuns: 100 },
    );
  });
});
