// Request bodies. A claim is deliberately `unknown` here: a bad claim is a verdict, not a 400.
import type { Context } from "hono";
import { z } from "zod";
import { apiError } from "./errors.ts";
import { MAX_TEXT_LENGTH } from "../../widget/wire.ts";

const opaqueId = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, "must be 8 to 100 letters, digits, '-' or '_'");
const text = z
  .string()
  .max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`)
  .refine((s) => s.trim().length > 0, "must not be empty");

export const sendMessageBody = z.object({ visitorId: opaqueId, clientId: opaqueId, text, identity: z.unknown().optional() });
export const conversationBody = z.object({
  visitorId: opaqueId,
  identity: z.unknown().optional(),
  after: z.string().max(100).optional(),
  wait: z.number().min(0).max(30).optional(),
});
export const replyBody = z.object({ text, name: z.string().max(100).optional() });

/** The first problem, phrased for a developer reading a 400. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length ? `${issue.path.join(".")} ${issue.message}` : issue.message;
}

/** The parsed body, or the 400 to answer with (invalid JSON, or the first schema problem). */
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
