// Login merges: a browser that chatted anonymously and now presents a verified claim for user U
// has its anonymous conversation folded into U's — every message moved (each keeps the verdict it
// arrived with; the thread is ordered by arrival, so they fall in place), the anonymous
// conversation removed, and a note left for the operator. Who may merge is decided by the caller
// (a verified verdict only: see policy/conversation-key.ts); this module only moves rows.
import type { Queryable } from "../db/db.ts";
import { newId } from "../secrets.ts";

/**
 * Folds `visitor:<visitorId>` into the user's conversation `into`, inside the caller's transaction.
 * Idempotent and race-safe: the anonymous conversation is locked first, so of two requests merging
 * at once (two tabs, two processes), the second finds nothing left to move. Returns how many
 * messages moved (0: nothing to merge).
 */
export async function mergeAnonymous(tx: Queryable, appId: string, visitorId: string, into: string): Promise<number> {
  const [anonymous] = await tx.query<{ id: string }>(`SELECT id FROM conversations WHERE app_id = $1 AND key = $2 FOR UPDATE`, [appId, `visitor:${visitorId}`]);
  if (!anonymous) return 0;
  const moved = await tx.query(`UPDATE messages SET conversation_id = $2 WHERE conversation_id = $1 RETURNING seq`, [anonymous.id, into]);
  await tx.query(
    `UPDATE conversations SET last_message_at = greatest(last_message_at, (SELECT last_message_at FROM conversations WHERE id = $2)) WHERE id = $1`,
    [into, anonymous.id],
  );
  await tx.query(`DELETE FROM conversations WHERE id = $1`, [anonymous.id]);
  if (moved.length > 0) {
    await tx.query(`INSERT INTO messages (id, app_id, conversation_id, author_type, visitor_id, text) VALUES ($1, $2, $3, 'note', $4, $5)`, [
      newId("msg"),
      appId,
      into,
      visitorId,
      `Merged from anonymous visitor ${visitorId} at ${new Date().toISOString()}: ${moved.length} message${moved.length === 1 ? "" : "s"}, kept with the verdicts they arrived with.`,
    ]);
  }
  return moved.length;
}
