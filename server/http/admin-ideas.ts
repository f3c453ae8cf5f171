// The ideas board for the operator: every idea with its votes and its verified voters (each with
// the verified attributes of their latest proof, so "how many Pro customers want this" is one
// glance); post an idea, change its status, title or details, answer in its thread, delete it.
import { Hono, type Context } from "hono";
import type { Deleted, OperatorCommentResponse, OperatorIdeaResponse, OperatorIdeasResponse } from "../../contract/operator.ts";
import type { Store } from "../store.ts";
import { apiError, isOpaqueId } from "./errors.ts";
import { createIdeaBody, operatorCommentBody, readBody, updateIdeaBody } from "./schemas.ts";

export function ideaAdminRoutes(store: Store) {
  const routes = new Hono();
  const unknown = (c: Context, appId: string, ideaId: string) => apiError(c, 404, "idea_not_found", `No idea "${ideaId.slice(0, 100)}" in app "${appId}".`);

  routes.get("/v1/admin/apps/:appId/ideas", async (c) => c.json<OperatorIdeasResponse>({ ideas: await store.ideas.list(c.req.param("appId")) }));

  routes.post("/v1/admin/apps/:appId/ideas", async (c) => {
    const body = await readBody(c, createIdeaBody);
    if (body instanceof Response) return body;
    const idea = await store.ideas.create(c.req.param("appId"), { title: body.title, body: body.body ?? "", status: body.status ?? "open", name: body.name ?? null });
    return c.json<OperatorIdeaResponse>({ idea }, 201);
  });

  routes.patch("/v1/admin/apps/:appId/ideas/:ideaId", async (c) => {
    const { appId, ideaId } = c.req.param();
    if (!isOpaqueId(ideaId)) return unknown(c, appId, ideaId);
    const body = await readBody(c, updateIdeaBody);
    if (body instanceof Response) return body;
    const idea = await store.ideas.update(appId, ideaId, body);
    return idea ? c.json<OperatorIdeaResponse>({ idea }) : unknown(c, appId, ideaId);
  });

  routes.delete("/v1/admin/apps/:appId/ideas/:ideaId", async (c) => {
    const { appId, ideaId } = c.req.param();
    if (!isOpaqueId(ideaId) || !(await store.ideas.delete(appId, ideaId))) return unknown(c, appId, ideaId);
    return c.json<Deleted>({ id: ideaId, deleted: true });
  });

  routes.post("/v1/admin/apps/:appId/ideas/:ideaId/comments", async (c) => {
    const { appId, ideaId } = c.req.param();
    if (!isOpaqueId(ideaId)) return unknown(c, appId, ideaId);
    const body = await readBody(c, operatorCommentBody);
    if (body instanceof Response) return body;
    const comment = await store.ideas.addOperatorComment(appId, ideaId, body.text, body.name?.trim() || null);
    return comment ? c.json<OperatorCommentResponse>({ comment }, 201) : unknown(c, appId, ideaId);
  });

  return routes;
}
