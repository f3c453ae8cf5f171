// What the operator's audience picker reads: the verified attributes of an app's contacts.
// (Contacts are written in contacts.ts; this only reads them.)
import type { Attributes } from "../../contract/wire.ts";
import type { Db } from "../db/db.ts";

/** Contacts read at most for the picker and reach: beyond this, counts are of the most recently verified. */
export const MAX_CONTACTS = 50_000;

export async function contactAttributes(db: Db, appId: string): Promise<Attributes[]> {
  const rows = await db.query<{ attributes: Attributes }>(`SELECT attributes FROM contacts WHERE app_id = $1 ORDER BY last_verified_at DESC LIMIT ${MAX_CONTACTS}`, [appId]);
  return rows.map((r) => r.attributes);
}
