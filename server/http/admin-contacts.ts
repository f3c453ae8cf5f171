// A contact as the operator sees it: the verified attributes of the user's latest verified claim,
// when they were proven, and apart from them the unproven hints.
import { Hono } from "hono";
import type { ContactResponse } from "../../contract/operator.ts";
import type { Store } from "../store.ts";
import { apiError } from "./errors.ts";

export function contactAdminRoutes(store: Store) {
  const routes = new Hono();

  routes.get("/v1/admin/apps/:appId/contacts/:userId", async (c) => {
    const { appId, userId } = c.req.param();
    const contact = await store.contacts.get(appId, userId);
    if (!contact) return apiError(c, 404, "contact_not_found", "No contact with this user id: only a verified claim makes one.");
    return c.json<ContactResponse>({ contact });
  });

  return routes;
}
