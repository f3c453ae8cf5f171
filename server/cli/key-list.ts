// `parley key list`: an app's keys, their kinds and whether revoked (never a secret).
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { need, print, type Command } from "./command.ts";

const usage = "parley key list --app ID [--server URL]";

export const command: Command = {
  usage,
  options: { app: { type: "string" }, ...ADMIN_OPTIONS },
  async run(values) {
    const appId = need(values, "app", usage);
    return withAdmin(values, "key list", false, async (admin) => {
      print(await admin.call("GET", `/v1/admin/apps/${encodeURIComponent(appId)}/keys`));
    });
  },
};
