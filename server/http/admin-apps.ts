// Apps, keys and the integration doctor: what `parley app …`, `parley key …` and `parley doctor`
// do, the same here (the CLI calls these routes, in-process, over the socket, or remotely).
import { Hono } from "hono";
import type { AppResponse, AppsResponse, DoctorResponse, KeyRevoked, KeysResponse, NewKey } from "../../contract/operator.ts";
import type { Store } from "../store.ts";
import { diagnose } from "../verify/diagnose.ts";
import { apiError } from "./errors.ts";
import { createAppBody, createKeyBody, doctorBody, readBody, updateAppBody } from "./schemas.ts";

export function appAdminRoutes(store: Store) {
  const routes = new Hono();

  routes.get("/v1/admin/apps", async (c) => c.json<AppsResponse>({ apps: await store.listApps() }));

  routes.post("/v1/admin/apps", async (c) => {
    const body = await readBody(c, createAppBody);
    if (body instanceof Response) return body;
    return c.json<AppResponse>({ app: await store.createApp(body.name, body.origins ?? [], body.mode ?? "required", body.hints ?? false) }, 201);
  });

  routes.patch("/v1/admin/apps/:appId", async (c) => {
    const body = await readBody(c, updateAppBody);
    if (body instanceof Response) return body;
    const appId = c.req.param("appId");
    const app = await store.updateApp(appId, body);
    return app ? c.json<AppResponse>({ app }) : apiError(c, 404, "app_not_found", `No app "${appId}".`);
  });

  routes.post("/v1/admin/apps/:appId/keys", async (c) => {
    const body = await readBody(c, createKeyBody);
    if (body instanceof Response) return body;
    return c.json<NewKey>(await store.createKey(c.req.param("appId"), body.proof ?? "hash"), 201);
  });

  routes.get("/v1/admin/apps/:appId/keys", async (c) => c.json<KeysResponse>({ keys: await store.listKeys(c.req.param("appId")) }));

  routes.delete("/v1/admin/apps/:appId/keys/:keyId", async (c) => {
    const { appId, keyId } = c.req.param();
    if (!(await store.revokeKey(appId, keyId))) return apiError(c, 404, "key_not_found", `No key "${keyId}" in app "${appId}".`);
    return c.json<KeyRevoked>({ keyId, revoked: true });
  });

  // Why a proof passes or fails, against this app's keys (and, to name a mix-up, other apps').
  routes.post("/v1/admin/apps/:appId/doctor", async (c) => {
    const body = await readBody(c, doctorBody);
    if (body instanceof Response) return body;
    const app = (await store.getApp(c.req.param("appId")))!;
    const ctx = { appId: app.id, mode: app.mode, keys: await store.verifyKeys(app.id), now: Math.floor(Date.now() / 1000) };
    const result = await diagnose(body.identity, ctx, await store.otherAppsKeys(app.id));
    const { status, reason, userId, keyId } = result.verdict;
    return c.json<DoctorResponse>({ ok: result.ok, status, ...(reason ? { reason } : {}), ...(userId ? { userId } : {}), ...(keyId ? { keyId } : {}), cause: result.cause, ...(result.advice ? { advice: result.advice } : {}) });
  });

  return routes;
}
