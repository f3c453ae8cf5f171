// A site set up wrong is told so, readably: a page on an origin the app does not list, or asking
// for an app that does not exist, gets a refusal its page can read (so the widget shows "not
// sent" and stops), and the operator's log names what was refused.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import type { LogFields } from "../../server/log.ts";
import type { App, Store } from "../../server/store.ts";
import { openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";

let db: Db;
let store: Store;
let api: ReturnType<typeof createApi>;
let app: App;
const logged: { level: string; msg: string; fields?: LogFields }[] = [];

beforeAll(async () => {
  ({ db, store, api } = await openTestApi({ log: (level, msg, fields) => void logged.push({ level, msg, fields }) }));
  app = await store.createApp("Shop", ["https://shop.example"], "required");
});
afterAll(() => db.close());

const send = (appId: string, origin: string) => callApi(api, `/v1/apps/${appId}/messages`, { method: "POST", origin, body: { visitorId: uid("v"), clientId: uid("c"), text: "hello" } });

it("an origin the app does not list: 403 the page can read, and a warning naming the origin in the log", async () => {
  const res = await send(app.id, "https://www.shop.example");
  expect([res.status, res.body.error?.code, res.headers.get("access-control-allow-origin")]).toEqual([403, "origin_not_allowed", "https://www.shop.example"]);
  expect(logged).toContainEqual({ level: "warn", msg: "origin refused", fields: { app: app.id, origin: "https://www.shop.example" } });
});

it("an app that does not exist: 404 the page can read, and a warning naming the id in the log", async () => {
  const res = await send("app_mistyped", "https://shop.example");
  expect([res.status, res.body.error?.code, res.headers.get("access-control-allow-origin")]).toEqual([404, "app_not_found", "https://shop.example"]);
  expect(logged).toContainEqual({ level: "warn", msg: "unknown app", fields: { app: "app_mistyped", origin: "https://shop.example" } });
});
