// What a visitor's request does to storage, in one statement each, rate-limit count included: store
// a message (idempotent on its clientId, its conversation upserted), or read a conversation. On
// PostgreSQL a statement is a round trip, and on embedded storage a pass through PGlite: eight of
// them per message became one. Who may read or write what is decided by the caller (store.ts).
import type { Queryable } from "../db/db.ts";
import type { MessageRow } from "../store.ts";
import { rateCounting, type Hits, type RateCount } from "./rate-counters.ts";
import { parameters } from "./sql.ts";

/** A limit was over: nothing was stored or read. */
export interface Limited {
  limited: true;
  hits: Hits;
}
/** This browser has an anonymous conversation to fold into the user's first (storage/merge.ts): nothing was stored or read. */
export interface FoldFirst {
  foldFirst: true;
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
  /** The message. */
  id: string;
  conversationId: string;
  clientId: string;
  status: string;
  reason: string | null;
  text: string;
  claimedUserId: string | null;
  /** When the conversation is `foldKey`'s and not this one: stop, and say so (FoldFirst). */
  foldKey: string | null;
}

/**
 * Stores a visitor message in one statement, unless the same clientId is already stored (that one
 * is returned, `created: false`, whoever's it is: the caller checks) or a limit is over. The
 * conversation is upserted with the contact's details and its last_message_at in the same
 * statement. Two requests racing with one clientId: the loser's statement fails on the unique
 * index and is rolled back whole (no empty conversation left behind), then runs again and finds the
 * winner's message.
 */
export async function storeVisitorMessage(db: Queryable, m: VisitorMessage, count: RateCount | undefined): Promise<Limited | FoldFirst | { row: MessageRow; created: boolean; hits: Hits }> {
  const { $, values } = parameters();
  const app = $(m.appId);
  const client = $(m.clientId);
  const visitor = $(m.visitorId);
  const userId = $(m.userId);
  const verified = $(m.verified);
  const name = $(m.name);
  const sql = `WITH ${rateCounting(count, $)},
     existing AS (SELECT * FROM messages WHERE app_id = ${app} AND client_id = ${client}),
     to_fold AS (SELECT 1 FROM conversations WHERE app_id = ${app} AND key = ${$(m.foldKey)}::text),
     conversation AS (
       INSERT INTO conversations (id, app_id, key, visitor_id, user_id, verified, name, email, details_verified)
       SELECT ${$(m.conversationId)}::text, ${app}::text, ${$(m.key)}::text, ${visitor}::text, ${userId}::text, ${verified}::boolean, ${name}::text, ${$(m.email)}::text, ${$(m.detailsVerified)}::boolean
        WHERE NOT (SELECT limited FROM rate) AND NOT EXISTS (SELECT 1 FROM existing) AND NOT EXISTS (SELECT 1 FROM to_fold)
       -- The contact's details change only on a claim that was accepted; a rejected claim leaves them be.
       ON CONFLICT (app_id, key) DO UPDATE SET
         visitor_id = EXCLUDED.visitor_id,
         user_id = coalesce(EXCLUDED.user_id, conversations.user_id),
         name = coalesce(EXCLUDED.name, conversations.name),
         email = coalesce(EXCLUDED.email, conversations.email),
         details_verified = CASE WHEN EXCLUDED.name IS NULL AND EXCLUDED.email IS NULL THEN conversations.details_verified ELSE EXCLUDED.details_verified END,
         last_message_at = now()
       RETURNING id
     ), inserted AS (
       INSERT INTO messages (id, app_id, conversation_id, client_id, author_type, visitor_id, user_id, verified, name, status, reason, text, claimed_user_id)
       SELECT ${$(m.id)}::text, ${app}::text, id, ${client}::text, 'visitor', ${visitor}::text, ${userId}::text, ${verified}::boolean, ${name}::text, ${$(m.status)}::text, ${$(m.reason)}::text, ${$(m.text)}::text, ${$(m.claimedUserId)}::text
         FROM conversation
       RETURNING *
     )
     SELECT rate.limited, rate.hits AS rate_hits, EXISTS (SELECT 1 FROM to_fold) AS fold_first, m.*
       FROM rate LEFT JOIN (SELECT *, true AS created FROM inserted UNION ALL SELECT *, false FROM existing) m ON true`;
  type Row = MessageRow & { limited: boolean; rate_hits: Hits | null; fold_first: boolean; created: boolean | null };
  const [row] = await retried(() => db.query<Row>(sql, values));
  const { limited, rate_hits: hits, fold_first, created, ...message } = row!;
  if (limited) return { limited, hits: hits ?? {} };
  if (message.id) return { row: message, created: created!, hits: hits ?? {} };
  if (fold_first) return { foldFirst: true };
  throw new Error("storing a message stored nothing, though no limit was over and nothing was to fold");
}

export interface VisitorRead {
  appId: string;
  /** The conversation this request may read (policy/conversation-key.ts). */
  key: string;
  /** Messages after this one, when it is in the conversation; else the whole conversation. */
  after: string | null;
  /** When `foldKey`'s conversation exists and is not this one: stop, and say so (FoldFirst). */
  foldKey: string | null;
}

/** A conversation's visitor-visible messages (500 at most, in order), read in one statement with the rate-limit count. */
export async function readVisitorConversation(db: Queryable, r: VisitorRead, count: RateCount | undefined): Promise<Limited | FoldFirst | { conversationId: string | undefined; rows: MessageRow[] }> {
  const { $, values } = parameters();
  const rate = rateCounting(count, $);
  const app = $(r.appId);
  const key = $(r.key);
  const sql = `WITH ${rate},
     own AS (SELECT id FROM conversations WHERE NOT (SELECT limited FROM rate) AND app_id = ${app} AND key = ${key}),
     to_fold AS (SELECT 1 FROM conversations WHERE app_id = ${app} AND key = ${$(r.foldKey)}::text AND key <> ${key})
     SELECT rate.limited, rate.hits AS rate_hits, EXISTS (SELECT 1 FROM to_fold) AS fold_first, (SELECT id FROM own) AS own_id, m.*
       FROM rate LEFT JOIN (
         SELECT * FROM messages
          WHERE conversation_id = (SELECT id FROM own) AND author_type <> 'note'
            AND seq > coalesce((SELECT seq FROM messages WHERE id = ${$(r.after)}::text AND conversation_id = (SELECT id FROM own)), 0)
          ORDER BY seq LIMIT 500
       ) m ON true
      ORDER BY m.seq`;
  type Row = MessageRow & { limited: boolean; rate_hits: Hits | null; fold_first: boolean; own_id: string | null };
  const rows = await db.query<Row>(sql, values);
  const { limited, rate_hits: hits, fold_first, own_id } = rows[0]!;
  if (limited) return { limited, hits: hits ?? {} };
  if (fold_first) return { foldFirst: true };
  return {
    conversationId: own_id ?? undefined,
    rows: rows.filter((row) => row.id !== null).map(({ limited: _l, rate_hits: _h, fold_first: _f, own_id: _o, ...message }) => message),
  };
}

/**
 * Runs a statement again when PostgreSQL rolled it back whole for a reason a second run resolves:
 * a unique violation (another request stored the same clientId meanwhile: the second run finds
 * it) or a deadlock.
 */
async function retried<T>(run: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (i >= tries || (code !== "23505" && code !== "40P01")) throw err;
    }
  }
}
