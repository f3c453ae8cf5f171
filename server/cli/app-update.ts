// `parley app update`: change an app's name, origins, mode or hints; effective on the next request.
import type { AppResponse } from "../../contract/operator.ts";
import { UserError } from "../secrets.ts";
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { appJson } from "./app-create.ts";
import { need, print, text, type Command } from "./command.ts";
import { parseMode, parseName, parseOnOff, parseOrigin } from "./flags.ts";

const usage = "parley app update --app ID [--name N] [--origin URL]... [--mode required|optional] [--hints on|off] [--server URL]";

export const command: Command = {
  usage,
  options: { app: { type: "string" }, name: { type: "string" }, origin: { type: "string", multiple: true }, mode: { type: "string" }, hints: { type: "string" }, ...ADMIN_OPTIONS },
  async run(values) {
    const appId = need(values, "app", usage);
    const name = text(values, "name");
    const mode = text(values, "mode");
    const hints = text(values, "hints");
    const origins = values.origin as string[] | undefined;
    const patch = {
      ...(name !== undefined ? { name: parseName(name) } : {}),
      ...(origins ? { origins: origins.map(parseOrigin) } : {}),
      ...(mode !== undefined ? { mode: parseMode(mode) } : {}),
      ...(hints !== undefined ? { hints: parseOnOff(hints, "hints") } : {}),
    };
    if (!Object.keys(patch).length) throw new UserError("app update needs at least one of --name, --origin, --mode or --hints.");
    return withAdmin(values, "app update", false, async (admin) => {
      print(appJson((await admin.call<AppResponse>("PATCH", `/v1/admin/apps/${encodeURIComponent(appId)}`, patch)).app));
    });
  },
};
