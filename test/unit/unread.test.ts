// The unread count: operator replies that arrive while the panel is closed — never the visitor's
// own messages, never history this visitor already saw on this device (nor, on a device that never
// showed the thread, any of its history) — and back to 0 when the panel opens.
import { expect, it } from "vitest";
import { until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

it("counts only replies that arrive while closed, and opening resets it", async () => {
  const chat = page.chat();
  chat.send("hi there");
  await until(() => chat.messages.value[0]?.state === "sent", "the visitor's message");
  expect(chat.unread.value).toBe(0);

  api.reply(`visitor:${chat.visitorId.value}`, "hello back");
  api.reply(`visitor:${chat.visitorId.value}`, "how can I help?");
  await chat.sync();
  expect(chat.unread.value).toBe(2);

  chat.send("my own second message");
  await until(() => chat.outbox.items.value.length === 0, "the second message");
  await chat.sync();
  expect(chat.unread.value).toBe(2);

  chat.open();
  expect(chat.unread.value).toBe(0);
  api.reply(`visitor:${chat.visitorId.value}`, "while open");
  await chat.sync();
  expect(chat.unread.value).toBe(0);
});

it("a reply read again (the same id) is not counted twice", async () => {
  const chat = page.chat();
  chat.send("once");
  await until(() => chat.outbox.items.value.length === 0);
  api.reply(`visitor:${chat.visitorId.value}`, "one reply");
  await chat.sync();
  await chat.sync();
  expect(chat.unread.value).toBe(1);
});

it("a reload counts the replies that came after what the visitor last saw here, and no others", async () => {
  const first = page.chat();
  first.open();
  first.send("a question");
  await until(() => first.outbox.items.value.length === 0, "the question");
  api.reply(`visitor:${first.visitorId.value}`, "read while open");
  await first.sync();
  first.close();
  api.reply(`visitor:${first.visitorId.value}`, "came while away");
  const again = page.chat();
  await until(() => again.history.value.length === 3, "the history");
  expect(again.unread.value).toBe(1);
});

it("on a device that never showed the thread, its history is not new", async () => {
  const claim = { userId: "u_ada", userHash: "h" };
  for (const text of ["an answer read on the laptop", "a second one", "a third one"]) api.reply("user:u_ada", text);
  const phone = page.chat({ claim });
  await until(() => phone.history.value.length === 3, "the history");
  expect(phone.unread.value).toBe(0);
  api.reply("user:u_ada", "a new one");
  await phone.sync();
  expect(phone.unread.value).toBe(1);
});

it("replies sent after the visitor's own message count, even if the panel was never opened", async () => {
  const first = page.chat();
  first.send("asked through the SDK");
  await until(() => first.outbox.items.value.length === 0, "the question");
  api.reply(`visitor:${first.visitorId.value}`, "answer");
  const again = page.chat();
  await until(() => again.history.value.length === 2, "the history");
  expect(again.unread.value).toBe(1);
});

it("each app on the page keeps its own mark of what its visitor saw: another app's does not overwrite it", async () => {
  const first = page.chat();
  first.send("asked here");
  await until(() => first.outbox.items.value.length === 0, "the question");
  api.reply(`visitor:${first.visitorId.value}`, "answer");
  // Another app's widget on the same site, whose visitor writes too (and so marks what it saw).
  const other = page.chat({ appId: "app_other" });
  other.send("asked the other app");
  await until(() => other.outbox.items.value.length === 0, "the other app's question");
  const again = page.chat();
  await until(() => again.history.value.length === 2, "the history");
  expect(again.unread.value).toBe(1);
});
