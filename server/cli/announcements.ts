// `parley announcements`: an app's announcements, newest first, each with its audience and how
// many people have read it.
import type { OperatorAnnouncementsResponse } from "../../contract/operator.ts";
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { announcementJson } from "./announce.ts";
import { need, print, type Command } from "./command.ts";

const usage = "parley announcements --app ID [--server URL]";

export const command: Command = {
  usage,
  options: { app: { type: "string" }, ...ADMIN_OPTIONS },
  async run(values) {
    const appId = need(values, "app", usage);
    return withAdmin(values, "announcements", false, async (admin) => {
      const { announcements } = await admin.call<OperatorAnnouncementsResponse>("GET", `/v1/admin/apps/${encodeURIComponent(appId)}/announcements`);
      print({ appId, announcements: announcements.map(announcementJson) });
    });
  },
};
