// `parley doctor`: why a proof passes or fails, checked against the app's keys as the server would.
import type { DoctorResponse } from "../../contract/operator.ts";
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { need, print, text, type Command } from "./command.ts";

const usage = "parley doctor --app ID (--user-id U --hash H [--email E] | --payload JSON --signature S | --token T) [--server URL]";

export const command: Command = {
  usage,
  options: {
    app: { type: "string" },
    "user-id": { type: "string" },
    hash: { type: "string" },
    email: { type: "string" },
    payload: { type: "string" },
    signature: { type: "string" },
    token: { type: "string" },
    ...ADMIN_OPTIONS,
  },
  async run(values) {
    const appId = need(values, "app", usage);
    const token = text(values, "token");
    const payload = text(values, "payload");
    const email = text(values, "email");
    const identity =
      token !== undefined
        ? { token }
        : payload !== undefined
          ? { payload, signature: need(values, "signature", usage) }
          : { userId: need(values, "user-id", usage), userHash: need(values, "hash", usage), ...(email ? { email } : {}) };
    return withAdmin(values, "doctor", false, async (admin) => {
      const result = await admin.call<DoctorResponse>("POST", `/v1/admin/apps/${encodeURIComponent(appId)}/doctor`, { identity });
      print(result);
      return result.ok ? 0 : 1;
    });
  },
};
