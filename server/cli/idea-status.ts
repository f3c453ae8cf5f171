// `parley idea status`: move an idea along — open, planned, in_progress, done or declined. The
// widget's board shows the new status on its next read.
import type { OperatorIdeaResponse } from "../../contract/operator.ts";
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { need, print, type Command } from "./command.ts";
import { parseIdeaStatus } from "./flags.ts";
import { ideaJson } from "./ideas.ts";

const usage = "parley idea status --app ID --idea ID --status open|planned|in_progress|done|declined [--server URL]";

export const command: Command = {
  usage,
  options: { app: { type: "string" }, idea: { type: "string" }, status: { type: "string" }, ...ADMIN_OPTIONS },
  async run(values) {
    const appId = need(values, "app", usage);
    const ideaId = need(values, "idea", usage);
    const status = parseIdeaStatus(need(values, "status", usage));
    return withAdmin(values, "idea status", false, async (admin) => {
      const { idea } = await admin.call<OperatorIdeaResponse>("PATCH", `/v1/admin/apps/${encodeURIComponent(appId)}/ideas/${encodeURIComponent(ideaId)}`, { status });
      print({ appId, ...ideaJson(idea) });
    });
  },
};
