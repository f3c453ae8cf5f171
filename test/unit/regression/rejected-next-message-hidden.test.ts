// Bug: after a message is rejected, the claim is dropped but the visitor record still names the
// user as its owner (chat.ts _applyVerdict drops `claim` only). Chat._isCurrent compares
// claimedUser(item.claim) — now null — with `_record.owner`, so every later message the visitor
// writes is hidden from the view while pending, never added to history when delivered, and a
// refused one never shows Retry/Remove: the visitor's words vanish from the screen.
import { HttpResponse } from "msw";
import { expect, it } from "vitest";
import type { IdentityVerdict } from "../../../contract/wire.ts";
import { hashA, until, useApi, usePage } from "../helpers.ts";

const page = usePage();
const api = useApi();
const rejected = (claim: unknown): IdentityVerdict => (claim ? { status: "rejected", reason: "bad_signature" } : { status: "anonymous" });

async function afterRejection() {
  api.messageVerdict = rejected;
  const chat = page.chat({ claim: hashA });
  chat.send("first");
  await until(() => chat.claim === null && chat.outbox.items.value.length === 0, "the rejection");
  return chat;
}

it("shows the next message at once as pending, then as sent", async () => {
  const chat = await afterRejection();
  let release!: () => void;
  api.onMessage = () => new Promise<undefined>((r) => (release = () => r(undefined)));
  chat.send("second");
  expect(chat.messages.value.map((m) => [m.text, m.state])).toEqual([
    ["first", "sent"],
    ["second", "pending"],
  ]);
  await until(() => release);
  release();
  await until(() => chat.outbox.items.value.length === 0);
  expect(chat.messages.value.map((m) => [m.text, m.state])).toEqual([
    ["first", "sent"],
    ["second", "sent"],
  ]);
});

it("shows a refused later message as failed, so it can be retried or removed", async () => {
  const chat = await afterRejection();
  api.onMessage = () => HttpResponse.json({ error: { code: "bad_request", message: "no" } }, { status: 400 });
  chat.send("refused");
  await until(() => chat.outbox.items.value[0]?.state === "failed");
  expect(chat.messages.value.map((m) => [m.text, m.state])).toEqual([
    ["first", "sent"],
    ["refused", "failed"],
  ]);
});
