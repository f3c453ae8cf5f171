// Bug: Chat._deliver (chat.ts) calls this._ensurePolling() before this._applyVerdict(). When the
// answer to the first message says the claim was rejected, the long-poll it starts is sent in the
// same turn, still carrying the rejected claim, after the server said it was rejected. Applying the
// verdict before starting the poll fixes it.
import { expect, it } from "vitest";
import type { IdentityVerdict } from "../../../contract/wire.ts";
import { hashA, idle, until, useApi, usePage } from "../helpers.ts";

const page = usePage();
const api = useApi();

it("sends no request with the claim once a message was answered rejected", async () => {
  api.messageVerdict = (claim): IdentityVerdict => (claim ? { status: "rejected", reason: "bad_signature" } : { status: "anonymous" });
  const chat = page.chat({ claim: hashA });
  chat.send("first");
  await until(() => chat.claim === null, "the rejection");
  chat.send("second");
  await until(() => chat.outbox.items.value.length === 0);
  await idle(chat);
  const rejectedAt = api.requests.findIndex((r) => r.path === "messages");
  const later = api.requests.slice(rejectedAt + 1);
  expect(later.length).toBeGreaterThan(0);
  expect(later.filter((r) => "identity" in r.body).map((r) => r.body)).toEqual([]);
});
