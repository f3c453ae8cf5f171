// "What's new" for the operator: publish an announcement (for everyone, or for an audience over
// verified attributes), list them with their audience and how many have read each, delete one.
import { Hono } from "hono";
import type { AnnouncementCreated, Deleted, OperatorAnnouncementsResponse } from "../../contract/operator.ts";
import type { Store } from "../store.ts";
import { apiError, isOpaqueId } from "./errors.ts";
import { createAnnouncementBody, readBody } from "./schemas.ts";

export function announcementAdminRoutes(store: Store) {
  const routes = new Hono();

  routes.post("/v1/admin/apps/:appId/announcements", async (c) => {
    const body = await readBody(c, createAnnouncementBody);
    if (body instanceof Response) return body;
    const announcement = await store.announcements.create(c.req.param("appId"), { title: body.title, body: body.body, audience: body.audience ?? null });
    return c.json<AnnouncementCreated>({ announcement }, 201);
  });

  routes.get("/v1/admin/apps/:appId/announcements", async (c) => c.json<OperatorAnnouncementsResponse>({ announcements: await store.announcements.list(c.req.param("appId")) }));

  routes.delete("/v1/admin/apps/:appId/announcements/:id", async (c) => {
    const { appId, id } = c.req.param();
    if (!isOpaqueId(id) || !(await store.announcements.delete(appId, id))) return apiError(c, 404, "announcement_not_found", `No announcement "${id.slice(0, 100)}" in app "${appId}".`);
    return c.json<Deleted>({ id, deleted: true });
  });

  return routes;
}
