// One client cannot lock everyone out: rotating visitor ids from one address meets the per-address
// limit, and what it sends once over that limit spends nothing of the app-wide one. The address is
// the TCP peer, or — only behind a configured trusted proxy — the client X-Forwarded-For names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { addressKey, clientAddress } from "../../server/http/client-address.ts";
import { silentLogger } from "../../server/log.ts";
import type { Store } from "../../server/store.ts";
import { openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";

let db: Db;
let store: Store;
beforeAll(async () => {
  ({ db, store } = await openTestApi());
});
afterAll(async () => {
  await db?.close();
});
let minute = 1_700_000_000;

async function setup(limits: { appPerMinute: number; visitorPerMinute: number; addressPerMinute: number }, trustedProxies: string[] = []) {
  // A fresh minute per test: counters are per window, and tests share the storage.
  const now = (minute += 120);
  const api = createApi({ store, log: silentLogger, now: () => now, limits, trustedProxies });
  const app = await store.createApp("limits", [], "required");
  const post = (peer: string, headers: Record<string, string> = {}) =>
    callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId: uid("v") }, peer, headers }).then((r) => r.status);
  return { post };
}

describe("per-address limit", () => {
  it("a client rotating visitor ids is refused after its address's limit, and real visitors elsewhere are not", async () => {
    const { post } = await setup({ appPerMinute: 20, visitorPerMinute: 5, addressPerMinute: 5 });
    const attacker: number[] = [];
    for (let i = 0; i < 60; i++) attacker.push(await post("203.0.113.7"));
    expect(attacker.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(attacker.slice(5).every((s) => s === 429)).toBe(true);
    // 60 requests from one address, yet the app-wide limit of 20 still has room for others.
    const others = [];
    for (let i = 0; i < 10; i++) others.push(await post(`198.51.100.${i + 1}`));
    expect(others).toEqual(Array(10).fill(200));
  });

  it("the app-wide limit still applies to many addresses together", async () => {
    const { post } = await setup({ appPerMinute: 3, visitorPerMinute: 0, addressPerMinute: 10 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await post(`198.51.100.${i + 1}`));
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("X-Forwarded-For is ignored unless the peer is a trusted proxy", async () => {
    const direct = await setup({ appPerMinute: 0, visitorPerMinute: 0, addressPerMinute: 2 });
    // A client that invents a new X-Forwarded-For each time is still one address.
    const forged = [];
    for (let i = 0; i < 4; i++) forged.push(await direct.post("203.0.113.9", { "x-forwarded-for": `10.0.0.${i}` }));
    expect(forged).toEqual([200, 200, 429, 429]);

    const proxied = await setup({ appPerMinute: 0, visitorPerMinute: 0, addressPerMinute: 2 }, ["127.0.0.1"]);
    const viaProxy = [];
    for (let i = 0; i < 4; i++) viaProxy.push(await proxied.post("127.0.0.1", { "x-forwarded-for": `198.51.100.${i}` }));
    expect(viaProxy).toEqual([200, 200, 200, 200]);
  });
});

describe("clientAddress", () => {
  it("is the peer when no proxy is trusted, whatever the header says", () => {
    expect(clientAddress("203.0.113.1", "1.2.3.4", [])).toBe("203.0.113.1");
    expect(clientAddress("::ffff:203.0.113.1", undefined, [])).toBe("203.0.113.1");
  });
  it("behind trusted proxies, the right-most hop that is not one of them", () => {
    expect(clientAddress("10.0.0.1", "1.2.3.4, 203.0.113.5", ["10.0.0.1"])).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.1", "1.2.3.4, 203.0.113.5, 10.0.0.2", ["10.0.0.1", "10.0.0.2"])).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.1", " , ", ["10.0.0.1"])).toBe("10.0.0.1");
  });
  it("is undefined with no peer (then only the visitor and app limits apply)", () => {
    expect(clientAddress(undefined, "1.2.3.4", ["1.2.3.4"])).toBeUndefined();
  });
});

describe("addresses that are not one client's", () => {
  it("one IPv6 host rotating addresses within its /64 is one client", async () => {
    const { post } = await setup({ appPerMinute: 100, visitorPerMinute: 0, addressPerMinute: 5 });
    const statuses = [];
    for (let i = 1; i <= 20; i++) statuses.push(await post(`2001:db8:1:2:${i.toString(16)}::1`));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(await post("198.51.100.7")).toBe(200);
  });

  it("addressKey: IPv4 as is, IPv6 by /64 however it is written", () => {
    expect(addressKey("203.0.113.1")).toBe("203.0.113.1");
    expect(addressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002::9")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
  });

  it("a forwarded hop that is not an address (8 KB of text, a port) never becomes a bucket of its own", async () => {
    expect(clientAddress("10.0.0.1", "x".repeat(8192), ["10.0.0.1"])).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.1", "203.0.113.5:51234", ["10.0.0.1"])).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.1", "[2001:db8::5]:443", ["10.0.0.1"])).toBe("2001:db8::5");
    // A proxy configured as IPv4-mapped matches the peer as the socket reports it.
    expect(clientAddress("::ffff:10.0.0.1", "203.0.113.5", ["::ffff:10.0.0.1"])).toBe("203.0.113.5");
    const { post } = await setup({ appPerMinute: 0, visitorPerMinute: 0, addressPerMinute: 5 }, ["127.0.0.1"]);
    expect(await post("127.0.0.1", { "x-forwarded-for": "A".repeat(8000) })).toBe(200);
  });
});
