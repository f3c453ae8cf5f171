// Processes on one PostgreSQL hear of each other's messages through LISTEN/NOTIFY
// (server/realtime/pg-relay.ts): two relays here stand for two processes. A real PostgreSQL in
// both projects: the suite's own under server-pg, a throwaway one under server.
import pg from "pg";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { Notifier } from "../../server/http/notifier.ts";
import { relayOverPostgres, type Relay } from "../../server/realtime/pg-relay.ts";
import { startPostgres } from "../../scripts/postgres.js";
import { silentLogger } from "../../server/log.ts";

let url: string;
let stopPostgres = () => {};
const a = new Notifier();
const b = new Notifier();
const relays: Relay[] = [];

beforeAll(async () => {
  const provided = inject("databaseUrl");
  if (provided) url = provided;
  else ({ url, stop: stopPostgres } = await startPostgres());
  relays.push(await relayOverPostgres(a, url, silentLogger), await relayOverPostgres(b, url, silentLogger));
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  stopPostgres();
});

/** Resolves with how many times `channel` was delivered on `notifier` once `settle` resolves after the first. */
function heard(notifier: Notifier, channel: string) {
  let count = 0;
  let first = () => {};
  const once = new Promise<void>((resolve) => (first = resolve));
  const off = notifier.subscribe(channel, () => {
    count++;
    first();
  });
  return { once, count: () => count, off };
}

it("a conversation notified in one process wakes its waiters in the other — and, once, in its own", async () => {
  const inA = heard(a, "c_cross");
  const inB = heard(b, "c_cross");
  a.notify("c_cross");
  await inB.once;
  // Our own notification comes back over PostgreSQL too; it is not delivered a second time here.
  const roundTrip = heard(b, "c_after");
  a.notify("c_after");
  await roundTrip.once;
  expect([inA.count(), inB.count()]).toEqual([1, 1]);
  for (const h of [inA, inB, roundTrip]) h.off();
});

it("a new-conversation key (with spaces) crosses whole", async () => {
  const inB = heard(b, "new app_1 visitor:v_1");
  a.notify("new app_1 visitor:v_1");
  await inB.once;
  inB.off();
});

it("after its connection is cut, a relay reconnects and wakes every waiter, here and in the others", async () => {
  const inA = heard(a, "c_quiet");
  const inB = heard(b, "c_quiet");
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // Cut every relay's connection: what was sent meanwhile is lost, so each process reads again.
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'parley notifications'`);
  await admin.end();
  await Promise.all([inA.once, inB.once]);
  // And it still relays afterwards.
  const again = heard(b, "c_again");
  a.notify("c_again");
  await again.once;
  for (const h of [inA, inB, again]) h.off();
});
