// `parley key revoke`: from the next request on, a proof made with this key is rejected.
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { need, print, type Command } from "./command.ts";

const usage = "parley key revoke --app ID --key KEY [--server URL]";

export const command: Command = {
  usage,
  options: { app: { type: "string" }, key: { type: "string" }, ...ADMIN_OPTIONS },
  async run(values) {
    const appId = need(values, "app", usage);
    const keyId = need(values, "key", usage);
    return withAdmin(values, "key revoke", false, async (admin) => {
      print(await admin.call("DELETE", `/v1/admin/apps/${encodeURIComponent(appId)}/keys/${encodeURIComponent(keyId)}`));
    });
  },
};
