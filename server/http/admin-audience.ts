// Before publishing "What's new" to an audience: the attribute values seen on the app's verified
// contacts, and how many contacts an audience reaches now.
import { Hono } from "hono";
import { z } from "zod";
import type { AttributesResponse, ReachResponse } from "../../contract/operator.ts";
import type { Audience } from "../../contract/wire.ts";
import { reach, seenAttributes } from "../policy/audience-reach.ts";
import { contactAttributes } from "../storage/audience.ts";
import type { Store } from "../store.ts";
import { apiError } from "./errors.ts";

const audienceQuery = z.record(z.string().min(1).max(100), z.array(z.string().min(1).max(200)).min(1).max(100)).refine((a) => Object.keys(a).length <= 20, "may name at most 20 attributes");

export function audienceAdminRoutes(store: Store) {
  const routes = new Hono();

  routes.get("/v1/admin/apps/:appId/attributes", async (c) => {
    const contacts = await contactAttributes(store.db, c.req.param("appId"));
    return c.json<AttributesResponse>({ contacts: contacts.length, attributes: seenAttributes(contacts) });
  });

  // `?audience={"plan":["pro"]}` (JSON, as an announcement's); none: everyone.
  routes.get("/v1/admin/apps/:appId/reach", async (c) => {
    const text = c.req.query("audience");
    let audience: Audience | null = null;
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return apiError(c, 400, "invalid_request", 'audience must be JSON, such as {"plan":["pro"]}.');
      }
      const checked = audienceQuery.safeParse(parsed);
      if (!checked.success) return apiError(c, 400, "invalid_request", 'audience must map attribute names to lists of values, such as {"plan":["pro"]}.');
      audience = checked.data;
    }
    const contacts = await contactAttributes(store.db, c.req.param("appId"));
    return c.json<ReachResponse>({ contacts: reach(audience, contacts), of: contacts.length });
  });

  return routes;
}
