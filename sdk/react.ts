// `parley/react`: the provider loads Parley once and turns the app's signed-in user into
// `identify`/`logout`; the hooks give components the typed API and the unread count.
//
//   <ParleyProvider host="https://parley.example.com" appId="app_…" identity={user?.parleyIdentity}>
//
// React is a peer dependency; nothing of React reaches the widget, which never imports this.
import { createContext, createElement, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from "react";
import type { Claim } from "../contract/wire.ts";
import * as Parley from "./parley.ts";
import type { LoadOptions } from "./parley.ts";

export type ParleyApi = typeof Parley;

export interface ParleyProviderProps {
  /** Where Parley is served (`Parley.load`'s `host`). */
  host: string;
  appId: string;
  /**
   * The signed-in user's proof, from your backend; `null` or absent: an anonymous visitor. Compared
   * by value, so a new object for the same proof on every render changes nothing; another proof
   * is `identify`, and none after one is `logout`.
   */
  identity?: Claim | null;
  /** Any other `load` option. Read once, when Parley loads (`refreshIdentity` is also passed on with each `identify`). */
  settings?: Omit<LoadOptions, "host" | "appId" | "identity">;
  children?: ReactNode;
}

const ParleyContext = createContext<ParleyApi>(Parley);

export function ParleyProvider({ host, appId, identity, settings, children }: ParleyProviderProps) {
  const key = identityKey(identity);
  const latest = useRef({ identity, settings });
  latest.current = { identity, settings };
  // The identity Parley has now: undefined until loaded. A ref, so StrictMode's second run of
  // the effect finds it applied and does nothing.
  const applied = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    const { identity, settings } = latest.current;
    if (applied.current === undefined) Parley.load({ ...settings, host, appId, ...(identity ? { identity } : {}) });
    else if (key === applied.current) return;
    else if (identity) Parley.identify(identity, settings?.refreshIdentity ? { refreshIdentity: settings.refreshIdentity } : {});
    else Parley.logout();
    applied.current = key;
  }, [host, appId, key]);
  return createElement(ParleyContext.Provider, { value: Parley }, children);
}

/** The typed API: `useParley().open({ message: "…" })`. Works outside a provider too (calls queue until Parley loads). */
export function useParley(): ParleyApi {
  return useContext(ParleyContext);
}

/** Unread replies and announcements, kept current by the `unread` event; 0 before Parley starts and on the server. */
export function useUnreadCount(): number {
  return useSyncExternalStore(unread.subscribe, unread.get, () => 0);
}

/** One `unread` listener for every component that shows the count. */
const unread = /* @__PURE__ */ (() => {
  let count = 0;
  let stop: (() => void) | undefined;
  const listeners = new Set<() => void>();
  return {
    get: () => count,
    subscribe(listener: () => void) {
      listeners.add(listener);
      stop ??= Parley.on("unread", (e) => {
        count = e.count;
        for (const l of listeners) l();
      });
      return () => {
        listeners.delete(listener);
        if (!listeners.size) stop = void stop?.();
      };
    },
  };
})();

/** A proof by value: the same fields and values, in any order, are the same identity. */
function identityKey(identity: Claim | null | undefined): string | null {
  if (!identity || typeof identity !== "object") return null;
  return JSON.stringify(identity, Object.keys(identity).sort());
}
