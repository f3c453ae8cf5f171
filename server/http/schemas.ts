// Request bodies. A claim is deliberately `unknown` here: a bad claim is a verdict, not a 400.
import type { Context } from "hono";
import { z } from "zod";
import { apiError, OPAQUE_ID } from "./errors.ts";
import { KEY_KINDS } from "../../contract/claim.ts";
import { MODES } from "../../contract/operator.ts";
import { IDEA_STATUSES, MAX_IDEA_TITLE, MAX_TEXT_LENGTH } from "../../contract/wire.ts";
import { toOrigin } from "../origins.ts";
import { hasControlCharacter } from "../text.ts";

const opaqueId = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, "must be 8 to 100 letters, digits, '-' or '_'");
/** Text people write: PostgreSQL cannot store U+0000, and nobody means to send one (a paste can). */
const noNul = (s: string) => !s.includes("\u0000");
const NUL_MESSAGE = "must not contain the NUL character (U+0000)";
/** An announcement's body: a few paragraphs, with links. */
const MAX_ANNOUNCEMENT_LENGTH = 10_000;
const text = z
  .string()
  .max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`)
  .refine((s) => s.trim().length > 0, "must not be empty")
  .refine(noNul, NUL_MESSAGE);

export const sendMessageBody = z.object({ visitorId: opaqueId, clientId: opaqueId, text, identity: z.unknown().optional() });
export const conversationBody = z.object({
  visitorId: opaqueId,
  identity: z.unknown().optional(),
  after: z.string().regex(OPAQUE_ID, "must be a message id").optional(),
  wait: z.number().min(0).max(30).optional(),
});
/** A visitor's read of "What's new", and marking one announcement read: who asks, nothing else. */
export const announcementsBody = z.object({ visitorId: opaqueId, identity: z.unknown().optional() });
export const replyBody = z.object({ text, name: z.string().max(100).refine(noNul, NUL_MESSAGE).optional() });

/** An idea's title: one line. */
const ideaTitle = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_IDEA_TITLE, `must be at most ${MAX_IDEA_TITLE} characters`)
  .refine((s) => !hasControlCharacter(s), "must not contain control characters");
/** An idea's details: optional text, paragraphs allowed. */
const ideaBody = z.string().trim().max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`).refine(noNul, NUL_MESSAGE);
const ideaStatus = z.enum(IDEA_STATUSES, { error: `must be one of ${IDEA_STATUSES.join(", ")}` });
/** The ideas board, and an idea's thread: who asks (and, for the board, in which order). */
export const ideasQueryBody = z.object({ visitorId: opaqueId, identity: z.unknown().optional(), sort: z.enum(["top", "new"], { error: 'must be "top" or "new"' }).optional() });
export const ideaThreadBody = z.object({ visitorId: opaqueId, identity: z.unknown().optional() });
/** A claim is optional here too: a request without one is refused as not verified (403), not as malformed. */
export const suggestIdeaBody = z.object({ visitorId: opaqueId, clientId: opaqueId, title: ideaTitle, body: ideaBody.optional(), identity: z.unknown().optional() });
export const voteBody = z.object({ visitorId: opaqueId, identity: z.unknown().optional(), up: z.boolean({ error: "must be true (vote) or false (take the vote back)" }) });
export const ideaCommentBody = z.object({
  visitorId: opaqueId,
  clientId: opaqueId,
  text: z.string().trim().min(1, "must not be empty").max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`).refine(noNul, NUL_MESSAGE),
  identity: z.unknown().optional(),
});
/** The operator's: post an idea, change one, answer in its thread. */
export const createIdeaBody = z.object({ title: ideaTitle, body: ideaBody.optional(), status: ideaStatus.optional(), name: z.string().trim().min(1).max(100).refine((s) => !hasControlCharacter(s), "must not contain control characters").optional() }).strict();
export const updateIdeaBody = z
  .object({ status: ideaStatus.optional(), title: ideaTitle.optional(), body: ideaBody.optional() })
  .strict()
  .refine((b) => b.status !== undefined || b.title !== undefined || b.body !== undefined, "must give status, title or body");
export const operatorCommentBody = replyBody.strict();

const origin = z.string().transform((value, ctx) => {
  const found = toOrigin(value);
  if (!found) ctx.addIssue({ code: "custom", message: `must be http(s) origins such as https://example.com, not ${JSON.stringify(value.slice(0, 100))}` });
  return found ?? "";
});
const appSettings = {
  name: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(100)
    .refine((s) => !hasControlCharacter(s), "must not contain control characters"),
  origins: z.array(origin).max(100),
  mode: z.enum(MODES),
  hints: z.boolean(),
};
export const createAppBody = z.object({ ...appSettings, origins: appSettings.origins.optional(), mode: appSettings.mode.optional(), hints: appSettings.hints.optional() }).strict();
export const updateAppBody = z.object(appSettings).partial().strict();
export const createKeyBody = z.object({ proof: z.enum(KEY_KINDS).optional() }).strict();
/** Who sees an announcement: attribute names, each with the values (text) any of which matches. */
const audience = z
  .record(z.string(), z.array(z.string({ error: 'must be text (values are compared as text: "3", "true")' }), { error: 'must be a list of values, such as ["pro", "enterprise"]' }), {
    error: 'must map attribute names to lists of values, such as {"plan": ["pro", "enterprise"]}',
  })
  .superRefine((value, ctx) => {
    const names = Object.keys(value);
    const problem = (message: string, path: string[] = []) => ctx.addIssue({ code: "custom", message, path });
    if (names.length === 0) problem("must name at least one attribute (leave it out to announce to everyone)");
    if (names.length > 20) problem("may name at most 20 attributes");
    for (const name of names) {
      if (name.length > 100 || hasControlCharacter(name) || name.trim() === "") problem("may only name attributes of 1 to 100 characters, without control characters");
      const values = value[name]!;
      if (values.length === 0 || values.length > 100) problem("must list 1 to 100 values", [name]);
      if (values.some((v) => v === "" || v.length > 200 || hasControlCharacter(v))) problem("values must be 1 to 200 characters, with no control characters", [name]);
    }
  });
export const createAnnouncementBody = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(200, "must be at most 200 characters")
      .refine((s) => !hasControlCharacter(s), "must not contain control characters"),
    body: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(MAX_ANNOUNCEMENT_LENGTH, `must be at most ${MAX_ANNOUNCEMENT_LENGTH} characters`)
      .refine(noNul, NUL_MESSAGE),
    audience: audience.nullable().optional(),
  })
  .strict();

/** The doctor reads any claim at all: what is wrong with it is the answer, not a 400. */
export const doctorBody = z.object({ identity: z.unknown().optional() }).strict();

/** The first problem, phrased for a developer reading a 400. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length ? `${issue.path.join(".")} ${issue.message}` : issue.message;
}

/**
 * The parsed body, or the 400 to answer with (invalid JSON, or the first schema problem). The body
 * is JSON whatever its content type says: the widget sends text/plain (a CORS-safelisted type, so
 * browsers make no preflight), other clients application/json, and both are checked alike.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S> | Response> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return apiError(c, 400, "invalid_json", "The request body must be JSON.");
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : apiError(c, 400, "invalid_request", describeIssue(parsed.error));
}
