// The operator's inbox: conversations as the operator lists them (status, unread, the newest
// words), closing and reopening, and what the operator has read. Two numbers per conversation, both
// message positions (`seq`): `closed_seq`, the newest message when the operator closed it — a
// visitor message after it reopens the conversation, with no write; and `read_seq`, the message
// the operator has read up to — a visitor message after it is unread.
import type { ConversationStatus, ConversationsResponse, InboxConversation } from "../../contract/operator.ts";
import type { Db } from "../db/db.ts";
const iso = (d: Date | string) => new Date(d).toISOString();

export type { ConversationStatus, InboxConversation } from "../../contract/operator.ts";

/** How many conversations a list holds at most, newest activity first. */
export const INBOX_LIMIT = 200;
/** A preview's length at most: the list shows a line. */
const PREVIEW = 200;

interface Row {
  id: string;
  user_id: string | null;
  visitor_id: string | null;
  verified: boolean;
  name: string | null;
  email: string | null;
  details_verified: boolean;
  last_message_at: Date | string;
  closed_seq: string | number | null;
  read_seq: string | number;
  last_visitor_seq: string | number | null;
  preview_text: string | null;
  preview_from: "visitor" | "operator" | null;
  cursor: string;
}

const SELECT = `SELECT c.id, c.user_id, c.visitor_id, c.verified, c.name, c.email, c.details_verified, c.last_message_at, c.closed_seq, c.read_seq,
       c.last_message_at::text AS cursor,
       (SELECT max(m.seq) FROM messages m WHERE m.conversation_id = c.id AND m.author_type = 'visitor') AS last_visitor_seq,
       p.text AS preview_text, p.author_type AS preview_from
  FROM conversations c
  LEFT JOIN LATERAL (SELECT left(m.text, ${PREVIEW}) AS text, m.author_type FROM messages m
                      WHERE m.conversation_id = c.id AND m.author_type <> 'note' ORDER BY m.seq DESC LIMIT 1) p ON true`;

export class InboxStore {
  constructor(private readonly db: Db) {}

  /**
   * The app's conversations, newest activity first, and a cursor: hand it to `changedSince` to learn
   * whether any conversation had a message since this list was read.
   */
  async list(appId: string): Promise<ConversationsResponse> {
    const rows = await this.db.query<Row>(`${SELECT} WHERE c.app_id = $1 ORDER BY c.last_message_at DESC, c.id LIMIT ${INBOX_LIMIT}`, [appId]);
    return { conversations: rows.map(toConversation), cursor: rows[0]?.cursor ?? null };
  }

  async get(appId: string, id: string): Promise<InboxConversation | undefined> {
    const [row] = await this.db.query<Row>(`${SELECT} WHERE c.app_id = $1 AND c.id = $2`, [appId, id]);
    return row && toConversation(row);
  }

  /** Whether a conversation of the app has had a message after `cursor` (a list's); any conversation at all when there is none. */
  async changedSince(appId: string, cursor: string | null): Promise<boolean> {
    const rows = await this.db.query(
      cursor === null ? `SELECT 1 FROM conversations WHERE app_id = $1 LIMIT 1` : `SELECT 1 FROM conversations WHERE app_id = $1 AND last_message_at > $2::timestamptz LIMIT 1`,
      cursor === null ? [appId] : [appId, cursor],
    );
    return rows.length > 0;
  }

  /** Closes (as of its newest message) or reopens a conversation; false when the app has no such conversation. */
  async setStatus(appId: string, id: string, status: ConversationStatus): Promise<boolean> {
    const rows = await this.db.query(
      status === "closed"
        ? `UPDATE conversations c SET closed_seq = coalesce((SELECT max(seq) FROM messages m WHERE m.conversation_id = c.id), 0) WHERE app_id = $1 AND id = $2 RETURNING id`
        : `UPDATE conversations SET closed_seq = NULL WHERE app_id = $1 AND id = $2 RETURNING id`,
      [appId, id],
    );
    return rows.length > 0;
  }

  /**
   * The operator has read the conversation up to `messageId` (never back: an older mark is kept).
   * False when that message is not in the conversation.
   */
  async markRead(appId: string, id: string, messageId: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE conversations c SET read_seq = greatest(c.read_seq, m.seq) FROM messages m
        WHERE c.app_id = $1 AND c.id = $2 AND m.id = $3 AND m.conversation_id = c.id RETURNING c.id`,
      [appId, id, messageId],
    );
    return rows.length > 0;
  }
}

function toConversation(r: Row): InboxConversation {
  const lastVisitor = r.last_visitor_seq === null ? 0 : Number(r.last_visitor_seq);
  const closed = r.closed_seq !== null && lastVisitor <= Number(r.closed_seq);
  return {
    id: r.id,
    contact: { userId: r.user_id, visitorId: r.visitor_id, verified: r.verified, ...(r.name ? { name: r.name } : {}), ...(r.email ? { email: r.email } : {}), detailsVerified: r.details_verified },
    lastMessageAt: iso(r.last_message_at),
    status: closed ? "closed" : "open",
    unread: lastVisitor > Number(r.read_seq),
    ...(r.preview_text !== null && r.preview_from ? { preview: { text: r.preview_text, from: r.preview_from } } : {}),
  };
}
