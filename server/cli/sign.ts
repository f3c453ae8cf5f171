// `parley sign`: what a site's backend computes, for debugging an integration. Needs no storage.
import { UserError } from "../secrets.ts";
import { createJwt, createToken, signPayload, userHash } from "../sign.ts";
import { need, print, text, type Command } from "./command.ts";

const usage = "parley sign --secret S (--user-id U | --payload JSON | --token --sub U --app ID [--ttl S] | --jwt --sub U --app ID [--ttl S])";

export const command: Command = {
  usage,
  options: {
    secret: { type: "string" },
    "user-id": { type: "string" },
    payload: { type: "string" },
    token: { type: "boolean" },
    jwt: { type: "boolean" },
    sub: { type: "string" },
    app: { type: "string" },
    ttl: { type: "string" },
  },
  async run(values) {
    const secret = text(values, "secret") ?? process.env.PARLEY_SECRET;
    if (!secret) throw new UserError(`--secret (or PARLEY_SECRET) is required.\nusage: ${usage}`);
    const userId = text(values, "user-id");
    const payload = text(values, "payload");
    if (userId !== undefined) return print({ userId, userHash: userHash(secret, userId) });
    if (payload !== undefined) {
      try {
        JSON.parse(payload);
      } catch {
        throw new UserError("--payload must be JSON text, for example '{\"id\":\"u_42\",\"plan\":\"pro\"}'.");
      }
      return print(signPayload(secret, payload));
    }
    if (values.token || values.jwt) {
      const ttlText = text(values, "ttl");
      const ttl = ttlText === undefined ? undefined : Number(ttlText);
      if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0 && ttl <= 86400)) throw new UserError("--ttl must be whole seconds from 1 to 86400.");
      const opts = { sub: need(values, "sub", usage), app: need(values, "app", usage), ttl };
      return print({ token: values.jwt ? await createJwt(secret, opts) : createToken(secret, opts) });
    }
    throw new UserError(`sign needs --user-id, --payload, --token or --jwt.\nusage: ${usage}`);
  },
};
