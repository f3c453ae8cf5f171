// window.ParleySettings (and init options): what the snippet's settings become, and how malformed
// ones are reported. Checked both through resolveOptions and through a booted widget's requests.
import { describe, expect, it, vi } from "vitest";
import { boot } from "../../widget/core/boot.ts";
import type { Chat } from "../../widget/core/chat.ts";
import { resolveOptions } from "../../widget/core/options.ts";
import type { LoaderConfig } from "../../contract/wire.ts";
import { API, hashA, payloadClaim, tokenClaim, until, useApi, usePage, win } from "./helpers.ts";

const page = usePage();
const api = useApi();

const tag: LoaderConfig = { appId: "app_tag", base: "https://cdn.test/loader.js" };
const settings = (value: unknown) => resolveOptions(tag, [{ from: "ParleySettings", value }]);

/** Boots the widget against ParleySettings only, and returns its chat. */
const bootWith = (value: unknown): Chat | undefined => page.boot(value);

describe("identity from settings", () => {
  it("turns the flat snippet fields into a hash claim", () => {
    const o = settings({ appId: "app_1", userId: "u_42", userHash: "ab".repeat(32), userEmail: "ada@example.test", userName: "Ada" });
    expect(o.claim).toEqual({ userId: "u_42", userHash: "ab".repeat(32), email: "ada@example.test", name: "Ada" });
    expect(page.warn).not.toHaveBeenCalled();
  });

  it("adds no email or name the host did not give", () => {
    const o = settings({ userId: "u_42", userHash: "ff" });
    expect(o.claim).toStrictEqual({ userId: "u_42", userHash: "ff" });
  });

  it.each([
    ["hash", hashA],
    ["signed payload", payloadClaim],
    ["token", tokenClaim],
  ])("takes a %s proof from identity: {…} as given", (_, claim) => {
    expect(settings({ identity: claim }).claim).toEqual(claim);
    expect(page.warn).not.toHaveBeenCalled();
  });

  it("sends the settings claim, exactly, on the first request", async () => {
    const chat = bootWith({ appId: "app_s", apiBase: API, userId: "u_42", userHash: "ab".repeat(32), userName: "Ada" });
    expect(chat).toBeDefined();
    await until(() => api.conversations().length > 0, "the first read");
    const first = api.requests[0]!;
    expect(first.url).toBe(`${API}/v1/apps/app_s/conversation`);
    expect(first.body.identity).toStrictEqual({ userId: "u_42", userHash: "ab".repeat(32), name: "Ada" });
    expect(first.body.visitorId).toBe(chat!.visitorId.value);
  });

  it("lets a later init replace the settings identity, and identity: null clear it", () => {
    const later = resolveOptions(tag, [
      { from: "ParleySettings", value: { identity: hashA } },
      { from: "init", value: { identity: tokenClaim } },
    ]);
    expect(later.claim).toEqual(tokenClaim);
    const cleared = resolveOptions(tag, [
      { from: "ParleySettings", value: { identity: hashA } },
      { from: "init", value: { identity: null } },
    ]);
    expect(cleared.claim).toBeNull();
  });
});

describe("app id and API base", () => {
  it("takes them from the loader's tag, settings win, then init", () => {
    expect(settings(undefined)).toMatchObject({ appId: "app_tag", apiBase: "https://cdn.test" });
    expect(settings({ appId: "app_set", apiBase: "https://api.example/" })).toMatchObject({ appId: "app_set", apiBase: "https://api.example" });
    const o = resolveOptions(tag, [
      { from: "ParleySettings", value: { appId: "app_set" } },
      { from: "init", value: { appId: "app_init" } },
    ]);
    expect(o.appId).toBe("app_init");
  });

  it("reads debug and open only when they are true", () => {
    expect(settings({ debug: true, open: true })).toMatchObject({ debug: true, open: true });
    expect(settings({})).toMatchObject({ debug: false, open: false, claim: null });
  });
});

describe("malformed settings are warned about and ignored", () => {
  it.each([
    ["a string", "app_123"],
    ["a number", 42],
    ["an array", [{ appId: "app_1" }]],
    ["true", true],
  ])("ParleySettings as %s", (_, value) => {
    const o = settings(value);
    expect(o.appId).toBe("app_tag");
    expect(o.claim).toBeNull();
    expect(page.warnings()).toEqual(["[Parley] ParleySettings: expected an object of options"]);
  });

  it.each([
    ["a number", 42],
    ["spaces and markup", "app <1>"],
    ["empty", ""],
    ["an object", { id: "app_1" }],
  ])("appId as %s keeps the tag's app id", (_, appId) => {
    const o = settings({ appId });
    expect(o.appId).toBe("app_tag");
    expect(page.warnings()).toHaveLength(1);
    expect(page.warnings()[0]).toMatch(/ParleySettings\.appId/);
  });

  it.each([["javascript:alert(1)"], ["//evil.test"], [42], ["api.test"]])("apiBase %s keeps the default", (apiBase) => {
    const o = settings({ apiBase });
    expect(o.apiBase).toBe("https://cdn.test");
    expect(page.warnings()).toHaveLength(1);
    expect(page.warnings()[0]).toMatch(/ParleySettings\.apiBase/);
  });

  it.each([
    ["an empty userId", { userId: "" }],
    ["an object userId", { userId: { id: 1 } }],
    ["a string identity", { identity: "u_42" }],
    ["an array identity", { identity: [hashA] }],
    ["an empty identity", { identity: {} }],
    ["a payload without signature", { identity: { payload: "{}" } }],
    ["a signature without payload", { identity: { signature: "ab" } }],
    ["a non-string token", { identity: { token: 123 } }],
    ["an empty token", { identity: { token: "" } }],
  ])("%s leaves the visitor anonymous", (_, value) => {
    const o = settings(value);
    expect(o.claim).toBeNull();
    expect(page.warnings()).toHaveLength(1);
    expect(page.warnings()[0]).toMatch(/^\[Parley\] ParleySettings identity: .+; continuing as an anonymous visitor$/);
  });

  it("keeps the good fields next to a bad one", () => {
    const o = settings({ appId: "app_good", apiBase: "ftp://nope", identity: hashA });
    expect(o).toMatchObject({ appId: "app_good", apiBase: "https://cdn.test", claim: hashA });
    expect(page.warnings()).toHaveLength(1);
  });

  it("names the init call, not the settings, when an init is malformed", () => {
    resolveOptions(tag, [{ from: "init", value: "app_1" }]);
    expect(page.warnings()).toEqual(["[Parley] init: expected an object of options"]);
  });

  it("boots anonymously on a malformed identity, and sends no claim", async () => {
    const chat = bootWith({ appId: "app_s", apiBase: API, identity: { userId: "" } });
    expect(chat?.claim).toBeNull();
    chat!.send("hello");
    await until(() => api.messages().length === 1);
    expect(api.messages()[0]!.body).not.toHaveProperty("identity");
    expect(page.warnings().join("\n")).toMatch(/ParleySettings identity/);
  });
});

describe("no app id anywhere", () => {
  it("warns and does not crash or mount", () => {
    win.ParleySettings = { userId: "u_1", userHash: "ab" };
    const mount = vi.fn(() => () => {});
    expect(() => page.cleanup(boot(win, mount))).not.toThrow();
    expect(mount).not.toHaveBeenCalled();
    expect(page.warnings()).toHaveLength(1);
    expect(page.warnings()[0]).toMatch(/no app id/);
    expect(() => win.Parley("open")).not.toThrow();
  });

  it("reports an app id of the wrong type and then the missing one", () => {
    const mount = vi.fn(() => () => {});
    win.ParleySettings = { appId: 12345 };
    page.cleanup(boot(win, mount));
    expect(mount).not.toHaveBeenCalled();
    expect(page.warnings()[0]).toMatch(/ParleySettings\.appId/);
    expect(page.warnings()[1]).toMatch(/no app id/);
  });
});
