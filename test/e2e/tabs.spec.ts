// Two tabs of one site agree on who is chatting, and a pending message is sent by one tab only.
import { expect, test, type Page, type Request } from "@playwright/test";
import { admin, API, expectStored, identityStatus, parleyStorage, send, signIn, twoTabs, unique } from "./helpers.ts";

test("identify and logout in one tab apply to the other", async ({ context }) => {
  const [one, two] = await twoTabs(context);

  await signIn(one, "ada");
  await expect(identityStatus(one)).toHaveText("verified · u_ada");
  // The other tab follows without being touched: the widget's own header and event say so.
  await expect(two.getByRole("dialog")).toContainText("Signed in as Ada Lovelace");
  await expect(identityStatus(two)).toHaveText("verified · u_ada");
  const text = unique("ada from tab one");
  await send(one, text);
  await expect(two.getByRole("log")).toContainText(text);

  await one.getByRole("button", { name: "Sign out" }).click();
  await expect(identityStatus(two)).toHaveText("anonymous");
  await expect(two.getByRole("log")).not.toContainText(text);
  await expect(two.getByRole("dialog")).not.toContainText("Signed in as");
  expect(await parleyStorage(two)).not.toContain("u_ada");
});

test("two anonymous tabs: a question asked in one, and the operator's reply, show in both without a reload — over one stream", async ({ context }) => {
  // Streams open now across both tabs: one listens (a Web Lock), the other hears it over the channel.
  let open = 0;
  let most = 0;
  context.on("request", (r) => r.url().endsWith("/stream") && (most = Math.max(most, ++open)));
  const ended = (r: import("@playwright/test").Request) => r.url().endsWith("/stream") && open--;
  context.on("requestfinished", ended);
  context.on("requestfailed", ended);
  const [one, two] = await twoTabs(context);
  const question = unique("anonymous, tab one");
  await send(one, question);
  await expect(two.getByRole("log")).toContainText(question);
  const stored = await expectStored(question);
  const reply = unique("reply to both tabs");
  await admin(`/conversations/${stored.conversationId}/replies`, { method: "POST", body: JSON.stringify({ text: reply }) });
  await expect(one.getByRole("log")).toContainText(reply);
  await expect(two.getByRole("log")).toContainText(reply);
  expect(most).toBe(1);
});

test("a message pending in two tabs is sent by one of them, once", async ({ context }) => {
  const [one, two] = await twoTabs(context);
  await context.route(`${API}/v1/**`, (route) => route.abort("connectionrefused"));
  const text = unique("pending in both tabs");
  await one.getByRole("textbox", { name: "Message" }).fill(text);
  await one.keyboard.press("Enter");
  // Both tabs show it as pending: it is in the storage they share.
  await expect(two.getByRole("log").locator(".msg", { hasText: text })).toContainText("Sending…");

  const delivered: string[] = [];
  const watch = (name: string, page: Page) =>
    page.on("requestfinished", async (req: Request) => {
      if (req.method() === "POST" && req.url().endsWith("/messages") && req.postData()?.includes(text) && (await req.response())?.ok()) delivered.push(name);
    });
  watch("one", one);
  watch("two", two);
  await context.unroute(`${API}/v1/**`);
  // Nudge both: each comes back online at once and tries to send.
  await context.setOffline(true);
  await context.setOffline(false);

  const stored = await expectStored(text);
  expect(stored.identity?.status).toBe("anonymous");
  await expect.poll(() => delivered.length).toBe(1);
  for (const page of [one, two]) await expect(page.getByRole("log").locator(".msg", { hasText: text })).not.toContainText("Sending…");
  expect(delivered).toHaveLength(1);
});
