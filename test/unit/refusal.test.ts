// A refusal no retry can cure — the page's origin is not among the app's, or there is no such app
// — is a set-up mistake: the message shows as not sent (never "Sending…" forever), the site's
// developer is told once what to fix, and the widget stops calling.
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { API, APP, idle, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

const refusal = (status: number, code: string, message: string) => () => HttpResponse.json({ error: { code, message } }, { status });

describe("a refused origin", () => {
  it("marks the message not sent, warns once with the origin to add, and stops polling", async () => {
    const origin = refusal(403, "origin_not_allowed", `Origin ${location.origin} is not allowed for this app.`);
    api.onMessage = origin;
    api.onConversation = origin;
    api.onPoll = origin;
    const chat = page.chat();
    chat.open();
    chat.send("hello?");
    await until(() => chat.messages.value[0]?.state === "failed", "the message marked not sent");
    chat.send("anyone?");
    await until(() => chat.messages.value[1]?.state === "failed", "the second one too");
    await idle(chat);
    expect(chat.messages.value.map((m) => [m.text, m.state])).toEqual([
      ["hello?", "failed"],
      ["anyone?", "failed"],
    ]);
    expect(page.warnings()).toEqual([
      `[Parley] add this page's origin, ${location.origin}, to app ${APP}'s origins: nothing is sent until then`,
    ]);
    // No long-poll is left waiting, and none is started again.
    expect(api.hanging.size).toBe(0);
    const polls = api.conversations().filter((r) => r.body.wait).length;
    chat.close();
    chat.open();
    await idle(chat);
    expect(api.conversations().filter((r) => r.body.wait).length).toBe(polls);
  });
});

describe("an unknown app", () => {
  it("marks the message not sent and tells the developer to check the appId", async () => {
    api.onMessage = refusal(404, "app_not_found", "No app with this id.");
    const chat = page.chat();
    chat.send("hello?");
    await until(() => chat.messages.value[0]?.state === "failed", "the message marked not sent");
    expect(page.warnings()).toEqual([`[Parley] no app ${APP} at ${API}: check the snippet's appId`]);
  });

  it("a 404 of another kind (a proxy's page) is not taken for a missing app", async () => {
    api.onMessage = () => new HttpResponse("Not Found", { status: 404 });
    const chat = page.chat();
    chat.send("hello?");
    await until(() => chat.messages.value[0]?.state === "failed", "the message marked not sent");
    expect(page.warnings()).toEqual([]);
  });
});
