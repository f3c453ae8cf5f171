// Conversations and their messages: what a visitor's message and read store and find (one
// statement each: visitor-requests.ts), the fold of an anonymous conversation into a user's
// (merge.ts), and the operator's inbox. Who may read or write which conversation is decided in
// policy/ (conversation-key.ts, author.ts); this module runs SQL.
import type { ConversationContact } from "../../contract/operator.ts";
import type { Author, IdentityStatus, Message, RejectReason } from "../../contract/wire.ts";
import type { Db, Queryable } from "../db/db.ts";
import { authorUserId, detailsVerified } from "../policy/author.ts";
import { conversationKey } from "../policy/conversation-key.ts";
import { newId } from "../secrets.ts";
import type { Verdict } from "../verify/verify.ts";
import type { App } from "./apps.ts";
import { contactWrite, upsertContact } from "./contacts.ts";
import { mergeAnonymous } from "./merge.ts";
import type { Hits, RateCount } from "./rate-counters.ts";
import { iso } from "./rows.ts";
import { readVisitorConversation, retried, storeVisitorMessage } from "./visitor-requests.ts";

export type { ConversationContact };

/** A row of `messages`, as storage returns it. */
export interface MessageRow {
  id: string;
  conversation_id: string;
  client_id: string | null;
  author_type: "visitor" | "operator" | "note";
  claimed_user_id: string | null;
  visitor_id: string | null;
  user_id: string | null;
  verified: boolean;
  name: string | null;
  status: IdentityStatus | null;
  reason: RejectReason | null;
  text: string;
  created_at: Date | string;
}

/** A limit was over: nothing was stored or read. Each bucket counted, with its hits this window. */
export type RateLimited = { limited: Hits };

export class ConversationStore {
  constructor(private readonly db: Db) {}

  /**
   * Stores a visitor message under the conversation its verdict entitles it to, counting the
   * request against `count`'s limits — one statement (storage/visitor-requests.ts). Idempotent on
   * `clientId`: a retry returns the stored message and `created: false`; a `clientId` that is
   * another visitor's is a conflict, and leaves nothing behind. A verified message first folds
   * this browser's anonymous conversation into the user's (storage/merge.ts): only then is there
   * a second statement, and a transaction. `claimedUserId`: the id a rejected claim named, kept as
   * unproven.
   */
  async addVisitorMessage(
    app: App,
    input: { visitorId: string; clientId: string; text: string; claimedUserId?: string },
    verdict: Verdict,
    count?: RateCount,
  ): Promise<{ message: Message; created: boolean; conversationId: string } | { conflict: true } | RateLimited> {
    const verified = verdict.status === "verified";
    const contact = contactWrite(app.id, verdict);
    const store = (foldKey: string | null, count: RateCount | undefined) =>
      storeVisitorMessage(
        this.db,
        {
          appId: app.id,
          key: conversationKey(input.visitorId, verdict),
          visitorId: input.visitorId,
          userId: authorUserId(verdict),
          verified,
          name: verdict.name ?? null,
          email: verdict.email ?? null,
          detailsVerified: detailsVerified(verdict),
          id: newId("msg"),
          conversationId: newId("conv"),
          clientId: input.clientId,
          status: verdict.status,
          reason: verdict.reason ?? null,
          text: input.text,
          claimedUserId: verdict.status === "rejected" ? (input.claimedUserId ?? null) : null,
          foldKey,
          contact,
        },
        count,
      );
    let result = await store(verified ? anonymousKey(input.visitorId) : null, count);
    if ("fold_first" in result) {
      await this.foldAnonymous(app.id, input.visitorId, verdict);
      // Counted already. Anything anonymous written since is folded by the next verified request.
      result = await store(null, undefined);
    }
    if ("limited" in result) return result;
    if ("fold_first" in result) throw new Error("unreachable: a second fold asked for");
    if (result.message.visitor_id !== input.visitorId) return { conflict: true };
    return stored(result.message, result.created);
  }

  /**
   * What a visitor's request may read, counting it against `count`'s limits — one statement: the
   * conversation its verdict entitles it to (a verified user's own, else this visitor's), the
   * visible messages after `after`. A verified read first folds this browser's anonymous
   * conversation into the user's (signing in is a read: what the visitor asked before stays in
   * their thread), and a verified one writes its user's contact (contacts.ts). `again`: a long-poll
   * looking again, neither counted nor writing anything (`count` undefined counts nothing either).
   */
  async readConversation(appId: string, visitorId: string, verdict: Verdict, after: string | undefined, count?: RateCount, { again = false } = {}): Promise<{ conversationId: string | undefined; messages: Message[] } | RateLimited> {
    const contact = again ? null : contactWrite(appId, verdict);
    const read = (foldKey: string | null, count: RateCount | undefined) =>
      readVisitorConversation(this.db, { appId, key: conversationKey(visitorId, verdict), after: after ?? null, foldKey, contact }, again ? undefined : count);
    let result = await read(verdict.status === "verified" ? anonymousKey(visitorId) : null, count);
    if ("fold_first" in result) {
      await this.foldAnonymous(appId, visitorId, verdict);
      result = await read(null, undefined);
    }
    if ("limited" in result) return result;
    if ("fold_first" in result) throw new Error("unreachable: a second fold asked for");
    return { conversationId: result.conversation_id ?? undefined, messages: result.messages.map(toMessage) };
  }

  /**
   * The conversation a verdict may read: a verified user's own, else this visitor's. A verified
   * read also folds this browser's anonymous conversation into the user's. One statement when there
   * is nothing to fold.
   */
  async conversationFor(appId: string, visitorId: string, verdict: Verdict): Promise<string | undefined> {
    const key = conversationKey(visitorId, verdict);
    const rows = await this.db.query<{ id: string; key: string }>(`SELECT id, key FROM conversations WHERE app_id = $1 AND key IN ($2, $3)`, [appId, key, anonymousKey(visitorId)]);
    const own = rows.find((r) => r.key === key)?.id;
    if (verdict.status !== "verified" || !rows.some((r) => r.key === anonymousKey(visitorId))) return own;
    return this.foldAnonymous(appId, visitorId, verdict);
  }

  /**
   * Folds this browser's anonymous conversation into the verified user's (created if need be), in
   * one transaction; the user's conversation id. Idempotent, so a transaction PostgreSQL rolled back
   * for a deadlock with a request of the same person (two tabs, two processes) simply runs again.
   */
  private foldAnonymous(appId: string, visitorId: string, verdict: Verdict): Promise<string> {
    return retried(() =>
      this.db.transaction(async (tx) => {
        const into = await upsertConversation(tx, appId, visitorId, verdict);
        await mergeAnonymous(tx, appId, visitorId, into);
        return into;
      }),
    );
  }

  /** A conversation's messages after `after`, in order. The operator's view (`notes`) includes Parley's notes. */
  async messages(conversationId: string, after?: string, { notes = false } = {}): Promise<Message[]> {
    const visible = notes ? "" : ` AND author_type <> 'note'`;
    const rows = await this.db.query<MessageRow>(
      after
        ? `SELECT * FROM messages WHERE conversation_id = $1${visible} AND seq > coalesce((SELECT seq FROM messages WHERE id = $2 AND conversation_id = $1), 0) ORDER BY seq LIMIT 500`
        : `SELECT * FROM messages WHERE conversation_id = $1${visible} ORDER BY seq LIMIT 500`,
      after ? [conversationId, after] : [conversationId],
    );
    return rows.map(toMessage);
  }

  async listConversations(appId: string) {
    const rows = await this.db.query<{ id: string; user_id: string | null; visitor_id: string | null; verified: boolean; name: string | null; email: string | null; details_verified: boolean; last_message_at: Date }>(
      `SELECT id, user_id, visitor_id, verified, name, email, details_verified, last_message_at FROM conversations WHERE app_id = $1 ORDER BY last_message_at DESC LIMIT 200`,
      [appId],
    );
    return rows.map((r) => ({
      id: r.id,
      contact: { userId: r.user_id, visitorId: r.visitor_id, verified: r.verified, ...(r.name ? { name: r.name } : {}), ...(r.email ? { email: r.email } : {}), detailsVerified: r.details_verified } satisfies ConversationContact,
      lastMessageAt: iso(r.last_message_at),
    }));
  }

  async hasConversation(appId: string, conversationId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM conversations WHERE app_id = $1 AND id = $2`, [appId, conversationId]);
    return rows.length > 0;
  }

  async addReply(appId: string, conversationId: string, text: string, name: string): Promise<Message> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<MessageRow>(
        `INSERT INTO messages (id, app_id, conversation_id, author_type, name, text) VALUES ($1, $2, $3, 'operator', $4, $5) RETURNING *`,
        [newId("msg"), appId, conversationId, name, text],
      );
      await tx.query(`UPDATE conversations SET last_message_at = now() WHERE id = $1`, [conversationId]);
      return toMessage(row!);
    });
  }
}

const anonymousKey = (visitorId: string) => conversationKey(visitorId, { status: "anonymous" });

async function upsertConversation(tx: Queryable, appId: string, visitorId: string, verdict: Verdict): Promise<string> {
  const write = contactWrite(appId, verdict);
  const contactId = write ? await upsertContact(tx, write) : null;
  // The contact's details change only on a claim that was accepted; a rejected claim leaves them be.
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO conversations (id, app_id, key, visitor_id, user_id, verified, name, email, details_verified, contact_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (app_id, key) DO UPDATE SET
       contact_id = coalesce(EXCLUDED.contact_id, conversations.contact_id),
       visitor_id = EXCLUDED.visitor_id,
       user_id = coalesce(EXCLUDED.user_id, conversations.user_id),
       name = coalesce(EXCLUDED.name, conversations.name),
       email = coalesce(EXCLUDED.email, conversations.email),
       details_verified = CASE WHEN EXCLUDED.name IS NULL AND EXCLUDED.email IS NULL THEN conversations.details_verified ELSE EXCLUDED.details_verified END
     RETURNING id`,
    [newId("conv"), appId, conversationKey(visitorId, verdict), visitorId, authorUserId(verdict), verdict.status === "verified", verdict.name ?? null, verdict.email ?? null, detailsVerified(verdict), contactId],
  );
  return row!.id;
}

const stored = (row: MessageRow, created: boolean) => ({ message: toMessage(row), created, conversationId: row.conversation_id });

function toMessage(r: MessageRow): Message {
  const author: Author =
    r.author_type === "operator"
      ? { type: "operator", ...(r.name ? { name: r.name } : {}) }
      : r.author_type === "note"
        ? { type: "note" }
        : {
            type: "visitor",
            visitorId: r.visitor_id!,
            ...(r.user_id ? { userId: r.user_id } : {}),
            verified: r.verified,
            ...(r.name ? { name: r.name } : {}),
            ...(r.claimed_user_id ? { claimedUserId: r.claimed_user_id } : {}),
          };
  const message: Message = { id: r.id, clientId: r.client_id, text: r.text, createdAt: iso(r.created_at), author };
  if (r.author_type === "visitor" && r.status) message.identity = { status: r.status, ...(r.reason ? { reason: r.reason } : {}) };
  return message;
}

