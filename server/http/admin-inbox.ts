// The operator's inbox: conversations, their messages, and replies (which wake the visitor's poll).
import { Hono } from "hono";
import type { Store } from "../store.ts";
import { apiError, isOpaqueId } from "./errors.ts";
import type { Notifier } from "./notifier.ts";
import { readBody, replyBody } from "./schemas.ts";

export function inboxRoutes(store: Store, notifier: Notifier) {
  const routes = new Hono();

  routes.get("/v1/admin/apps/:appId/conversations", async (c) => c.json({ conversations: await store.listConversations(c.req.param("appId")) }));

  routes.get("/v1/admin/apps/:appId/conversations/:id/messages", async (c) => {
    const { appId, id } = c.req.param();
    if (!(await store.hasConversation(appId, id))) return apiError(c, 404, "conversation_not_found", "No conversation with this id.");
    const after = c.req.query("after");
    if (after !== undefined && !isOpaqueId(after)) return apiError(c, 400, "invalid_request", "after must be a message id.");
    return c.json({ messages: await store.messages(id, after, { notes: true }) });
  });

  routes.post("/v1/admin/apps/:appId/conversations/:id/replies", async (c) => {
    const { appId, id } = c.req.param();
    if (!(await store.hasConversation(appId, id))) return apiError(c, 404, "conversation_not_found", "No conversation with this id.");
    const body = await readBody(c, replyBody);
    if (body instanceof Response) return body;
    const message = await store.addReply(appId, id, body.text, body.name ?? "Support");
    notifier.notify(id);
    return c.json({ message }, 201);
  });

  return routes;
}
