// `parley/react`: the provider loads Parley once (StrictMode too) and turns the app's identity prop
// into identify/logout — by value, not by reference; useUnreadCount follows the unread event.
import { createElement, StrictMode, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { act } from "react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Claim } from "../../contract/wire.ts";
import { ParleyProvider, useParley, useUnreadCount, type ParleyProviderProps } from "../../sdk/react.ts";
import { hashA, hashB, usePage, win } from "../unit/helpers.ts";

const page = usePage();
let root: Root | undefined;

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.innerHTML = "";
});

const loaders = () => document.querySelectorAll('script[src="https://parley.example.com/loader.js"]');
/** The calls queued for the widget, without their handlers. */
const queued = () => Array.from((win.Parley?.q ?? []) as ArrayLike<unknown>[], (args) => Array.from(args).filter((a) => typeof a !== "function"));

function render(props: Partial<ParleyProviderProps>, children?: ReactNode) {
  const element = createElement(StrictMode, null, createElement(ParleyProvider, { host: "https://parley.example.com", appId: "app_1", ...props }, children));
  act(() => {
    if (!root) {
      const el = document.createElement("div");
      document.body.append(el);
      root = createRoot(el);
    }
    root.render(element);
  });
}

describe("<ParleyProvider>", () => {
  it("loads Parley once, under StrictMode's double effects, with the identity and settings as init", () => {
    render({ identity: hashA, settings: { launcher: false, nonce: "n0nce" } });
    expect(loaders()).toHaveLength(1);
    expect((loaders()[0] as HTMLScriptElement).nonce).toBe("n0nce");
    expect(queued()).toEqual([["init", { launcher: false, identity: hashA }]]);
    expect(page.warnings()).toEqual([]);
  });

  it("compares the identity by value: a new object for the same proof changes nothing", () => {
    render({ identity: { ...hashA } });
    render({ identity: { ...hashA } });
    render({ identity: Object.fromEntries(Object.entries(hashA).reverse()) as Claim });
    expect(queued()).toEqual([["init", { identity: hashA }]]);
  });

  it("turns a login into identify, another user into identify, and a logout into logout", () => {
    render({ identity: null });
    render({ identity: hashA });
    render({ identity: hashB });
    render({ identity: undefined });
    render({ identity: null });
    expect(queued()).toEqual([["identify", hashA, {}], ["identify", hashB, {}], ["logout"]]);
  });

  it("passes refreshIdentity on with each identify", () => {
    const refreshIdentity = async () => hashA;
    render({ settings: { refreshIdentity } });
    render({ identity: hashA, settings: { refreshIdentity } });
    const calls = Array.from(win.Parley.q as ArrayLike<unknown>[], (args) => Array.from(args));
    expect(calls).toEqual([["init", { refreshIdentity }], ["identify", hashA, { refreshIdentity }]]);
  });
});

describe("useParley and useUnreadCount", () => {
  it("give the typed API, and the count from the unread event as it changes", () => {
    let api: ReturnType<typeof useParley> | undefined;
    function Help() {
      api = useParley();
      return createElement("button", null, `Help (${useUnreadCount()})`);
    }
    render({}, createElement(Help));
    const button = () => document.querySelector("button")!.textContent;
    expect(button()).toBe("Help (0)");
    // What the widget does with the queued `on`: calls the handler with each new count.
    const onUnread = Array.from(win.Parley.q as ArrayLike<unknown>[]).find((args) => args[0] === "on" && args[1] === "unread")!;
    const emit = onUnread[2] as (e: { count: number }) => void;
    act(() => emit({ count: 3 }));
    expect(button()).toBe("Help (3)");
    act(() => emit({ count: 0 }));
    expect(button()).toBe("Help (0)");
    api!.open({ message: "Hi" });
    expect(queued().at(-1)).toEqual(["open", { message: "Hi" }]);
  });

  it("stop listening when the last component showing the count goes", () => {
    function Count() {
      return createElement("span", null, useUnreadCount());
    }
    render({}, createElement(Count));
    act(() => root!.unmount());
    root = undefined;
    const ons = queued().filter((c) => c[0] === "on" && c[1] === "unread").length;
    const offs = queued().filter((c) => c[0] === "off" && c[1] === "unread").length;
    expect(ons).toBeGreaterThan(0);
    expect(offs).toBe(ons);
  });
});
