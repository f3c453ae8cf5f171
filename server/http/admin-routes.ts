// The operator API: `Authorization: Bearer $PARLEY_ADMIN_TOKEN` over HTTP, or no token at all for
// a request the process itself vouches for (its owner-only Unix socket, or a call in-process).
import { timingSafeEqual, createHash } from "node:crypto";
import { Hono } from "hono";
import type { Store } from "../store.ts";
import { appAdminRoutes } from "./admin-apps.ts";
import { audienceAdminRoutes } from "./admin-audience.ts";
import { inboxRoutes, type InboxWaits } from "./admin-inbox.ts";
import { announcementAdminRoutes } from "./admin-announcements.ts";
import { contactAdminRoutes } from "./admin-contacts.ts";
import { ideaAdminRoutes } from "./admin-ideas.ts";
import { adminEventRoutes, noticeFeedback } from "./admin-events.ts";
import { apiError, bodyCap } from "./errors.ts";
import { isLocalOperator } from "./local-operator.ts";
import type { Notifier } from "./notifier.ts";

export function adminRoutes(store: Store, notifier: Notifier, adminToken: string | undefined, maxBodyBytes: number, waits: InboxWaits = {}) {
  const routes = new Hono();
  // Hashing both sides first gives equal lengths, so the comparison leaks nothing, not even length.
  const expected = adminToken ? digest(adminToken) : undefined;

  routes.use("/v1/admin/*", async (c, next) => {
    if (isLocalOperator(c)) return next();
    if (!expected) return apiError(c, 503, "admin_disabled", "Set PARLEY_ADMIN_TOKEN to enable the operator API.");
    const given = /^Bearer (.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!given || !timingSafeEqual(digest(given), expected)) return apiError(c, 401, "unauthorized", "A valid operator token is required.");
    await next();
  });
  routes.use("/v1/admin/*", bodyCap(maxBodyBytes));

  routes.use("/v1/admin/apps/:appId/*", async (c, next) => {
    const appId = c.req.param("appId")!;
    if (!(await store.getApp(appId))) return apiError(c, 404, "app_not_found", `No app "${appId}".`);
    await next();
  });

  routes.route("/", appAdminRoutes(store));
  routes.route("/", inboxRoutes(store, notifier, waits));
  routes.route("/", audienceAdminRoutes(store));
  routes.route("/", contactAdminRoutes(store));
  routes.route("/", announcementAdminRoutes(store));
  // The console hears of what the operator API changes on the board (the widget's changes: visitor-routes.ts).
  routes.use("/v1/admin/apps/:appId/ideas", noticeFeedback(notifier, /^$/));
  routes.use("/v1/admin/apps/:appId/ideas/*", noticeFeedback(notifier, /^$/));
  routes.route("/", ideaAdminRoutes(store));
  adminEventRoutes(routes, { notifier, stopping: waits.stopping });
  return routes;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
