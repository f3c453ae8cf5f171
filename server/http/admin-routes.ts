// The operator API, behind `Authorization: Bearer $PARLEY_ADMIN_TOKEN`.
import { timingSafeEqual, createHash } from "node:crypto";
import { Hono } from "hono";
import type { Store } from "../store.ts";
import { apiError, bodyCap, isOpaqueId } from "./errors.ts";
import type { Notifier } from "./notifier.ts";
import { createAppBody, createKeyBody, readBody, replyBody, updateAppBody } from "./schemas.ts";

export function adminRoutes(store: Store, notifier: Notifier, adminToken: string | undefined, maxBodyBytes: number) {
  const routes = new Hono();
  // Hashing both sides first gives equal lengths, so the comparison leaks nothing, not even length.
  const expected = adminToken ? digest(adminToken) : undefined;

  routes.use("/v1/admin/*", async (c, next) => {
    if (!expected) return apiError(c, 503, "admin_disabled", "Set PARLEY_ADMIN_TOKEN to enable the operator API.");
    const given = /^Bearer (.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!given || !timingSafeEqual(digest(given), expected)) return apiError(c, 401, "unauthorized", "A valid operator token is required.");
    await next();
  });
  routes.use("/v1/admin/*", bodyCap(maxBodyBytes));

  routes.use("/v1/admin/apps/:appId/*", async (c, next) => {
    if (!(await store.getApp(c.req.param("appId")!))) return apiError(c, 404, "app_not_found", "No app with this id.");
    await next();
  });

  // Apps and keys: what `parley app …` and `parley key …` do, the same here.
  routes.get("/v1/admin/apps", async (c) => c.json({ apps: await store.listApps() }));

  routes.post("/v1/admin/apps", async (c) => {
    const body = await readBody(c, createAppBody);
    if (body instanceof Response) return body;
    return c.json({ app: await store.createApp(body.name, body.origins ?? [], body.mode ?? "required", body.hints ?? false) }, 201);
  });

  routes.patch("/v1/admin/apps/:appId", async (c) => {
    const body = await readBody(c, updateAppBody);
    if (body instanceof Response) return body;
    const app = await store.updateApp(c.req.param("appId"), body);
    return app ? c.json({ app }) : apiError(c, 404, "app_not_found", "No app with this id.");
  });

  routes.post("/v1/admin/apps/:appId/keys", async (c) => {
    const body = await readBody(c, createKeyBody);
    if (body instanceof Response) return body;
    return c.json(await store.createKey(c.req.param("appId"), body.proof ?? "hash"), 201);
  });

  routes.get("/v1/admin/apps/:appId/keys", async (c) => c.json({ keys: await store.listKeys(c.req.param("appId")) }));

  routes.delete("/v1/admin/apps/:appId/keys/:keyId", async (c) => {
    const { appId, keyId } = c.req.param();
    if (!(await store.revokeKey(appId, keyId))) return apiError(c, 404, "key_not_found", "No key with this id in this app.");
    return c.json({ keyId, revoked: true });
  });

  routes.get("/v1/admin/apps/:appId/conversations", async (c) => c.json({ conversations: await store.listConversations(c.req.param("appId")) }));

  routes.get("/v1/admin/apps/:appId/conversations/:id/messages", async (c) => {
    const { appId, id } = c.req.param();
    if (!(await store.hasConversation(appId, id))) return apiError(c, 404, "conversation_not_found", "No conversation with this id.");
    const after = c.req.query("after");
    if (after !== undefined && !isOpaqueId(after)) return apiError(c, 400, "invalid_request", "after must be a message id.");
    return c.json({ messages: await store.messages(id, after) });
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

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
