// `parley app list`: every app with its settings (never a key).
import type { AppsResponse } from "../../contract/operator.ts";
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { appJson } from "./app-create.ts";
import { print, type Command } from "./command.ts";

export const command: Command = {
  usage: "parley app list [--server URL]",
  options: { ...ADMIN_OPTIONS },
  async run(values) {
    return withAdmin(values, "app list", false, async (admin) => {
      print({ apps: (await admin.call<AppsResponse>("GET", "/v1/admin/apps")).apps.map(appJson) });
    });
  },
};
