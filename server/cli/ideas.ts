// `parley ideas`: an app's ideas board, most voted first, each with its status, its votes and its
// verified voters with their verified attributes (so "how many Pro customers want this" is one glance).
import type { OperatorIdea, OperatorIdeasResponse } from "../../contract/operator.ts";
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { need, print, type Command } from "./command.ts";

const usage = "parley ideas --app ID [--server URL]";

export const command: Command = {
  usage,
  options: { app: { type: "string" }, ...ADMIN_OPTIONS },
  async run(values) {
    const appId = need(values, "app", usage);
    return withAdmin(values, "ideas", false, async (admin) => {
      const { ideas } = await admin.call<OperatorIdeasResponse>("GET", `/v1/admin/apps/${encodeURIComponent(appId)}/ideas`);
      print({ appId, ideas: ideas.map(ideaJson) });
    });
  },
};

/** An idea as the CLI prints it: its id named as what it is, as `appId` and `keyId` are. */
export const ideaJson = ({ id, ...rest }: OperatorIdea) => ({ ideaId: id, ...rest });
