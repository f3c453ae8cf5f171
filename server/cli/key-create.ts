// `parley key create`: a new signing key for one kind of proof. The secret is printed this once.
import type { NewKey } from "../../contract/operator.ts";
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { need, print, text, type Command } from "./command.ts";
import { parseKeyKind } from "./flags.ts";

const usage = "parley key create --app ID [--proof hash|payload|token] [--server URL]";

export const command: Command = {
  usage,
  options: { app: { type: "string" }, proof: { type: "string" }, ...ADMIN_OPTIONS },
  async run(values) {
    const appId = need(values, "app", usage);
    const proof = parseKeyKind(text(values, "proof") ?? "hash");
    return withAdmin(values, "key create", false, async (admin) => {
      const key = await admin.call<NewKey>("POST", `/v1/admin/apps/${encodeURIComponent(appId)}/keys`, { proof });
      print({ appId, ...key, note: `The secret is shown this once. Keep it on your server only. It signs ${proof} proofs only.` });
    });
  },
};
