// The audience picker's facts over HTTP: which attribute values verified contacts carry and how
// many contacts an audience reaches, from contacts that real verified messages made (the rule
// itself, pure: audience-reach.test.ts). On both storages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import { signPayload } from "../../server/sign.ts";
import type { Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";

describe("over HTTP", () => {
  let db: Db;
  let store: Store;
  let api: ReturnType<typeof createApi>;
  beforeAll(async () => {
    ({ db, store, api } = await openTestApi({ adminToken: "aud", limits: NO_LIMITS }));
  });
  afterAll(async () => {
    await db?.close();
  });

  it("from verified contacts only: a rejected claim's attributes count nowhere", async () => {
    const app = await store.createApp(uid("aud"), [], "required");
    const { secret } = await store.createKey(app.id, "payload");
    const say = (identity: unknown) => callApi(api, `/v1/apps/${app.id}/messages`, { body: { visitorId: uid("v"), clientId: uid("c"), text: "hi", identity } });
    expect((await say(signPayload(secret, { id: "u_1", plan: "pro" }))).body.identity.status).toBe("verified");
    expect((await say(signPayload(secret, { id: "u_2", plan: "free" }))).body.identity.status).toBe("verified");
    expect((await say(signPayload(secret, { id: "u_3", plan: "pro", company: "acme" }))).body.identity.status).toBe("verified");
    expect((await say(signPayload("wrong-secret", { id: "u_4", plan: "enterprise" }))).body.identity.status).toBe("rejected");
    const seen = await callApi(api, `/v1/admin/apps/${app.id}/attributes`, { auth: "Bearer aud" });
    expect(seen.status).toBe(200);
    expect(seen.body.contacts).toBe(3);
    expect(seen.body.attributes).toContainEqual({
      name: "plan",
      values: [
        { value: "pro", contacts: 2 },
        { value: "free", contacts: 1 },
      ],
    });
    const reachOf = (audience?: unknown) => callApi(api, `/v1/admin/apps/${app.id}/reach${audience === undefined ? "" : `?audience=${encodeURIComponent(JSON.stringify(audience))}`}`, { auth: "Bearer aud" });
    expect((await reachOf()).body).toEqual({ contacts: 3, of: 3 });
    expect((await reachOf({ plan: ["pro"] })).body).toEqual({ contacts: 2, of: 3 });
    expect((await reachOf({ plan: ["pro"], company: ["acme"] })).body).toEqual({ contacts: 1, of: 3 });
    expect((await reachOf({ plan: ["enterprise"] })).body).toEqual({ contacts: 0, of: 3 });
    for (const bad of [[], { plan: "pro" }, { plan: [] }, { plan: [3] }]) expect((await reachOf(bad)).status, JSON.stringify(bad)).toBe(400);
    expect((await callApi(api, `/v1/admin/apps/${app.id}/reach?audience=%7Bnot`, { auth: "Bearer aud" })).status).toBe(400);
  });

  it("an app with no contact: nothing seen, reach 0 of 0", async () => {
    const app = await store.createApp(uid("aud"), [], "required");
    expect((await callApi(api, `/v1/admin/apps/${app.id}/attributes`, { auth: "Bearer aud" })).body).toEqual({ contacts: 0, attributes: [] });
  });
});
