// The operator's inbox: conversations (with their status, unread mark and newest words; a
// long-poll for what changes), their messages, replies (which wake the visitor's poll), closing,
// reopening and marking read.
import { Hono } from "hono";
import { z } from "zod";
import { CONVERSATION_STATUSES, type ConversationChanged, type ConversationsResponse, type MessagesResponse, type ReplyResponse } from "../../contract/operator.ts";
import type { Store } from "../store.ts";
import { InboxStore } from "../storage/inbox.ts";
import { apiError, isOpaqueId, OPAQUE_ID } from "./errors.ts";
import { ANY_CONVERSATION, type Notifier } from "./notifier.ts";
import { readBody, replyBody } from "./schemas.ts";

export interface InboxWaits {
  /** Aborted when the server begins shutting down: a waiting list answers at once. */
  stopping?: AbortSignal;
}

/** The longest a list may wait for a change (seconds). */
export const MAX_LIST_WAIT_S = 30;

/** A cursor as a list gives it: PostgreSQL's text for a timestamp. */
const CURSOR = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

export const conversationPatchBody = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    readUpTo: z.string().regex(OPAQUE_ID, "must be a message id").optional(),
  })
  .strict()
  .refine((b) => b.status !== undefined || b.readUpTo !== undefined, "must give status or readUpTo");

export function inboxRoutes(store: Store, notifier: Notifier, waits: InboxWaits = {}) {
  const routes = new Hono();
  const inbox = new InboxStore(store.db);

  // `?wait=S&since=CURSOR`: answers once any conversation has a message after the cursor (at once
  // if one has already), else after S seconds — with the list as it then is, either way. Another
  // process's changes arrive as notifications too (realtime/pg-relay.ts).
  routes.get("/v1/admin/apps/:appId/conversations", async (c) => {
    const appId = c.req.param("appId");
    const waitText = c.req.query("wait");
    const since = c.req.query("since");
    const wait = waitText === undefined ? 0 : Number(waitText);
    if (!Number.isFinite(wait) || wait < 0 || wait > MAX_LIST_WAIT_S) return apiError(c, 400, "invalid_request", `wait must be a number of seconds from 0 to ${MAX_LIST_WAIT_S}.`);
    if (since !== undefined && !CURSOR.test(since)) return apiError(c, 400, "invalid_request", "since must be the cursor a list answered with.");
    if (wait > 0 && !(await inbox.changedSince(appId, since ?? null))) {
      const signal = waits.stopping ? AbortSignal.any([c.req.raw.signal, waits.stopping]) : c.req.raw.signal;
      await notifier.wait(ANY_CONVERSATION, wait * 1000, signal);
    }
    return c.json<ConversationsResponse>(await inbox.list(appId));
  });

  routes.patch("/v1/admin/apps/:appId/conversations/:id", async (c) => {
    const { appId, id } = c.req.param();
    if (!isOpaqueId(id) || !(await store.hasConversation(appId, id))) return apiError(c, 404, "conversation_not_found", "No conversation with this id.");
    const body = await readBody(c, conversationPatchBody);
    if (body instanceof Response) return body;
    if (body.readUpTo !== undefined && !(await inbox.markRead(appId, id, body.readUpTo))) return apiError(c, 400, "invalid_request", "readUpTo must be a message of this conversation.");
    if (body.status !== undefined) await inbox.setStatus(appId, id, body.status);
    // Other consoles waiting on the list hear of it.
    notifier.notify(id);
    const conversation = await inbox.get(appId, id);
    if (!conversation) return apiError(c, 404, "conversation_not_found", "No conversation with this id.");
    return c.json<ConversationChanged>({ conversation });
  });

  routes.get("/v1/admin/apps/:appId/conversations/:id/messages", async (c) => {
    const { appId, id } = c.req.param();
    if (!(await store.hasConversation(appId, id))) return apiError(c, 404, "conversation_not_found", "No conversation with this id.");
    const after = c.req.query("after");
    if (after !== undefined && !isOpaqueId(after)) return apiError(c, 400, "invalid_request", "after must be a message id.");
    return c.json<MessagesResponse>({ messages: await store.messages(id, after, { notes: true }) });
  });

  routes.post("/v1/admin/apps/:appId/conversations/:id/replies", async (c) => {
    const { appId, id } = c.req.param();
    if (!(await store.hasConversation(appId, id))) return apiError(c, 404, "conversation_not_found", "No conversation with this id.");
    const body = await readBody(c, replyBody);
    if (body instanceof Response) return body;
    const message = await store.addReply(appId, id, body.text, body.name ?? "Support");
    // Whoever replies has read what they answered.
    await inbox.markRead(appId, id, message.id);
    notifier.notify(id);
    return c.json<ReplyResponse>({ message }, 201);
  });

  return routes;
}
