// Property test of the command dispatcher: whatever a host page passes, `Parley(...)` never throws.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { Chat } from "../../widget/core/chat.ts";
import { chatHandlers, createDispatcher } from "../../widget/core/commands.ts";
import { safeStorage } from "../../widget/core/storage.ts";
import { COMMANDS } from "../../contract/wire.ts";

const realFetch = globalThis.fetch;
beforeAll(() => {
  // The server's answers do not matter here: every request fails fast.
  globalThis.fetch = (async () => new Response("{}", { status: 503 })) as typeof fetch;
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterAll(() => {
  globalThis.fetch = realFetch;
  vi.restoreAllMocks();
});

/**
 * Values that throw when touched. fast-check itself inspects the values it generates, so it
 * generates a name and the property builds the value.
 */
const TRAPS: Record<string, () => unknown> = {
  symbol: () => Symbol("s"),
  throwingFunction: () => () => {
    throw new Error("handler throws");
  },
  proxy: () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        has() {
          throw new Error("trap");
        },
        ownKeys() {
          throw new Error("trap");
        },
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    ),
  throwingGetter: () => ({
    get userId(): string {
      throw Object.assign(Object.create(null), { toString: undefined });
    },
  }),
  throwingToJSON: () => ({
    token: "a.b",
    toJSON() {
      throw new Error("toJSON");
    },
  }),
};
const trap = (name: string) => ({ trap: name });
const build = (v: unknown) => (v && typeof v === "object" && "trap" in v && typeof v.trap === "string" && TRAPS[v.trap] ? TRAPS[v.trap]!() : v);

/** Values a hostile or careless page might pass: anything, plus things that throw when touched. */
const hostile = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  fc.constantFrom(...Object.keys(TRAPS)).map(trap),
);

it("never throws, for any command name and any arguments", () => {
  const chat = new Chat({ appId: "app_prop", apiBase: "http://127.0.0.1:9", storage: safeStorage(() => localStorage) });
  const stop = chat.start();
  const dispatch = createDispatcher(chatHandlers(chat));
  const name = fc.oneof(fc.constantFrom(...COMMANDS), hostile);
  fc.assert(
    fc.property(name, fc.array(hostile, { maxLength: 4 }), (command, args) => {
      expect(() => dispatch(build(command), ...args.map(build))).not.toThrow();
    }),
    { numRuns: 1000 },
  );
  stop();
});
