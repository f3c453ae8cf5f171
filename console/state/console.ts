// The console's state, wired: the session, the API under it, the route, the apps, and per app its
// inbox (live while shown). No Preact here; the UI renders these signals and calls these actions.
import { computed, effect, signal } from "@preact/signals-core";
import { createApi } from "../api.ts";
import { createApps } from "./apps.ts";
import { openAppEvents, type AppEvents } from "./events.ts";
import { createInbox, type Inbox } from "./inbox.ts";
import { createRouter } from "./router.ts";
import { createSession } from "./session.ts";

export function createConsole() {
  const session = createSession();
  const api = createApi(session.ended);
  const auth = session.bind(api);
  const router = createRouter();
  const apps = createApps(api);
  const app = computed(() => {
    const list = apps.list.value;
    const id = router.route.value.appId;
    return list?.find((a) => a.id === id);
  });
  const appId = computed(() => app.value?.id);
  const inbox = signal<Inbox | undefined>(undefined);
  /** The chosen app's event stream, while signed in (events.ts). */
  const events = signal<AppEvents | undefined>(undefined);

  function start() {
    const undo: (() => void)[] = [router.start()];
    void auth.check();
    // Signed in: the apps; with none chosen (or an unknown one), the first.
    undo.push(
      effect(() => {
        if (session.status.value === "signed-in") void apps.load();
        else apps.list.value = undefined;
      }),
    );
    undo.push(
      effect(() => {
        const list = apps.list.value;
        const route = router.route.value;
        if (!list || route.screen === "new-app") return;
        if (list.length === 0) return router.navigate({ screen: "new-app" }, { replace: true });
        if (!list.some((a) => a.id === route.appId)) router.navigate({ screen: "inbox", appId: list[0]!.id }, { replace: true });
      }),
    );
    // One inbox per app, kept current only while signed in and the app is chosen.
    undo.push(
      effect(() => {
        const id = appId.value;
        if (!id || session.status.value !== "signed-in") return void (inbox.value = events.value = undefined);
        const stream = openAppEvents(id);
        const created = createInbox(api, id);
        inbox.value = created;
        events.value = stream;
        const stop = created.start(stream);
        return () => {
          stop();
          stream.close();
        };
      }),
    );
    // The open conversation follows the URL.
    undo.push(
      effect(() => {
        const current = inbox.value;
        const route = router.route.value;
        if (current && route.screen === "inbox") current.select(route.conversationId);
      }),
    );
    return () => undo.forEach((u) => u());
  }

  return { session, auth, api, router, apps, app, inbox, events, start };
}
export type ConsoleState = ReturnType<typeof createConsole>;
