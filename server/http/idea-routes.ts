// The ideas board for the widget: the board and an idea's thread for every visitor; suggesting,
// voting and commenting for a verified user only (policy/idea-writer.ts) — anything else is a 403
// `verification_required` carrying the verdict, and changes nothing. Behind the same gate as the
// chat (visitor-routes.ts): CORS, app, origin, body cap, rate limits; bodies are JSON whether sent
// as application/json or text/plain.
import type { Context, Hono } from "hono";
import type { CommentResponse, IdeaResponse, IdeasResponse, IdeaThreadResponse, VerificationRequired } from "../../contract/wire.ts";
import { ideaWriter } from "../policy/idea-writer.ts";
import { publicVerdict } from "../policy/public-verdict.ts";
import { contactWrite } from "../storage/contacts.ts";
import type { IdeaReader } from "../storage/ideas.ts";
import type { Store } from "../store.ts";
import type { Verdict } from "../verify/verify.ts";
import { apiError, isOpaqueId } from "./errors.ts";
import { ideaCommentBody, ideasQueryBody, ideaThreadBody, readBody, suggestIdeaBody, voteBody } from "./schemas.ts";
import type { VisitorEnv, VisitorTools } from "./visitor-routes.ts";

export function ideaRoutes(routes: Hono<VisitorEnv>, store: Store, tools: VisitorTools) {
  const reader = (c: Context<VisitorEnv>, verdict: Verdict): IdeaReader => {
    const appId = c.get("app").id;
    return { appId, userId: ideaWriter(verdict)?.userId ?? null, contact: contactWrite(appId, verdict) };
  };
  const identity = (c: Context<VisitorEnv>, verdict: Verdict) => publicVerdict(verdict, c.get("hint"));
  const unknownIdea = (c: Context) => apiError(c, 404, "idea_not_found", "No idea with this id in this app.");
  const conflict = (c: Context) => apiError(c, 409, "client_id_conflict", "This clientId belongs to another user's idea or comment.");

  /**
   * The writer a request's verdict makes, or the answer to give instead: 403 when it makes none
   * (counted all the same: limits apply to every request), 429 when over a limit.
   */
  async function writerOr(c: Context<VisitorEnv>, verdict: Verdict, visitorId: string) {
    const counted = tools.count(c, visitorId);
    const writer = ideaWriter(verdict);
    if (writer) return { writer, counted };
    const over = await store.ideas.countOnly(counted);
    if (over) return tools.refuse(c, counted, over.limited);
    return c.json<VerificationRequired>(
      {
        error: { code: "verification_required", message: `Suggesting, voting and commenting need a verified user; this request's claim is ${verdict.status}${verdict.reason ? ` (${verdict.reason})` : ""}.` },
        identity: identity(c, verdict),
      },
      403,
    );
  }

  // Registered before ideas/:ideaId, which would otherwise take "query" for an idea's id.
  routes.post("/v1/apps/:appId/ideas/query", async (c) => {
    const body = await readBody(c, ideasQueryBody);
    if (body instanceof Response) return body;
    const verdict = await tools.judge(c, body.identity);
    const counted = tools.count(c, body.visitorId);
    const result = await store.ideas.board(reader(c, verdict), body.sort ?? "top", counted);
    if ("limited" in result) return tools.refuse(c, counted, result.limited);
    return c.json<IdeasResponse>({ ideas: result.ideas, identity: identity(c, verdict) });
  });

  routes.post("/v1/apps/:appId/ideas", async (c) => {
    const body = await readBody(c, suggestIdeaBody);
    if (body instanceof Response) return body;
    const verdict = await tools.judge(c, body.identity);
    const allowed = await writerOr(c, verdict, body.visitorId);
    if (allowed instanceof Response) return allowed;
    const result = await store.ideas.suggest(reader(c, verdict), allowed.writer, { clientId: body.clientId, title: body.title, body: body.body ?? "" }, allowed.counted);
    if ("limited" in result) return tools.refuse(c, allowed.counted, result.limited);
    if ("conflict" in result) return conflict(c);
    return c.json<IdeaResponse>({ idea: result.idea, identity: identity(c, verdict) }, result.created ? 201 : 200);
  });

  routes.post("/v1/apps/:appId/ideas/:ideaId/vote", async (c) => {
    const ideaId = c.req.param("ideaId");
    const body = await readBody(c, voteBody);
    if (body instanceof Response) return body;
    const verdict = await tools.judge(c, body.identity);
    const allowed = await writerOr(c, verdict, body.visitorId);
    if (allowed instanceof Response) return allowed;
    if (!isOpaqueId(ideaId)) return unknownIdea(c);
    const result = await store.ideas.vote(reader(c, verdict), allowed.writer, ideaId, body.up, allowed.counted);
    if ("limited" in result) return tools.refuse(c, allowed.counted, result.limited);
    if ("notFound" in result) return unknownIdea(c);
    return c.json<IdeaResponse>({ idea: result.idea, identity: identity(c, verdict) });
  });

  routes.post("/v1/apps/:appId/ideas/:ideaId/comments", async (c) => {
    const ideaId = c.req.param("ideaId");
    const body = await readBody(c, ideaCommentBody);
    if (body instanceof Response) return body;
    const verdict = await tools.judge(c, body.identity);
    const allowed = await writerOr(c, verdict, body.visitorId);
    if (allowed instanceof Response) return allowed;
    if (!isOpaqueId(ideaId)) return unknownIdea(c);
    const result = await store.ideas.comment(reader(c, verdict), allowed.writer, ideaId, { clientId: body.clientId, text: body.text }, allowed.counted);
    if ("limited" in result) return tools.refuse(c, allowed.counted, result.limited);
    if ("notFound" in result) return unknownIdea(c);
    if ("conflict" in result) return conflict(c);
    return c.json<CommentResponse>({ comment: result.comment, identity: identity(c, verdict) }, result.created ? 201 : 200);
  });

  routes.post("/v1/apps/:appId/ideas/:ideaId", async (c) => {
    const ideaId = c.req.param("ideaId");
    const body = await readBody(c, ideaThreadBody);
    if (body instanceof Response) return body;
    const verdict = await tools.judge(c, body.identity);
    if (!isOpaqueId(ideaId)) return unknownIdea(c);
    const counted = tools.count(c, body.visitorId);
    const result = await store.ideas.thread(reader(c, verdict), ideaId, counted);
    if ("limited" in result) return tools.refuse(c, counted, result.limited);
    if ("notFound" in result) return unknownIdea(c);
    return c.json<IdeaThreadResponse>({ idea: result.idea, comments: result.comments, identity: identity(c, verdict) });
  });
}
