// resolveOptions and the claim checks at their edges: the exact bounds of every validated field
// (lengths, anchors, character classes, case), the exact warning each bad field gets, and the
// defaults when there is no loader at all. A bad field is one warning naming it; a good one, none.
import { describe, expect, it } from "vitest";
import { claimFromSettings, claimProblem, claimedUser, sameClaim } from "../../widget/core/claim.ts";
import { resolveOptions } from "../../widget/core/options.ts";
import type { LoaderConfig } from "../../contract/wire.ts";
import { hashA, payloadClaim, tokenClaim, usePage } from "./helpers.ts";

const page = usePage();

const tag: LoaderConfig = { appId: "app_tag", base: "https://cdn.test/parley/loader.js" };
const settings = (value: unknown) => resolveOptions(tag, [{ from: "ParleySettings", value }]);

/** The field is taken as given, with no warning. */
function accepts(field: string, value: unknown, read: (o: ReturnType<typeof settings>) => unknown, expected: unknown = value) {
  const o = settings({ [field]: value });
  expect(read(o)).toBe(expected);
  expect(page.warnings()).toEqual([]);
}

/** The field is ignored (the default stays), with exactly this one warning. */
function refuses(field: string, value: unknown, read: (o: ReturnType<typeof settings>) => unknown, fallback: unknown, warning: string) {
  const o = settings({ [field]: value });
  expect(read(o)).toBe(fallback);
  expect(page.warnings()).toEqual([`[Parley] ${warning}`]);
}

describe("defaults", () => {
  it("without a loader: no app id, the page's own origin as API, anonymous, closed, light, right", () => {
    expect(resolveOptions(undefined, [])).toStrictEqual({
      appId: undefined,
      apiBase: location.origin,
      claim: null,
      debug: false,
      open: false,
      appearance: { position: "right", theme: "light" },
    });
  });

  it("with a loader: its app id, and its own origin as API when it names none", () => {
    expect(resolveOptions(tag, [])).toMatchObject({ appId: "app_tag", apiBase: "https://cdn.test" });
  });

  it("the loader's data-api-base wins over its origin, without trailing slashes", () => {
    expect(resolveOptions({ ...tag, apiBase: "https://api.example/base//" }, []).apiBase).toBe("https://api.example/base");
  });

  it.each([null, undefined])("settings of %s are skipped silently", (value) => {
    expect(settings(value)).toMatchObject({ appId: "app_tag", claim: null });
    expect(page.warnings()).toEqual([]);
  });
});

describe("appId", () => {
  const read = (o: ReturnType<typeof settings>) => o.appId;
  const warning = 'ParleySettings.appId: expected an app id such as "app_…"';
  it.each(["a", "A", "7", "_", "-", "app_AZaz09-_", "x".repeat(100)])("takes %j", (appId) => accepts("appId", appId, read));
  it.each(["x".repeat(101), " app_1", "app_1 ", "app.1", "app/1", "app_1\n"])("refuses %j", (appId) => refuses("appId", appId, read, "app_tag", warning));
});

describe("apiBase", () => {
  const read = (o: ReturnType<typeof settings>) => o.apiBase;
  it("takes http and https, trimming every trailing slash", () => {
    accepts("apiBase", "http://localhost:8787", read);
    accepts("apiBase", "https://api.example///", read, "https://api.example");
  });
  it.each(["xhttps://api.example", " https://api.example", "https:/api.example", "httpss://api.example"])("refuses %j", (apiBase) =>
    refuses("apiBase", apiBase, read, "https://cdn.test", "ParleySettings.apiBase: expected an http(s) URL"),
  );
});

describe("values that only read as text", () => {
  // A list or an object whose text looks right is still not text: refused, never passed on.
  const looksLike = (text: string) => ({ toString: () => text });
  it.each<[string, unknown, (o: ReturnType<typeof settings>) => unknown, unknown, string]>([
    ["apiBase", ["https://api.example"], (o) => o.apiBase, "https://cdn.test", "ParleySettings.apiBase: expected an http(s) URL"],
    ["apiBase", looksLike("https://api.example"), (o) => o.apiBase, "https://cdn.test", "ParleySettings.apiBase: expected an http(s) URL"],
    ["accentColor", ["#abc"], (o) => o.appearance.accentColor, undefined, 'ParleySettings.accentColor: expected a hex colour such as "#3451d1"'],
    ["locale", ["fr"], (o) => o.appearance.locale, undefined, 'ParleySettings.locale: expected a language tag such as "fr" or "en-GB"'],
  ])("%s %j is refused", (field, value, read, fallback, warning) => refuses(field, value, read, fallback, `${warning}`));
});

describe("debug and open", () => {
  it.each(["debug", "open"] as const)("%s: false stays false, true is taken, a non-boolean is named", (flag) => {
    expect(settings({ [flag]: false })[flag]).toBe(false);
    expect(resolveOptions(tag, [{ from: "init", value: { [flag]: true } }, { from: "init", value: { [flag]: false } }])[flag]).toBe(false);
    expect(page.warnings()).toEqual([]);
    refuses(flag, 1, (o) => o[flag], false, `ParleySettings.${flag}: expected true or false`);
  });
});

describe("appearance", () => {
  const accent = (o: ReturnType<typeof settings>) => o.appearance.accentColor;
  it.each(["#abc", "#ABC", "#0f9", "#aabbcc", "#A1B2C3"])("accentColor takes %j", (c) => accepts("accentColor", c, accent));
  it.each(["abc", "#ab", "#abcd", "#aabbc", "#aabbccd", "#gggggg", "x#abc", "#abc;", "red", 0x3451d1])("accentColor refuses %j", (c) =>
    refuses("accentColor", c, accent, undefined, 'ParleySettings.accentColor: expected a hex colour such as "#3451d1"'),
  );

  const position = (o: ReturnType<typeof settings>) => o.appearance.position;
  it("position takes left and right", () => {
    accepts("position", "left", position);
    accepts("position", "right", position);
  });
  it.each(["center", "LEFT", ""])("position refuses %j", (p) => refuses("position", p, position, "right", 'ParleySettings.position: expected "left" or "right"'));

  const theme = (o: ReturnType<typeof settings>) => o.appearance.theme;
  it.each(["light", "dark", "auto"])("theme takes %j", (t) => accepts("theme", t, theme));
  it.each(["Dark", "night", ""])("theme refuses %j", (t) => refuses("theme", t, theme, "light", 'ParleySettings.theme: expected "light", "dark" or "auto"'));

  const label = (o: ReturnType<typeof settings>) => o.appearance.launcherLabel;
  it("launcherLabel takes 1 to 40 characters, trimmed", () => {
    accepts("launcherLabel", "H", label);
    accepts("launcherLabel", "y".repeat(40), label);
    accepts("launcherLabel", "  Help  ", label, "Help");
  });
  it.each(["", "   ", "z".repeat(41), 7])("launcherLabel refuses %j", (l) =>
    refuses("launcherLabel", l, label, undefined, "ParleySettings.launcherLabel: expected text of 1 to 40 characters"),
  );

  const locale = (o: ReturnType<typeof settings>) => o.appearance.locale;
  it.each(["fr", "FR", "fil", "en-GB", "en-gb", "zh-Hant-TW", "de-1996", "en-abcdefgh"])("locale takes %j", (l) => accepts("locale", l, locale));
  it.each(["e", "engl", "en-G", "en-abcdefghi", "en_GB", " fr", "fr ", "en-", "1e", "fr-é"])("locale refuses %j", (l) =>
    refuses("locale", l, locale, undefined, 'ParleySettings.locale: expected a language tag such as "fr" or "en-GB"'),
  );

  it("keeps what an earlier source set when a later one is bad", () => {
    const o = resolveOptions(tag, [
      { from: "ParleySettings", value: { accentColor: "#123456", position: "left", theme: "dark", launcherLabel: "Chat", locale: "fr" } },
      { from: "init", value: { accentColor: "blue", position: "up", theme: "sepia", launcherLabel: "", locale: "français" } },
    ]);
    expect(o.appearance).toStrictEqual({ accentColor: "#123456", position: "left", theme: "dark", launcherLabel: "Chat", locale: "fr" });
    expect(page.warnings().map((w) => w.split(":")[0])).toEqual(["[Parley] init.accentColor", "[Parley] init.position", "[Parley] init.theme", "[Parley] init.launcherLabel", "[Parley] init.locale"]);
  });
});

describe("claimProblem: the exact reason a value is not a claim", () => {
  it.each<[string, unknown, string]>([
    ["a string", "u_1", "expected an object"],
    ["null", null, "expected an object"],
    ["an array", [hashA], "expected an object"],
    ["an object of no proof", { email: "a@b.test" }, "expected { userId, userHash }, { payload, signature } or { token }"],
    ["an empty token", { token: "" }, "token must be a non-empty string"],
    ["a JWT-shaped token that is not text", { token: ["a", "b", "c"] }, "token must be a non-empty string"],
    ["a payload without signature", { payload: "{}" }, "payload and signature must be non-empty strings"],
    ["a signature without payload", { signature: "ab" }, "payload and signature must be non-empty strings"],
    ["an empty signature", { payload: "{}", signature: "" }, "payload and signature must be non-empty strings"],
    ["an empty userId", { userId: "" }, "userId must be a non-empty string"],
    ["a NaN userId", { userId: NaN }, "userId must be a non-empty string"],
    ["a boolean userId", { userId: true }, "userId must be a non-empty string"],
  ])("%s", (_, value, problem) => expect(claimProblem(value)).toBe(problem));

  it.each<[string, unknown]>([
    ["a hash", hashA],
    ["a numeric userId", { userId: 42 }],
    ["a bare userId", { userId: "u" }],
    ["a payload", payloadClaim],
    ["a token", tokenClaim],
    ["a JWT", { token: "a.b.c" }],
  ])("%s is a claim", (_, value) => expect(claimProblem(value)).toBeUndefined());

  it("is the warning identity settings give, word for word", () => {
    expect(settings({ identity: { token: "" } }).claim).toBeNull();
    expect(page.warnings()).toEqual(["[Parley] ParleySettings identity: token must be a non-empty string; continuing as an anonymous visitor"]);
  });
});

describe("claimFromSettings", () => {
  it("no userId and no identity: nothing to say about the claim", () => {
    expect(claimFromSettings({ userHash: "ab", userEmail: "a@b.test" } as never)).toBeUndefined();
    expect(settings({ userHash: "ab" }).claim).toBeNull();
    expect(page.warnings()).toEqual([]);
  });

  it("a bare userId (an app in optional mode) becomes { userId } and nothing else", () => {
    expect(claimFromSettings({ userId: "u_bare" } as never)).toStrictEqual({ userId: "u_bare" });
    expect(settings({ userId: "u_bare" }).claim).toStrictEqual({ userId: "u_bare" });
  });

  it("identity wins over the flat fields", () => {
    expect(claimFromSettings({ userId: "u_flat", userHash: "ab", identity: tokenClaim } as never)).toBe(tokenClaim);
  });

  it("a later source that says nothing of identity keeps the earlier claim", () => {
    const o = resolveOptions(tag, [
      { from: "ParleySettings", value: { identity: hashA } },
      { from: "init", value: { debug: true } },
    ]);
    expect(o.claim).toEqual(hashA);
  });
});

describe("claimedUser and sameClaim", () => {
  it("names the user a claim claims, '?' when unreadable, null for none", () => {
    expect(claimedUser(hashA)).toBe("user-alice-42");
    expect(claimedUser({ userId: 42 } as never)).toBe("42");
    expect(claimedUser(payloadClaim)).toBe("user-payload-1");
    expect(claimedUser(tokenClaim)).toBe("user-token-9");
    expect(claimedUser({ token: "%%%" })).toBe("?");
    expect(claimedUser(null)).toBeNull();
  });

  it("compares claims by content", () => {
    expect(sameClaim({ ...hashA }, hashA)).toBe(true);
    expect(sameClaim(null, null)).toBe(true);
    expect(sameClaim(hashA, null)).toBe(false);
    expect(sameClaim(hashA, { ...hashA, name: "Other" })).toBe(false);
  });
});
