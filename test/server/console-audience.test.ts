// The audience picker's facts: which attribute values verified contacts carry (listed only when
// picking them would match, by audience.ts's rule) and how many contacts an audience reaches —
// pure, then over HTTP from contacts that real verified messages made. On both storages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import type { createApi } from "../../server/http/api.ts";
import { MAX_VALUES, reach, seenAttributes } from "../../server/policy/audience-reach.ts";
import { signPayload } from "../../server/sign.ts";
import type { Store } from "../../server/store.ts";
import { NO_LIMITS, openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";

describe("seenAttributes and reach (pure)", () => {
  const contacts = [
    { plan: "pro", company: "acme", seats: 3, beta: true },
    { plan: "pro", company: "globex", tags: ["a", "b"] },
    { plan: "free", nested: { deep: 1 }, nothing: null },
    {},
  ];

  it("names, sorted; values most common first, with how many contacts have each; text of numbers and booleans; items of lists; nothing for objects or null", () => {
    expect(seenAttributes(contacts)).toEqual([
      { name: "beta", values: [{ value: "true", contacts: 1 }] },
      {
        name: "company",
        values: [
          { value: "acme", contacts: 1 },
          { value: "globex", contacts: 1 },
        ],
      },
      {
        name: "plan",
        values: [
          { value: "pro", contacts: 2 },
          { value: "free", contacts: 1 },
        ],
      },
      { name: "seats", values: [{ value: "3", contacts: 1 }] },
      {
        name: "tags",
        values: [
          { value: "a", contacts: 1 },
          { value: "b", contacts: 1 },
        ],
      },
    ]);
  });

  it("every value listed reaches the contacts it says it does", () => {
    for (const a of seenAttributes(contacts)) for (const v of a.values) expect(reach({ [a.name]: [v.value] }, contacts), `${a.name}=${v.value}`).toBe(v.contacts);
  });

  it("reach: everyone without an audience; every attribute must match, any value of one", () => {
    expect(reach(null, contacts)).toBe(4);
    expect(reach({ plan: ["pro"] }, contacts)).toBe(2);
    expect(reach({ plan: ["pro", "free"] }, contacts)).toBe(3);
    expect(reach({ plan: ["pro"], company: ["acme"] }, contacts)).toBe(1);
    expect(reach({ plan: ["enterprise"] }, contacts)).toBe(0);
  });

  it("lists at most MAX_VALUES values of an attribute, and says there are more", () => {
    const many = Array.from({ length: MAX_VALUES + 5 }, (_, i) => ({ subscription: `sub_${i}` }));
    const [seen] = seenAttributes(many);
    expect(seen!.values).toHaveLength(MAX_VALUES);
    expect(seen!.more).toBe(true);
  });
});

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
