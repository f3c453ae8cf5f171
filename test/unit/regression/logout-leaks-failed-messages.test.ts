// Bug: logout (and identify as someone else) keeps every outbox item of the previous user, not only
// those still to be delivered. An item the server refused (state "failed") is never sent again on
// its own, and Chat._isCurrent hides it from the new visitor's view, so nobody can Retry or Remove
// it: it stays in localStorage for good, holding the previous user's text, visitorId and claim
// (userId, userHash, email, name). Fix: on logout / a user switch (Chat.logout, Chat.identify when
// _newVisitor runs), remove the previous visitor's failed items from the outbox (keep pending ones).
import { HttpResponse } from "msw";
import { expect, it } from "vitest";
import { hashA, hashB, idle, storageDump, until, useApi, usePage } from "../helpers.ts";

const page = usePage();
const api = useApi();
const A = hashA as { userId: string; userHash: string; email: string; name: string };

async function refusedAsA() {
  api.onMessage = () => HttpResponse.json({ error: { code: "bad_request", message: "no" } }, { status: 400 });
  const chat = page.chat({ claim: hashA });
  const visitorA = chat.visitorId.value;
  chat.send("A's private words");
  await until(() => chat.outbox.items.value[0]?.state === "failed");
  api.onMessage = undefined;
  return { chat, visitorA };
}

it("logout leaves nothing of A in localStorage, even a message the server refused", async () => {
  const { chat, visitorA } = await refusedAsA();
  chat.logout();
  await idle(chat);
  const dump = storageDump().join("\n");
  for (const trace of [visitorA, A.userId, A.userHash, A.email, A.name, "A's private words"]) expect(dump).not.toContain(trace);
});

it("identify(B) after A leaves nothing of A's refused message in localStorage", async () => {
  const { chat, visitorA } = await refusedAsA();
  chat.identify(hashB);
  await idle(chat);
  const dump = storageDump().join("\n");
  for (const trace of [visitorA, A.userHash, "A's private words"]) expect(dump).not.toContain(trace);
});
