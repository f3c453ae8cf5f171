// `parley app create`: a new app, answering requests from the given origins.
import type { App, AppResponse } from "../../contract/operator.ts";
import { ADMIN_OPTIONS, withAdmin } from "./admin.ts";
import { need, print, text, warn, type Command } from "./command.ts";
import { parseMode, parseName, parseOrigin } from "./flags.ts";

const usage = "parley app create --name N [--origin URL]... [--mode required|optional] [--server URL]";

export const command: Command = {
  usage,
  options: { name: { type: "string" }, origin: { type: "string", multiple: true }, mode: { type: "string" }, ...ADMIN_OPTIONS },
  async run(values) {
    const body = { name: parseName(need(values, "name", usage)), origins: ((values.origin as string[] | undefined) ?? []).map(parseOrigin), mode: parseMode(text(values, "mode") ?? "required") };
    return withAdmin(values, "app create", true, async (admin) => {
      const { app } = await admin.call<AppResponse>("POST", "/v1/admin/apps", body);
      if (app.origins.length === 0) warn("warning: no --origin given, so this app accepts requests from any site.");
      print(appJson(app));
    });
  },
};

/** An app as the CLI prints it: `appId` first, as every other command names it. */
export const appJson = ({ id, ...rest }: App) => ({ appId: id, ...rest });
