// Bug: a pasted U+0000 in a message made the server fail with a 500 (PostgreSQL cannot store it),
// which the outbox took for a transient failure: every later message stayed "Sending…" behind it,
// even after a reload. Now the widget drops the invisible NUL before queueing, and a refusal the
// server gives for it (a 400, as an old queued message still gets) fails that one message visibly
// and lets the next ones through — a permanent refusal is never retried forever.
import { HttpResponse } from "msw";
import { expect, it } from "vitest";
import { until, useApi, usePage } from "../helpers.ts";

const page = usePage();
const api = useApi();
const KEY = "parley:app_test:outbox";

it("a message with a pasted NUL is sent without it", async () => {
  const chat = page.chat();
  chat.send("before\u0000after");
  await until(() => chat.messages.value[0]?.state === "sent");
  expect(api.messages().map((r) => r.body.text)).toEqual(["beforeafter"]);
});

it("a queued message the server refuses with 400 fails alone; the next one is delivered", async () => {
  // What a widget of the old release left in storage: a message with a NUL, still pending.
  localStorage.setItem(KEY, JSON.stringify([{ clientId: "c_old_nul_1", text: "old\u0000", claim: null, visitorId: "v_1", createdAt: "2030-01-01T00:00:00.000Z", state: "pending", attempts: 3 }]));
  api.onMessage = (body) => (body.text.includes("\u0000") ? HttpResponse.json({ error: { code: "invalid_request", message: "text must not contain the NUL character (U+0000)" } }, { status: 400 }) : undefined);
  const chat = page.chat();
  await until(() => chat.outbox.items.value[0]?.state === "failed", "the refusal");
  chat.send("next");
  await until(() => chat.messages.value.some((m) => m.text === "next" && m.state === "sent"), "the next message");
  expect(api.messages().filter((r) => r.body.clientId === "c_old_nul_1")).toHaveLength(1);
});
