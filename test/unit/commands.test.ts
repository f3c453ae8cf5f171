// Parley(command, ...args): the dispatcher. Its documented property is that it never throws into
// the host page; every bad call is one console.warn that names the problem, and nothing else.
import { describe, expect, it, vi, type Mock } from "vitest";
import { chatHandlers, createDispatcher, type Handler } from "../../widget/core/commands.ts";
import { COMMANDS, MAX_TEXT_LENGTH, type CommandName } from "../../contract/wire.ts";
import { hashA, hashB, useApi, usePage } from "./helpers.ts";

const page = usePage();
useApi();

const spyHandlers = () => Object.fromEntries(COMMANDS.map((name) => [name, vi.fn<Handler>()])) as Record<CommandName, Mock<Handler>>;

const throwing = () => {
  throw new Error("hostile");
};
const hostileObject = { toString: throwing, valueOf: throwing, [Symbol.toPrimitive]: throwing };
const hostileProxy = new Proxy(
  {},
  { get: throwing, has: throwing, ownKeys: throwing, getPrototypeOf: throwing, getOwnPropertyDescriptor: throwing },
);
const cyclic: Record<string, unknown> = { userId: "u_cycle", userHash: "ab" };
cyclic.self = cyclic;

/** Command names that are not commands, each with what the warning must name. */
const badNames: [string, unknown, RegExp][] = [
  ["no command at all", undefined, /unknown command undefined/],
  ["null", null, /unknown command object/],
  ["a number", 42, /unknown command number/],
  ["NaN", NaN, /unknown command number/],
  ["a boolean", true, /unknown command boolean/],
  ["a bigint", 10n, /unknown command bigint/],
  ["a Symbol", Symbol("open"), /unknown command symbol/],
  ["a well-known Symbol", Symbol.iterator, /unknown command symbol/],
  ["a function", () => "open", /unknown command function/],
  ["an array holding a command", ["open"], /unknown command object/],
  ["an object with throwing toString", hostileObject, /unknown command object/],
  ["a Proxy that throws on every trap", hostileProxy, /unknown command object/],
  ["an empty string", "", /unknown command ""/],
  ["a misspelling", "opne", /unknown command "opne"/],
  ["the wrong case", "OPEN", /unknown command "OPEN"/],
  ["padding", " open", /unknown command " open"/],
  ["an Object.prototype name", "constructor", /unknown command "constructor"/],
  ["__proto__", "__proto__", /unknown command "__proto__"/],
  ["toString", "toString", /unknown command "toString"/],
  ["hasOwnProperty", "hasOwnProperty", /unknown command "hasOwnProperty"/],
  ["the queue's own property", "q", /unknown command "q"/],
];

describe("createDispatcher", () => {
  it.each(badNames)("warns about %s and calls no handler", (_, name, problem) => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers);
    expect(() => dispatch(name, hashA)).not.toThrow();
    for (const h of Object.values(handlers)) expect(h).not.toHaveBeenCalled();
    expect(page.warnings()).toHaveLength(1);
    expect(page.warnings()[0]).toMatch(problem);
    expect(page.warnings()[0]).toMatch(/expected one of init, identify, logout, open, close, toggle, on, off/);
  });

  it("calls the handler with the remaining arguments for every command", () => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers);
    for (const name of COMMANDS) dispatch(name, 1, "two");
    for (const name of COMMANDS) expect(handlers[name]).toHaveBeenCalledExactlyOnceWith(1, "two");
    expect(page.warn).not.toHaveBeenCalled();
  });

  it("turns a handler's throw into a warning naming the command", () => {
    const handlers = spyHandlers();
    handlers.open.mockImplementation(() => {
      throw new TypeError("broken");
    });
    const dispatch = createDispatcher(handlers);
    expect(() => dispatch("open")).not.toThrow();
    expect(page.warnings()).toEqual(['[Parley] "open" failed: TypeError: broken']);
  });
});

describe("chatHandlers: bad arguments", () => {
  function setup() {
    const chat = page.chat({ claim: hashA });
    const dispatch = createDispatcher(chatHandlers(chat));
    return { chat, dispatch, visitorId: chat.visitorId.value };
  }

  it.each<[string, unknown]>([
    ["nothing", undefined],
    ["null", null],
    ["a string", "user_1"],
    ["a number", 42],
    ["an array", [hashB]],
    ["an empty object", {}],
    ["an empty userId", { userId: "" }],
    ["a null userId", { userId: null }],
    ["an Infinity userId", { userId: Infinity }],
    ["an empty token", { token: "" }],
    ["a numeric token", { token: 5 }],
    ["a payload without signature", { payload: "{}" }],
    ["an object payload", { payload: { id: 1 }, signature: "ab" }],
    ["a throwing getter", { get userId() {
      return throwing();
    } }],
    ["a throwing Proxy", hostileProxy],
    ["a cyclic object", cyclic],
    ["a BigInt inside", { userId: "u_big", userHash: "ab", extra: 1n }],
  ])("identify(%s) warns and leaves the user unchanged", (_, identity) => {
    const { chat, dispatch, visitorId } = setup();
    page.warn.mockClear();
    expect(() => dispatch("identify", identity)).not.toThrow();
    expect(page.warnings()).toHaveLength(1);
    expect(page.warnings()[0]).toMatch(/identify/);
    expect(chat.claim).toEqual(hashA);
    expect(chat.visitorId.value).toBe(visitorId);
  });

  it.each(["on", "off"])("%s with an unknown event names the event", (cmd) => {
    const { dispatch } = setup();
    page.warn.mockClear();
    dispatch(cmd, "redy", () => {});
    dispatch(cmd, Symbol("ready"), () => {});
    dispatch(cmd, hostileObject, () => {});
    dispatch(cmd);
    expect(page.warnings()).toEqual([
      `[Parley] ${cmd}: unknown event "redy"; expected one of ready, identity, message, open, close, unread`,
      `[Parley] ${cmd}: unknown event symbol; expected one of ready, identity, message, open, close, unread`,
      `[Parley] ${cmd}: unknown event object; expected one of ready, identity, message, open, close, unread`,
      `[Parley] ${cmd}: unknown event undefined; expected one of ready, identity, message, open, close, unread`,
    ]);
  });

  it.each(["on", "off"])("%s without a function says fn must be a function", (cmd) => {
    const { dispatch } = setup();
    page.warn.mockClear();
    for (const fn of [undefined, null, "alert(1)", {}, hostileObject]) expect(() => dispatch(cmd, "open", fn)).not.toThrow();
    expect(page.warnings()).toHaveLength(5);
    for (const w of page.warnings()) expect(w).toBe(`[Parley] ${cmd}("open", fn): fn must be a function`);
  });

  it("on/off register and remove a real handler", () => {
    const { chat, dispatch } = setup();
    const fn = vi.fn();
    dispatch("on", "open", fn);
    chat.open();
    dispatch("off", "open", fn);
    chat.close();
    chat.open();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it.each<[string, unknown]>([
    ["nothing", undefined],
    ["options", { appId: "app_other", identity: hashB }],
    ["a hostile object", hostileProxy],
  ])("init(%s) after start warns that it is already initialised and changes nothing", (_, options) => {
    const { chat, dispatch } = setup();
    page.warn.mockClear();
    expect(() => dispatch("init", options)).not.toThrow();
    expect(page.warnings()).toHaveLength(1);
    expect(page.warnings()[0]).toMatch(/init: Parley is already initialised/);
    expect(chat.claim).toEqual(hashA);
  });

  it("a host handler that throws is reported, and the next handler still runs", () => {
    const { chat, dispatch } = setup();
    const next = vi.fn();
    dispatch("on", "open", throwing);
    dispatch("on", "open", next);
    expect(() => chat.open()).not.toThrow();
    expect(next).toHaveBeenCalledTimes(1);
    expect(page.warnings().join("\n")).toMatch(/an? "open" handler threw: Error: hostile/);
  });

  it("keeps working after a storm of bad calls", () => {
    const { chat, dispatch } = setup();
    for (const [, name] of badNames) dispatch(name, hostileProxy, hostileObject);
    dispatch("identify", hostileProxy);
    dispatch("on", hostileProxy, hostileProxy);
    dispatch("open");
    expect(chat.isOpen.value).toBe(true);
    dispatch("identify", hashB);
    expect(chat.claim).toEqual(hashB);
  });

  it("close/toggle ignore extra arguments; open reads only its options, and a hostile one still opens, with a warning", () => {
    const { chat, dispatch } = setup();
    dispatch("open", hostileProxy);
    expect(chat.isOpen.value).toBe(true);
    expect(page.warnings()).toEqual(["[Parley] open(options): expected { message?, tab? }"]);
    dispatch("toggle", 1, 2, 3);
    expect(chat.isOpen.value).toBe(false);
    dispatch("close", hostileObject);
    expect(chat.isOpen.value).toBe(false);
    expect(page.warn).toHaveBeenCalledTimes(1);
  });
});

describe("chatHandlers: open's options", () => {
  it("a message of at most MAX_TEXT_LENGTH characters goes with the panel; a longer one or no text is warned about and left out; no option, no warning", () => {
    const chat = page.chat({ claim: hashA });
    const open = vi.spyOn(chat, "open").mockImplementation(() => {});
    const dispatch = createDispatcher(chatHandlers(chat));
    const longest = "x".repeat(MAX_TEXT_LENGTH);
    dispatch("open", { message: longest });
    dispatch("open", {});
    dispatch("open", { tab: "chat" });
    expect(open.mock.calls).toEqual([[{ message: longest }], [{}], [{ tab: "chat" }]]);
    expect(page.warnings()).toEqual([]);
    dispatch("open", { message: longest + "x" });
    dispatch("open", { message: 42 });
    expect(open.mock.calls.slice(3)).toEqual([[{}], [{}]]);
    expect(page.warnings()).toEqual([`[Parley] open: message must be text of at most ${MAX_TEXT_LENGTH} characters`, `[Parley] open: message must be text of at most ${MAX_TEXT_LENGTH} characters`]);
  });
});
