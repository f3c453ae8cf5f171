// Which client a request comes from, for the per-address limit (client-address.ts), pure: how an
// address is written (brackets, ports, IPv4-mapped, case, spaces), how far X-Forwarded-For is
// trusted, and the /64 an IPv6 address is counted by. Then, over HTTP, the limiter's answers: whose
// limit a 429 names, and that a request with no known address meets no per-address limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { addressKey, clientAddress, normalAddress } from "../../server/http/client-address.ts";
import { silentLogger } from "../../server/log.ts";
import type { RateLimits } from "../../server/config.ts";
import type { Store } from "../../server/store.ts";
import { openTestApi, uid } from "../support/api.ts";
import { callApi } from "../support/http.ts";

describe("normalAddress", () => {
  it.each<[string, string | undefined]>([
    ["203.0.113.1", "203.0.113.1"],
    ["  203.0.113.1\t", "203.0.113.1"],
    ["203.0.113.1:443", "203.0.113.1"],
    ["198.51.100.27:8080", "198.51.100.27"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["[2001:db8::1]:8080", "2001:db8::1"],
    ["2001:DB8::A", "2001:db8::a"],
    ["::ffff:203.0.113.1", "203.0.113.1"],
    ["::FFFF:203.0.113.1", "203.0.113.1"],
    ["[::ffff:203.0.113.1]:80", "203.0.113.1"],
    ["::ffff:192.168.10.20", "192.168.10.20"],
    // The mapped prefix only at the start: further in, it is part of another IPv6 address.
    ["1::ffff:1.2.3.4", "1::ffff:1.2.3.4"],
    // Not an IPv4-mapped address written with its dotted tail: kept as the IPv6 address it is.
    ["::ffff:1:2", "::ffff:1:2"],
    ["::1", "::1"],
  ])("%j is %j", (text, expected) => {
    expect(normalAddress(text)).toBe(expected);
  });

  it.each(["", "localhost", "203.0.113.1:", "203.0.113.1:80x", "::1.2.3.4:80", "[::1]x", "[::1]:80x", "x[2001:db8::1]", "[]", "[203.0.113.1", "1.2.3.4.5", "::ffff:1.2.3.4x"])(
    "%j is no address",
    (text) => {
      expect(normalAddress(text)).toBeUndefined();
    },
  );
});

describe("clientAddress", () => {
  const PROXY = "10.0.0.1";
  it("a hop that is not an address ends the walk at the last trusted one, even with addresses before it", () => {
    expect(clientAddress(PROXY, "198.51.100.1, junk", [PROXY])).toBe(PROXY);
    expect(clientAddress(PROXY, "198.51.100.1, junk, 10.0.0.2", [PROXY, "10.0.0.2"])).toBe("10.0.0.2");
  });

  it("when every hop is a trusted proxy, the client is the left-most of them", () => {
    expect(clientAddress(PROXY, "10.0.0.3, 10.0.0.2", [PROXY, "10.0.0.2", "10.0.0.3"])).toBe("10.0.0.3");
  });

  it("proxies and hops match however each is written", () => {
    expect(clientAddress("[2001:DB8::10]:443", "203.0.113.5", ["2001:db8::10"])).toBe("203.0.113.5");
    expect(clientAddress(PROXY, "[2001:db8::7]:5000, [10.0.0.2]", [PROXY, " 10.0.0.2 "])).toBe("2001:db8::7");
  });

  it("a proxy setting that is not an address trusts nothing extra", () => {
    expect(clientAddress(PROXY, "203.0.113.5", ["not-an-address", "10.0.0.0/8"])).toBe(PROXY);
  });

  it("no header or an empty one, or a peer that is not an address, is taken as is", () => {
    expect(clientAddress(PROXY, undefined, [PROXY])).toBe(PROXY);
    expect(clientAddress(PROXY, "", [PROXY])).toBe(PROXY);
    expect(clientAddress("not-an-address", "203.0.113.5", ["not-an-address"])).toBeUndefined();
  });
});

describe("addressKey: an IPv6 address by its /64", () => {
  it.each([
    ["1::2:3:4:5:6:7", "1:0:2:3::/64"],
    ["::1:2:3:4:5:6:7", "0:1:2:3::/64"],
    ["1:2:3::", "1:2:3:0::/64"],
    ["2001:0db8:0000:0001::", "2001:db8:0:1::/64"],
    ["1000:0100:0010:0001:1:1:1:1", "1000:100:10:1::/64"],
    ["fe80::1.2.3.4", "fe80:0:0:0::/64"],
    ["198.51.100.7", "198.51.100.7"],
  ])("%s → %s", (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe("the limiter over HTTP", () => {
  let db: Db;
  let store: Store;
  let minute = 1_700_000_000;
  beforeAll(async () => {
    ({ db, store } = await openTestApi());
  });
  afterAll(async () => {
    await db?.close();
  });

  async function limitedApp(limits: RateLimits) {
    // A fresh window each time: counters are per minute, and these tests share the storage.
    const now = (minute += 120) + 17;
    const api = createApi({ store, log: silentLogger, now: () => now, limits });
    const app = await store.createApp("limited", [], "required");
    const post = (visitorId: string, peer?: string) => callApi(api, `/v1/apps/${app.id}/conversation`, { body: { visitorId }, peer });
    return { post };
  }
  const refusal = (who: string) => ({ code: "rate_limited", message: `Too many requests for ${who}; retry after the Retry-After seconds.` });

  it("a visitor over its limit is told it is this visitor's, and when to retry", async () => {
    const { post } = await limitedApp({ appPerMinute: 100, visitorPerMinute: 1, addressPerMinute: 100 });
    const visitorId = uid("v");
    expect((await post(visitorId, "203.0.113.1")).status).toBe(200);
    const res = await post(visitorId, "203.0.113.1");
    expect([res.status, res.body.error, res.headers.get("retry-after")]).toEqual([429, refusal("this visitor"), "23"]);
  });

  it("an address over its limit is told it is this address's", async () => {
    const { post } = await limitedApp({ appPerMinute: 100, visitorPerMinute: 100, addressPerMinute: 1 });
    expect((await post(uid("v"), "2001:db8:1:2::1")).status).toBe(200);
    const res = await post(uid("v"), "2001:db8:1:2::2");
    expect([res.status, res.body.error]).toEqual([429, refusal("this address")]);
  });

  it("an app over its limit is told it is this app's", async () => {
    const { post } = await limitedApp({ appPerMinute: 1, visitorPerMinute: 100, addressPerMinute: 100 });
    expect((await post(uid("v"), "203.0.113.1")).status).toBe(200);
    const res = await post(uid("v"), "203.0.113.2");
    expect([res.status, res.body.error]).toEqual([429, refusal("this app")]);
  });

  it("with no known address (no peer), no per-address limit applies: visitors are not lumped together", async () => {
    const { post } = await limitedApp({ appPerMinute: 0, visitorPerMinute: 0, addressPerMinute: 1 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(uid("v"))).status);
    expect(statuses).toEqual([200, 200, 200]);
  });

  it("every limit off: nothing is counted or refused", async () => {
    const { post } = await limitedApp({ appPerMinute: 0, visitorPerMinute: 0, addressPerMinute: 0 });
    const visitorId = uid("v");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(visitorId, "203.0.113.1")).status);
    expect(statuses).toEqual([200, 200, 200]);
  });
});
