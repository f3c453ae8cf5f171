// `parley announce`: publish an announcement in the widget's "What's new", for everyone or for the
// users whose verified attributes match every --audience given.
import type { AnnouncementCreated, OperatorAnnouncement } from "../../contract/operator.ts";
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { need, print, type Command } from "./command.ts";
import { parseAudience, parseTitle } from "./flags.ts";

const usage = "parley announce --app ID --title T --body B [--audience NAME=VALUE[,VALUE…]]... [--server URL]";

export const command: Command = {
  usage,
  options: { app: { type: "string" }, title: { type: "string" }, body: { type: "string" }, audience: { type: "string", multiple: true }, ...ADMIN_OPTIONS },
  async run(values) {
    const appId = need(values, "app", usage);
    const title = parseTitle(need(values, "title", usage));
    const body = need(values, "body", usage);
    const audience = parseAudience((values.audience as string[] | undefined) ?? []);
    return withAdmin(values, "announce", false, async (admin) => {
      const { announcement } = await admin.call<AnnouncementCreated>("POST", `/v1/admin/apps/${encodeURIComponent(appId)}/announcements`, { title, body, ...(audience ? { audience } : {}) });
      print({ appId, ...announcementJson(announcement) });
    });
  },
};

/** An announcement as the CLI prints it: its id named as what it is, as `appId` and `keyId` are. */
export const announcementJson = ({ id, ...rest }: OperatorAnnouncement) => ({ announcementId: id, ...rest });
