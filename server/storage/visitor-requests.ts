// What a visitor's request does to storage, in one statement each, rate-limit count included: store
// a message (idempotent on its clientId, its conversation upserted), or read a conversation. Each is
// one call of a PL/pgSQL function of migration 8 — one round trip on PostgreSQL, one pass through
// PGlite on embedded storage, with plans kept across calls. Who may read or write what is decided
// by the caller (store.ts).
import type { Queryable } from "../db/db.ts";
import type { MessageRow } from "./conversations.ts";
import { contactCall, contactParameters, type ContactWrite } from "./contacts.ts";
import { countArguments, type Hits, type RateCount } from "./rate-counters.ts";

/** A limit was over: nothing was stored or read. */
export interface Limited {
  limited: Hits;
}
/** This browser has an anonymous conversation to fold into the user's first (storage/merge.ts): nothing was stored or read. */
export interface FoldFirst {
  fold_first: true;
}

export interface VisitorMessage {
  appId: string;
  /** The conversation's key (policy/conversation-key.ts), and what its contact is upserted with. */
  key: string;
  visitorId: string;
  userId: string | null;
  verified: boolean;
  name: string | null;
  email: string | null;
  detailsVerified: boolean;
  /** The message: its id, and the id its conversation gets if it is new. */
  id: string;
  conversationId: string;
  clientId: string;
  status: string;
  reason: string | null;
  text: string;
  claimedUserId: string | null;
  /** When this conversation exists (and so is to be folded first): stop, and say so. */
  foldKey: string | null;
  /** A verified claim's contact, written in the same statement once the message is stored (contacts.ts). */
  contact: ContactWrite | null;
}

/**
 * Stores a visitor message, unless the same clientId is already stored (that one is returned,
 * `created: false`, whoever's it is: the caller checks) or a limit is over. Two requests racing
 * with one clientId: the loser's call fails on the unique index and is rolled back whole (no empty
 * conversation left behind), then runs again and finds the winner's message.
 */
export async function storeVisitorMessage(db: Queryable, m: VisitorMessage, count: RateCount | undefined): Promise<Limited | FoldFirst | { created: boolean; message: MessageRow }> {
  const own = [m.appId, m.key, m.visitorId, m.userId, m.verified, m.name, m.email, m.detailsVerified, m.id, m.conversationId, m.clientId, m.status, m.reason, m.text, m.claimedUserId, m.foldKey];
  const casts = ["text", "text", "text", "text", "boolean", "text", "text", "boolean", "text", "text", "text", "text", "text", "text", "text", "text"];
  const counting = countArguments(count, own.length + 1);
  const call = `parley_store_visitor_message(${casts.map((cast, i) => `$${i + 1}::${cast}`).join(", ")}, ${counting.sql})`;
  const { sql, values, name } = withContact(call, [...own, ...counting.values], m.contact, "parley_store_visitor_message");
  const [row] = await retried(() => db.query<{ r: Limited | FoldFirst | { created: boolean; message: MessageRow } }>(sql, values, name));
  return row!.r;
}

export interface VisitorRead {
  appId: string;
  /** The conversation this request may read (policy/conversation-key.ts). */
  key: string;
  /** Messages after this one, when it is in the conversation; else the whole conversation. */
  after: string | null;
  /** When this conversation exists (and so is to be folded first): stop, and say so. */
  foldKey: string | null;
  /** A verified claim's contact, written in the same statement once the conversation is read (contacts.ts). */
  contact: ContactWrite | null;
}

/** A conversation's visitor-visible messages (500 at most, in order), read in one statement with the rate-limit count. */
export async function readVisitorConversation(db: Queryable, r: VisitorRead, count: RateCount | undefined): Promise<Limited | FoldFirst | { conversation_id: string | null; messages: MessageRow[] }> {
  const counting = countArguments(count, 5);
  const call = `parley_read_visitor_conversation($1::text, $2::text, $3::text, $4::text, ${counting.sql})`;
  const { sql, values, name } = withContact(call, [r.appId, r.key, r.after, r.foldKey, ...counting.values], r.contact, "parley_read_visitor_conversation");
  // A read that writes a contact can deadlock with the same person's message in another request:
  // rolled back whole (its count included), it runs again.
  const [row] = await retried(() => db.query<{ r: Limited | FoldFirst | { conversation_id: string | null; messages: MessageRow[] } }>(sql, values, name));
  return row!.r;
}

/**
 * The statement for `call` (a request's function, on `values`): with a contact to write, wrapped
 * in parley_write_contact, which writes it once the request did its work — still one statement,
 * prepared under a name of its own.
 */
export function withContact(call: string, values: unknown[], contact: ContactWrite | null, name: string): { sql: string; values: unknown[]; name: string } {
  if (!contact) return { sql: `SELECT ${call} AS r`, values, name };
  const more = contactParameters(contact);
  const placeholders = more.map((_, i) => `$${values.length + i + 1}`);
  return { sql: `SELECT ${contactCall("parley_write_contact", placeholders, call)} AS r`, values: [...values, ...more], name: `${name}_contact` };
}

/**
 * Runs a statement (or a transaction) again when PostgreSQL rolled it back whole for a reason a
 * second run resolves: a unique violation (another request stored the same clientId meanwhile: the
 * second run finds it) or a deadlock. The runs are spread a little at random, so the two requests
 * that deadlocked do not meet again in step (two tabs and two processes signing in at once did).
 */
export async function retried<T>(run: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (i >= tries || (code !== "23505" && code !== "40P01")) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * i));
    }
  }
}
