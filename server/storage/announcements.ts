// Announcements ("What's new") and who has read them. Storage only: which announcements a request
// may see is policy/audience.ts's rule, applied by the caller to what this module returns.
import type { OperatorAnnouncement } from "../../contract/operator.ts";
import type { Announcement, Audience } from "../../contract/wire.ts";
import type { Db } from "../db/db.ts";
import { newId } from "../secrets.ts";
import { contactCall, contactParameters, type ContactWrite } from "./contacts.ts";
import { countArguments, type Hits, type RateCount } from "./rate-counters.ts";
import { iso } from "./rows.ts";

export type { OperatorAnnouncement } from "../../contract/operator.ts";

/** An announcement as a visitor request reads it, before its audience is applied. */
export type AnnouncementForReader = Announcement & { audience: Audience | null };

/** Who a visitor request is, for storage: whose read state, and the contact its claim writes. */
export interface Reader {
  appId: string;
  /** policy/read-state.ts */
  key: string;
  /** A verified request's browser: what it read before signing in becomes the user's (read-state.ts). */
  foldFrom: string | null;
  contact: ContactWrite | null;
}

/** The most a request reads, newest first, before its audience is applied. */
const READ_LIMIT = 500;

type Row = { id: string; title: string; body: string; audience: Audience | null; published_at: Date | string };

export class AnnouncementStore {
  constructor(private readonly db: Db) {}

  async create(appId: string, input: { title: string; body: string; audience: Audience | null }): Promise<OperatorAnnouncement> {
    const [row] = await this.db.query<Row>(
      `INSERT INTO announcements (id, app_id, title, body, audience) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id, title, body, audience, published_at`,
      [newId("ann"), appId, input.title, input.body, input.audience ? JSON.stringify(input.audience) : null],
    );
    return { ...published(row!), reads: 0 };
  }

  /** Newest first, each with how many people (verified users, and browsers otherwise) have read it. */
  async list(appId: string): Promise<OperatorAnnouncement[]> {
    const rows = await this.db.query<Row & { reads: number }>(
      `SELECT a.id, a.title, a.body, a.audience, a.published_at, (SELECT count(*) FROM announcement_reads r WHERE r.announcement_id = a.id)::int AS reads
         FROM announcements a WHERE a.app_id = $1 ORDER BY a.published_at DESC, a.id`,
      [appId],
    );
    return rows.map((r) => ({ ...published(r), reads: r.reads }));
  }

  /** Removes it, and who read it. Whether there was one. */
  async delete(appId: string, id: string): Promise<boolean> {
    const rows = await this.db.query(`DELETE FROM announcements WHERE app_id = $1 AND id = $2 RETURNING id`, [appId, id]);
    return rows.length > 0;
  }

  /**
   * A visitor request's read, in one statement: counted against `count`'s limits; while none is
   * over, the claim's contact written, what this browser read before signing in moved to the user,
   * and the app's announcements (newest first) with whether this reader has read each.
   */
  async forReader(reader: Reader, count: RateCount | undefined): Promise<{ limited: Hits } | { announcements: AnnouncementForReader[] }> {
    const { sql, values } = withReader(
      reader,
      count,
      ($, from) => ({
        with: `folded AS (
         DELETE FROM announcement_reads r USING announcements a
          WHERE NOT (SELECT limited FROM rate) AND r.reader = ${$(reader.foldFrom)}::text AND a.id = r.announcement_id AND a.app_id = ${$(reader.appId)}::text
         RETURNING r.announcement_id, r.read_at
       ), moved AS (
         INSERT INTO announcement_reads (announcement_id, reader, read_at) SELECT announcement_id, ${$(reader.key)}::text, read_at FROM folded ON CONFLICT DO NOTHING
       )`,
        select: `SELECT rate.limited, rate.hits, a.id, a.title, a.body, a.audience, a.published_at,
              EXISTS (SELECT 1 FROM announcement_reads r WHERE r.announcement_id = a.id AND r.reader IN (${$(reader.key)}::text, ${$(reader.foldFrom)}::text)) AS read
         FROM ${from} LEFT JOIN LATERAL (
           SELECT id, title, body, audience, published_at FROM announcements WHERE NOT rate.limited AND app_id = ${$(reader.appId)}::text ORDER BY published_at DESC, id LIMIT ${READ_LIMIT}
         ) a ON true
        ORDER BY a.published_at DESC, a.id`,
      }),
    );
    const rows = await this.db.query<{ limited: boolean; hits: Hits } & Row & { read: boolean }>(sql, values, prepared("parley_announcements", reader));
    if (rows[0]!.limited) return { limited: rows[0]!.hits };
    return { announcements: rows.filter((r) => r.id !== null).map((r) => ({ ...published(r), read: r.read })) };
  }

  /**
   * The first half of marking one read: counted, the claim's contact written, and the
   * announcement's audience (undefined: no such announcement in this app). The caller decides.
   */
  async audienceOf(reader: Reader, id: string, count: RateCount | undefined): Promise<{ limited: Hits } | { audience: Audience | null } | undefined> {
    const { sql, values } = withReader(
      reader,
      count,
      ($, from) => ({
        select: `SELECT rate.limited, rate.hits, a.id, a.audience
         FROM ${from} LEFT JOIN announcements a ON NOT rate.limited AND a.app_id = ${$(reader.appId)}::text AND a.id = ${$(id)}::text`,
      }),
    );
    const [row] = await this.db.query<{ limited: boolean; hits: Hits; id: string | null; audience: Audience | null }>(sql, values, prepared("parley_announcement_audience", reader));
    if (row!.limited) return { limited: row!.hits };
    return row!.id === null ? undefined : { audience: row!.audience };
  }

  /** Read by this reader: once, however often marked. Nothing when the announcement is gone. */
  async markRead(id: string, readerKey: string): Promise<void> {
    await this.db.query(`INSERT INTO announcement_reads (announcement_id, reader) SELECT id, $2 FROM announcements WHERE id = $1 ON CONFLICT DO NOTHING`, [id, readerKey]);
  }
}

/**
 * A statement that first counts the request (`rate(limited, hits)`) and, while no limit is over,
 * writes the claim's contact; then `part`'s CTEs and its SELECT, given the way to add parameters
 * and what its FROM starts with (one row: `rate`, and the contact written).
 */
function withReader(reader: Reader, count: RateCount | undefined, part: ($: (value: unknown) => string, from: string) => { with?: string; select: string }): { sql: string; values: unknown[] } {
  const counting = countArguments(count, 1);
  const values: unknown[] = [...counting.values];
  const $ = (value: unknown) => `$${values.push(value)}`;
  const ctes = [`rate AS (SELECT over AS limited, counts AS hits FROM parley_count_hits(${counting.sql}))`];
  // Referenced below (LEFT JOIN contact), so it runs: a CTE that only selects runs when read.
  if (reader.contact) ctes.push(`contact AS (SELECT ${contactCall("parley_upsert_contact", contactParameters(reader.contact).map($))} AS id WHERE NOT (SELECT limited FROM rate))`);
  const { with: more, select } = part($, reader.contact ? "rate LEFT JOIN contact ON true" : "rate");
  if (more) ctes.push(more);
  return { sql: `WITH ${ctes.join(",\n     ")}\n${select}`, values };
}

/** The name a visitor request's statement is prepared under (db.ts): its text differs only with a contact to write. */
const prepared = (name: string, reader: Reader) => (reader.contact ? `${name}_contact` : name);

function published(r: Row): Omit<AnnouncementForReader, "read"> {
  return { id: r.id, title: r.title, body: r.body, audience: r.audience, publishedAt: iso(r.published_at) };
}
