// "What's new" for the widget: the announcements a request's own verified claim may see, and
// marking one read. Behind the same gate as the chat (visitor-routes.ts): CORS, app, origin, body
// cap, rate limits; bodies are JSON whether sent as application/json or text/plain.
import type { Context, Hono } from "hono";
import type { Announcement, AnnouncementsResponse } from "../../contract/wire.ts";
import { verifiedAttributes } from "../policy/attributes.ts";
import { audienceMatches } from "../policy/audience.ts";
import { publicVerdict } from "../policy/public-verdict.ts";
import { readerKey } from "../policy/read-state.ts";
import type { Reader } from "../storage/announcements.ts";
import { contactWrite } from "../storage/contacts.ts";
import type { Store } from "../store.ts";
import type { Verdict } from "../verify/verify.ts";
import { apiError, isOpaqueId } from "./errors.ts";
import { announcementsBody, readBody } from "./schemas.ts";
import type { VisitorEnv, VisitorTools } from "./visitor-routes.ts";

export function announcementRoutes(routes: Hono<VisitorEnv>, store: Store, tools: VisitorTools) {
  const reader = (c: Context<VisitorEnv>, visitorId: string, verdict: Verdict): Reader => {
    const appId = c.get("app").id;
    const key = readerKey(visitorId, verdict);
    const ownBrowser = readerKey(visitorId, { status: "anonymous" });
    return { appId, key, foldFrom: key === ownBrowser ? null : ownBrowser, contact: contactWrite(appId, verdict) };
  };

  routes.post("/v1/apps/:appId/announcements/query", async (c) => {
    const body = await readBody(c, announcementsBody);
    if (body instanceof Response) return body;
    const verdict = await tools.judge(c, body.identity);
    const counted = tools.count(c, body.visitorId);
    const result = await store.announcements.forReader(reader(c, body.visitorId, verdict), counted);
    if ("limited" in result) return tools.refuse(c, counted, result.limited);
    // The request's own claim decides, never a stored contact: what it proved, now.
    const attributes = verifiedAttributes(verdict);
    const announcements = result.announcements.filter((a) => audienceMatches(a.audience, attributes)).map(({ audience: _, ...a }): Announcement => a);
    return c.json<AnnouncementsResponse>({ announcements, identity: publicVerdict(verdict, c.get("hint")) });
  });

  routes.post("/v1/apps/:appId/announcements/:id/read", async (c) => {
    const id = c.req.param("id");
    const body = await readBody(c, announcementsBody);
    if (body instanceof Response) return body;
    const verdict = await tools.judge(c, body.identity);
    const counted = tools.count(c, body.visitorId);
    const who = reader(c, body.visitorId, verdict);
    const found = isOpaqueId(id) ? await store.announcements.audienceOf(who, id, counted) : undefined;
    if (found && "limited" in found) return tools.refuse(c, counted, found.limited);
    // One not for this request is as unknown as one that never was: its existence is not told.
    if (!found || !audienceMatches(found.audience, verifiedAttributes(verdict))) return apiError(c, 404, "announcement_not_found", "No announcement with this id for this visitor.");
    await store.announcements.markRead(id, who.key);
    return c.body(null, 204);
  });
}
