// The apps this server holds, and changes to one (name, mode, origins, hints) — each applies to
// the widget's next request: the server keeps nothing stale.
import { signal } from "@preact/signals-core";
import { seg, type Api } from "../api.ts";
import type { App, AppResponse, AppsResponse } from "../../contract/operator.ts";

export function createApps(api: Api) {
  const list = signal<App[] | undefined>(undefined);
  const problem = signal<string | undefined>(undefined);

  const replace = (app: App) => (list.value = (list.peek() ?? []).map((a) => (a.id === app.id ? app : a)));

  return {
    list,
    problem,
    async load() {
      try {
        list.value = (await api.get<AppsResponse>("/apps")).apps;
        problem.value = undefined;
      } catch (err) {
        problem.value = (err as Error).message;
      }
    },
    async create(name: string, origins: string[]): Promise<App> {
      const { app } = await api.send<AppResponse>("POST", "/apps", { name, origins });
      list.value = [...(list.peek() ?? []), app];
      return app;
    },
    async update(appId: string, patch: Partial<Omit<App, "id">>): Promise<App> {
      const { app } = await api.send<AppResponse>("PATCH", `/apps/${seg(appId)}`, patch);
      replace(app);
      return app;
    },
  };
}
export type Apps = ReturnType<typeof createApps>;
