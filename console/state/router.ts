// Where the operator is, as a URL they can reload or bookmark: /console/apps/APP/inbox/CONV,
// …/feedback, …/news, …/settings, /console/new-app. The route is a signal; navigating pushes history.
import { signal } from "@preact/signals-core";

export type Screen = "inbox" | "feedback" | "news" | "settings" | "new-app";
export interface Route {
  screen: Screen;
  appId?: string;
  conversationId?: string;
}

const BASE = "/console";

export function parseRoute(path: string): Route {
  const parts = path.slice(path.startsWith(BASE) ? BASE.length : 0).split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "new-app") return { screen: "new-app" };
  if (parts[0] !== "apps" || !parts[1]) return { screen: "inbox" };
  const screen = parts[2] === "settings" || parts[2] === "news" || parts[2] === "feedback" ? parts[2] : "inbox";
  return { screen, appId: parts[1], ...(screen === "inbox" && parts[3] ? { conversationId: parts[3] } : {}) };
}

export function routePath(route: Route): string {
  if (route.screen === "new-app") return `${BASE}/new-app`;
  if (!route.appId) return `${BASE}/`;
  const app = `${BASE}/apps/${encodeURIComponent(route.appId)}/${route.screen}`;
  return route.conversationId ? `${app}/${encodeURIComponent(route.conversationId)}` : app;
}

export function createRouter() {
  const route = signal<Route>(parseRoute(location.pathname));
  const navigate = (next: Route, { replace = false } = {}) => {
    const path = routePath(next);
    if (path !== location.pathname) history[replace ? "replaceState" : "pushState"](null, "", path);
    route.value = next;
  };
  /** Follows the browser's back and forward buttons; returns how to stop. */
  const start = () => {
    const onPop = () => (route.value = parseRoute(location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  };
  return { route, navigate, start };
}
export type Router = ReturnType<typeof createRouter>;
