// The console's pure rules, without a browser: where a URL puts the operator (and back), how an
// idea's voters split, and that a thread only ever appends (what is shown is never replaced).
import { signal } from "@preact/signals-core";
import { describe, expect, it } from "vitest";
import { votersBy } from "../../console/state/feedback.ts";
import { append } from "../../console/state/inbox.ts";
import { parseRoute, routePath, type Route } from "../../console/state/router.ts";
import type { Message } from "../../contract/wire.ts";

describe("routes", () => {
  it("each screen's URL reads back as the same route", () => {
    const routes: Route[] = [
      { screen: "inbox", appId: "app_1" },
      { screen: "inbox", appId: "app_1", conversationId: "conv_9" },
      { screen: "feedback", appId: "app_1" },
      { screen: "news", appId: "app_1" },
      { screen: "settings", appId: "app_1" },
      { screen: "new-app" },
      { screen: "inbox" },
    ];
    for (const route of routes) expect(parseRoute(routePath(route)), routePath(route)).toEqual(route);
  });

  it("ids are escaped in the path and read back as they were", () => {
    const route: Route = { screen: "inbox", appId: "app/ü?", conversationId: "conv#1" };
    expect(routePath(route)).toBe("/console/apps/app%2F%C3%BC%3F/inbox/conv%231");
    expect(parseRoute(routePath(route))).toEqual(route);
  });

  it("anything else is the inbox of no app yet (the first app is picked), or an app's inbox", () => {
    expect(parseRoute("/console")).toEqual({ screen: "inbox" });
    expect(parseRoute("/console/whatever")).toEqual({ screen: "inbox" });
    expect(parseRoute("/console/apps/app_1/nope")).toEqual({ screen: "inbox", appId: "app_1" });
    expect(parseRoute("/console/apps/app_1/settings/extra")).toEqual({ screen: "settings", appId: "app_1" });
  });
});

describe("votersBy", () => {
  const voter = (userId: string, attributes: Record<string, unknown>) => ({ userId, attributes });
  it("splits by attributes with few values; leaves out names, emails, ids and what is not a plain value", () => {
    const voters = [
      voter("u1", { plan: "pro", name: "Ada", email: "a@x", account: "acc_1", seats: 3, tags: ["x"] }),
      voter("u2", { plan: "pro", name: "Bob", email: "b@x", account: "acc_2", seats: 3 }),
      voter("u3", { plan: "free", name: "Cy", email: "c@x", account: "acc_3", seats: 10 }),
    ];
    expect(votersBy(voters)).toEqual([
      {
        name: "plan",
        values: [
          ["pro", 2],
          ["free", 1],
        ],
      },
      {
        name: "seats",
        values: [
          ["3", 2],
          ["10", 1],
        ],
      },
    ]);
  });

  it("two voters may differ on every attribute; more than six values is no split", () => {
    expect(votersBy([voter("u1", { plan: "pro" }), voter("u2", { plan: "free" })])).toEqual([{ name: "plan", values: [["pro", 1], ["free", 1]] }]);
    const many = Array.from({ length: 20 }, (_, i) => voter(`u${i}`, { region: `r${i % 7}` }));
    expect(votersBy(many)).toEqual([]);
  });
});

describe("append", () => {
  const message = (id: string): Message => ({ id, clientId: null, text: id, createdAt: "2026-01-01T00:00:00.000Z", author: { type: "operator" } });
  it("adds only what is not held, in order, and keeps every held message as the same object", () => {
    const a = message("a");
    const b = message("b");
    const thread = signal([a, b]);
    append(thread, [message("b"), message("c"), message("d")]);
    expect(thread.value.map((m) => m.id)).toEqual(["a", "b", "c", "d"]);
    expect(thread.value[0]).toBe(a);
    expect(thread.value[1]).toBe(b);
  });

  it("nothing new: the same array, so nothing is drawn again", () => {
    const thread = signal([message("a")]);
    const before = thread.value;
    append(thread, [message("a")]);
    append(thread, []);
    expect(thread.value).toBe(before);
  });
});
