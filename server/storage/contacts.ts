// Contacts: one per (app, user), holding what the user's latest verified claim vouched for (its
// verified attributes, and when) and, apart, the unproven hints a user hash carries. Only a
// verified claim writes here; which fields count is decided in policy/attributes.ts.
import type { Contact } from "../../contract/operator.ts";
import type { Attributes } from "../../contract/wire.ts";
import type { Db, Queryable } from "../db/db.ts";
import { contactHints, verifiedAttributes } from "../policy/attributes.ts";
import { newId } from "../secrets.ts";
import type { Verdict } from "../verify/verify.ts";
import { iso } from "./rows.ts";

export type { Contact } from "../../contract/operator.ts";

/** What a verified claim writes to its user's contact. */
export interface ContactWrite {
  appId: string;
  userId: string;
  attributes: Attributes;
  hints: Contact["hints"];
}

/** The contact write a verdict entitles a request to: none unless verified. */
export function contactWrite(appId: string, verdict: Verdict): ContactWrite | null {
  const attributes = verifiedAttributes(verdict);
  if (!attributes || verdict.userId === undefined) return null;
  return { appId, userId: verdict.userId, attributes, hints: contactHints(verdict) ?? {} };
}

/**
 * Writes `write`'s contact (parley_upsert_contact, migration 6: its attributes replaced by the
 * claim's, its hints merged with the claim's, proven now). Its id.
 */
export async function upsertContact(db: Queryable, write: ContactWrite): Promise<string> {
  const [row] = await db.query<{ id: string }>(`SELECT ${contactCall("parley_upsert_contact", ["$1", "$2", "$3", "$4", "$5"])} AS id`, contactParameters(write));
  return row!.id;
}

/** What the contact functions take after their own first arguments, in order. */
export const contactParameters = (write: ContactWrite): unknown[] => [newId("contact"), write.appId, write.userId, JSON.stringify(write.attributes), JSON.stringify(write.hints)];

/** `fn(...first, <the contact>)`: a call of a contact function of migration 6, `placeholders` standing for contactParameters. */
export function contactCall(fn: "parley_upsert_contact" | "parley_write_contact", [id, app, user, attributes, hints]: string[], ...first: string[]): string {
  return `${fn}(${[...first, `${id}::text`, `${app}::text`, `${user}::text`, `${attributes}::jsonb`, `${hints}::jsonb`].join(", ")})`;
}

export class ContactStore {
  constructor(private readonly db: Db) {}

  async get(appId: string, userId: string): Promise<Contact | undefined> {
    const [row] = await this.db.query<{ user_id: string; attributes: Attributes; hints: Contact["hints"]; last_verified_at: Date }>(
      `SELECT user_id, attributes, hints, last_verified_at FROM contacts WHERE app_id = $1 AND user_id = $2`,
      [appId, userId],
    );
    return row && { userId: row.user_id, attributes: row.attributes, hints: row.hints, lastVerifiedAt: iso(row.last_verified_at) };
  }
}
