// The unread count: operator replies that arrive while the panel is closed — never the visitor's
// own messages, never history — and back to 0 when the panel opens.
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
