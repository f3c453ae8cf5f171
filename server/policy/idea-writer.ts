// Who may write on the ideas board — suggest, vote, comment — and under what name. Reading is open
// to every visitor of an allowed origin; writing needs a verified claim, so a vote is always a
// real user's, one per user whatever the device. Pure: a verdict in, a writer or nothing out.
import { withoutControlCharacters } from "../text.ts";
import type { Verdict } from "../verify/verify.ts";

export interface IdeaWriter {
  /** The verified user: whose vote, idea or comment it is. */
  userId: string;
  /** The name others see beside what they wrote: only a name the proof itself signed. */
  name: string | null;
}

/** The longest author name shown on the board. */
export const MAX_AUTHOR_NAME = 100;

/**
 * A verified claim's writer; undefined for anything else (anonymous, unverified in mode optional,
 * rejected): those read the board and change nothing. The name is a signed payload's or token's
 * `name`; a user hash's name is a hint the page gave, unproven, so it is never shown to others.
 */
export function ideaWriter(verdict: Verdict): IdeaWriter | undefined {
  if (verdict.status !== "verified" || verdict.userId === undefined) return undefined;
  const signed = verdict.proof !== "hash" && typeof verdict.name === "string" ? withoutControlCharacters(verdict.name).trim().slice(0, MAX_AUTHOR_NAME) : "";
  return { userId: verdict.userId, name: signed || null };
}
