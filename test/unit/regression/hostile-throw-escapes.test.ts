// Bug: "never throws into the host page" breaks when what is thrown is itself hostile. Every catch
// block formats the error with String(err) or "…" + e, which calls the thrown value's toString /
// Symbol.toPrimitive — and those can throw again, from inside the catch:
//   widget/core/commands.ts createDispatcher: warn(`"${String(command)}" failed: ${String(err)}`)
//   widget/core/emitter.ts call():            warn(`a "${event}" handler threw: ${String(err)}`)
//   widget/core/boot.ts:                      warn(`could not start: ${String(err)}`)
//   loader/loader.ts install():               console.warn("[Parley] loader: " + e)
// A claim with a throwing getter or toJSON, an event handler, a mount or a ParleySettings getter
// that throws such a value escapes into the host page. Fix: format errors with a helper that
// wraps String(err) in try/catch (falling back to e.g. "an error that cannot be shown").
import { expect, it, vi } from "vitest";
import { install } from "../../../loader/loader.ts";
import { boot } from "../../../widget/core/boot.ts";
import { chatHandlers, createDispatcher } from "../../../widget/core/commands.ts";
import { fakeDocument, loaderScript, useApi, usePage, win } from "../helpers.ts";

const page = usePage();
useApi();

const throwing = () => {
  throw hostile;
};
const hostile: object = { toString: throwing, valueOf: throwing, [Symbol.toPrimitive]: throwing };

it("Parley('identify', claim) whose getter throws a hostile value", () => {
  const dispatch = createDispatcher(chatHandlers(page.chat()));
  const claim = {
    get userId() {
      throw hostile;
    },
  };
  expect(() => dispatch("identify", claim)).not.toThrow();
  expect(page.warn).toHaveBeenCalled();
});

it("Parley('identify', claim) whose toJSON throws a hostile value", () => {
  const dispatch = createDispatcher(chatHandlers(page.chat()));
  expect(() => dispatch("identify", { userId: "u_1", userHash: "ab", toJSON: throwing })).not.toThrow();
  expect(page.warn).toHaveBeenCalled();
});

it("an event handler that throws a hostile value", () => {
  const chat = page.chat();
  const dispatch = createDispatcher(chatHandlers(chat));
  dispatch("on", "open", throwing);
  expect(() => dispatch("open")).not.toThrow();
  expect(chat.isOpen.value).toBe(true);
});

it("boot with a mount that throws a hostile value", () => {
  win.ParleySettings = { appId: "app_test" };
  expect(() => page.cleanup(boot(win, vi.fn(throwing)))).not.toThrow();
});

it("the loader with a ParleySettings getter that throws a hostile value", () => {
  const w = Object.assign(new EventTarget(), {}) as unknown as Window;
  Object.defineProperty(w, "ParleySettings", { get: throwing });
  expect(() => install(w, fakeDocument("loading").doc, loaderScript())).not.toThrow();
});
