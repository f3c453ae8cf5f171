// identify while a send is in flight, before the widget loaded, and twice in a row: the last
// identity wins and every message is filed under the identity it was written with.
import { expect, it } from "vitest";
import type { Chat } from "../../../widget/core/chat.ts";
import { hashA, hashB, runStub, until, useApi, usePage, Parley } from "../helpers.ts";

const page = usePage();
const api = useApi();

const start = (settings: unknown): Chat => page.boot(settings)!;

it("identify(B) while A's message is in flight: A's is filed as A, B's as B, B sees only B's", async () => {
  const chat = start({ appId: "app_race", apiBase: "https://api.test", identity: hashA });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  api.onMessage = async (_body, nth) => {
    if (nth === 0) await gate;
    return undefined;
  };
  chat.send("from A");
  await until(() => api.messages().length === 1, "A's send in flight");
  const visitorA = chat.visitorId.value;

  Parley("identify", hashB);
  Parley("identify", hashB); // twice in a row: nothing changes the second time
  chat.send("from B");
  release();
  await until(() => api.messages().length === 2 && chat.outbox.items.value.length === 0, "both delivered");

  const [a, b] = api.messages();
  expect(a!.body).toMatchObject({ text: "from A", identity: hashA, visitorId: visitorA });
  expect(b!.body).toMatchObject({ text: "from B", identity: hashB });
  expect(b!.body.visitorId).not.toBe(visitorA);
  expect(chat.claim).toEqual(hashB);
  await until(() => chat.messages.value.length === 1, "B's view");
  expect(chat.messages.value.map((m) => m.text)).toEqual(["from B"]);
});

it("identify(A) then identify(B) queued before the widget loaded: B wins, and nothing goes out as A", async () => {
  runStub();
  Parley("identify", hashA);
  Parley("identify", hashB);
  const chat = start({ appId: "app_race", apiBase: "https://api.test" });
  chat.send("hello");
  await until(() => api.messages().length === 1 && chat.outbox.items.value.length === 0, "delivered");
  expect(chat.claim).toEqual(hashB);
  for (const r of api.requests) expect(r.body.identity).not.toEqual(hashA);
  expect(api.messages()[0]!.body.identity).toEqual(hashB);
});
