// The page: sign-in, or the console — a header (app, screens, sign out) above the chosen screen.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { ConsoleState } from "../state/console.ts";
import { routePath, type Route, type Screen } from "../state/router.ts";
import { FeedbackScreen } from "./feedback.tsx";
import { InboxScreen } from "./inbox.tsx";
import { NewAppScreen } from "./new-app.tsx";
import { NewsScreen } from "./news.tsx";
import { SettingsScreen } from "./settings.tsx";
import { SignIn } from "./sign-in.tsx";
import { useSignal } from "./use-signal.ts";

export function ConsoleApp({ app }: { app: ConsoleState }) {
  const status = useSignal(app.session.status);
  if (status === "checking") return <p class="boot" role="status">Loading the Parley console…</p>;
  if (status === "signed-out") return <SignIn app={app} />;
  return <Shell app={app} />;
}

const SCREENS: { screen: Exclude<Screen, "new-app">; label: string }[] = [
  { screen: "inbox", label: "Inbox" },
  { screen: "feedback", label: "Feedback" },
  { screen: "news", label: "What's new" },
  { screen: "settings", label: "Settings" },
];

/** A link that moves within the console without reloading it. */
export function RouteLink({ app, to, children, current, class: className, dataId }: { app: ConsoleState; to: Route; children: ComponentChildren; current?: boolean; class?: string; dataId?: string }) {
  return (
    <a
      href={routePath(to)}
      class={className}
      data-id={dataId}
      aria-current={current ? "page" : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        app.router.navigate(to);
      }}
    >
      {children}
    </a>
  );
}

function Shell({ app }: { app: ConsoleState }) {
  const route = useSignal(app.router.route);
  const apps = useSignal(app.apps.list);
  const problem = useSignal(app.apps.problem);
  const current = useSignal(app.app);
  const main = useRef<HTMLElement>(null);
  const screenLabel = route.screen === "new-app" ? "New app" : SCREENS.find((s) => s.screen === route.screen)!.label;

  useEffect(() => {
    document.title = `${screenLabel}${current ? ` · ${current.name}` : ""} · Parley console`;
  }, [screenLabel, current?.name]);
  // A new screen: focus its heading, as a page load would put the reader at its top.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) return void (first.current = false);
    main.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [route.screen, route.appId]);

  return (
    <div class={`shell${route.screen === "inbox" ? " fill" : ""}`}>
      <header class="top">
        <a class="brand" href="/console/">
          Parley
        </a>
        {apps && apps.length > 0 && route.screen !== "new-app" && (
          <label class="app-picker">
            <span class="sr-only">App</span>
            <select value={route.appId} onChange={(e) => app.router.navigate({ screen: route.screen, appId: (e.target as HTMLSelectElement).value })}>
              {apps.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {current && route.screen !== "new-app" && (
          <nav aria-label="Console" class="screens">
            {SCREENS.map((s) => (
              <RouteLink key={s.screen} app={app} to={{ screen: s.screen, appId: current.id }} current={route.screen === s.screen}>
                {s.label}
              </RouteLink>
            ))}
          </nav>
        )}
        <span class="spacer" />
        <RouteLink app={app} to={{ screen: "new-app" }} class="quiet" current={route.screen === "new-app"}>
          New app
        </RouteLink>
        <button type="button" class="quiet" onClick={() => void app.auth.signOut()}>
          Sign out
        </button>
      </header>
      <main ref={main} id="main">
        {problem && (
          <p class="banner error" role="alert">
            {problem}
          </p>
        )}
        {route.screen === "new-app" ? (
          <NewAppScreen app={app} />
        ) : !current ? (
          <p class="boot" role="status">
            Loading…
          </p>
        ) : route.screen === "inbox" ? (
          <InboxScreen app={app} />
        ) : route.screen === "settings" ? (
          <SettingsScreen key={current.id} app={app} current={current} />
        ) : route.screen === "feedback" ? (
          <FeedbackScreen key={current.id} app={app} current={current} />
        ) : (
          <NewsScreen key={current.id} app={app} current={current} />
        )}
      </main>
    </div>
  );
}
