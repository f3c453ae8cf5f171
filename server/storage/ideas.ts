// The ideas board: ideas, votes and comments. A visitor's request is one statement (a function of
// migration 10, with the rate-limit count and, for a verified claim, its contact written); the
// operator's are plain SQL. Storage only: which verdict may write is policy/idea-writer.ts's rule,
// applied by the caller, which hands this module a writer or nothing.
import type { IdeaVoter, OperatorIdea } from "../../contract/operator.ts";
import type { Idea, IdeaComment, IdeaStatus } from "../../contract/wire.ts";
import type { Db } from "../db/db.ts";
import type { IdeaWriter } from "../policy/idea-writer.ts";
import { newId } from "../secrets.ts";
import type { ContactWrite } from "./contacts.ts";
import { countArguments, type Hits, type RateCount } from "./rate-counters.ts";
import { iso } from "./rows.ts";
import { retried, withContact } from "./visitor-requests.ts";

export type { OperatorIdea } from "../../contract/operator.ts";

/** Who a visitor request is, for storage: its app, the verified user (if any), its contact write. */
export interface IdeaReader {
  appId: string;
  /** The verified user whose votes show as `voted`; none for anyone else. */
  userId: string | null;
  contact: ContactWrite | null;
}

export type Limited = { limited: Hits };
export type NotFound = { notFound: true };
/** The clientId made another user's idea or comment (or a comment on another idea): nothing written. */
export type Conflict = { conflict: true };

/** An idea row as the functions of migration 10 answer it. */
interface IdeaJson {
  id: string;
  title: string;
  body: string;
  status: IdeaStatus;
  name: string | null;
  created_at: string;
  votes: number;
  comments: number;
  voted: boolean;
}
interface CommentJson {
  id: string;
  client_id: string | null;
  author_type: "visitor" | "operator";
  user_id: string | null;
  name: string | null;
  text: string;
  created_at: string;
}
/** What a function of migration 10 answers: over a limit, or `T` (each function's own outcomes). */
type Answer<T> = { limited: Hits } | T;
type NoIdea = { not_found: true };
type Written = { created: boolean; conflict?: undefined };
type Conflicted = { created: false; conflict: true };

export class IdeaStore {
  constructor(private readonly db: Db) {}

  // ---- a visitor's requests: each one statement ----

  /** The board, most voted first (`top`) or newest first; 500 at most. */
  async board(reader: IdeaReader, sort: "top" | "new", count: RateCount | undefined): Promise<Limited | { ideas: Idea[] }> {
    const r = await this.call<{ ideas: IdeaJson[] }>("parley_read_ideas", ["text", "text", "text"], [reader.appId, reader.userId, sort], reader.contact, count);
    if ("limited" in r) return r;
    return { ideas: r.ideas.map(toIdea) };
  }

  /** An idea and its comments, oldest first (500 at most). A comment's clientId shows to its own author only. */
  async thread(reader: IdeaReader, ideaId: string, count: RateCount | undefined): Promise<Limited | NotFound | { idea: Idea; comments: IdeaComment[] }> {
    const r = await this.call<NoIdea | { idea: IdeaJson; comments: CommentJson[] }>("parley_read_idea", ["text", "text", "text"], [reader.appId, ideaId, reader.userId], reader.contact, count);
    if ("limited" in r) return r;
    if ("not_found" in r) return { notFound: true };
    return { idea: toIdea(r.idea), comments: r.comments.map((c) => toComment(c, reader.userId)) };
  }

  /** A suggestion, with its author's vote. Idempotent on `clientId`: the same one again is the same idea, `created: false`. */
  async suggest(
    reader: IdeaReader,
    writer: IdeaWriter,
    input: { clientId: string; title: string; body: string },
    count: RateCount | undefined,
  ): Promise<Limited | Conflict | { idea: Idea; created: boolean }> {
    const r = await this.call<Conflicted | (Written & { idea: IdeaJson })>(
      "parley_suggest_idea",
      ["text", "text", "text", "text", "text", "text", "text"],
      [reader.appId, newId("idea"), input.clientId, writer.userId, writer.name, input.title, input.body],
      reader.contact,
      count,
      { write: true },
    );
    if ("limited" in r) return r;
    if (r.conflict) return { conflict: true };
    return { idea: toIdea(r.idea), created: r.created };
  }

  /** A vote (`up`) or taking it back, each at most once however often asked; the idea as it now is. */
  async vote(reader: IdeaReader, writer: IdeaWriter, ideaId: string, up: boolean, count: RateCount | undefined): Promise<Limited | NotFound | { idea: Idea }> {
    const r = await this.call<NoIdea | { idea: IdeaJson }>("parley_vote_idea", ["text", "text", "text", "boolean"], [reader.appId, ideaId, writer.userId, up], reader.contact, count, { write: true });
    if ("limited" in r) return r;
    if ("not_found" in r) return { notFound: true };
    return { idea: toIdea(r.idea) };
  }

  /** A comment. Idempotent on `clientId` as suggestions are. */
  async comment(
    reader: IdeaReader,
    writer: IdeaWriter,
    ideaId: string,
    input: { clientId: string; text: string },
    count: RateCount | undefined,
  ): Promise<Limited | NotFound | Conflict | { comment: IdeaComment; created: boolean }> {
    const r = await this.call<NoIdea | Conflicted | (Written & { comment: CommentJson })>(
      "parley_comment_idea",
      ["text", "text", "text", "text", "text", "text", "text"],
      [reader.appId, ideaId, newId("cmt"), input.clientId, writer.userId, writer.name, input.text],
      reader.contact,
      count,
      { write: true },
    );
    if ("limited" in r) return r;
    if ("not_found" in r) return { notFound: true };
    if (r.conflict) return { conflict: true };
    return { comment: toComment(r.comment, writer.userId), created: r.created };
  }

  /** Only the count: a request refused before any work (policy said it may not write) still counts against the limits. */
  async countOnly(count: RateCount | undefined): Promise<Limited | undefined> {
    if (!count) return undefined;
    const counting = countArguments(count, 1);
    const [row] = await this.db.query<{ over: boolean; counts: Hits | null }>(`SELECT over, counts FROM parley_count_hits(${counting.sql})`, counting.values, "parley_count_hits");
    return row!.over ? { limited: row!.counts ?? {} } : undefined;
  }

  /** `fn(own…, count…)`, wrapped so a verified claim's contact is written in the same statement (visitor-requests.ts). */
  private async call<T>(fn: string, casts: string[], own: unknown[], contact: ContactWrite | null, count: RateCount | undefined, { write = false } = {}): Promise<Answer<T>> {
    const counting = countArguments(count, own.length + 1);
    const call = `${fn}(${casts.map((cast, i) => `$${i + 1}::${cast}`).join(", ")}, ${counting.sql})`;
    const { sql, values, name } = withContact(call, [...own, ...counting.values], contact, fn);
    const run = () => this.db.query<{ r: Answer<T> }>(sql, values, name);
    const [row] = await (write ? retried(run) : run());
    return row!.r;
  }

  // ---- the operator's ----

  /** Every idea of the app, most voted first, each with its verified voters (in the order they voted) and their verified attributes. */
  async list(appId: string): Promise<OperatorIdea[]> {
    const rows = await this.db.query<OperatorRow>(`${OPERATOR_SELECT} WHERE t.app_id = $1 ORDER BY t.votes DESC, t.created_at DESC, t.id`, [appId]);
    return rows.map(toOperatorIdea);
  }

  async get(appId: string, ideaId: string): Promise<OperatorIdea | undefined> {
    const [row] = await this.db.query<OperatorRow>(`${OPERATOR_SELECT} WHERE t.app_id = $1 AND t.id = $2`, [appId, ideaId]);
    return row && toOperatorIdea(row);
  }

  /** An idea the operator posts: no author but the team (and `name`, if given), no vote. */
  async create(appId: string, input: { title: string; body: string; status: IdeaStatus; name: string | null }): Promise<OperatorIdea> {
    const id = newId("idea");
    await this.db.query(`INSERT INTO ideas (id, app_id, author_type, name, title, body, status) VALUES ($1, $2, 'operator', $3, $4, $5, $6)`, [id, appId, input.name, input.title, input.body, input.status]);
    return (await this.get(appId, id))!;
  }

  /** Changes what is given. The idea as it now is; undefined when the app has no such idea. */
  async update(appId: string, ideaId: string, change: { status?: IdeaStatus; title?: string; body?: string }): Promise<OperatorIdea | undefined> {
    const rows = await this.db.query(
      `UPDATE ideas SET status = coalesce($3, status), title = coalesce($4, title), body = coalesce($5, body) WHERE app_id = $1 AND id = $2 RETURNING id`,
      [appId, ideaId, change.status ?? null, change.title ?? null, change.body ?? null],
    );
    return rows.length ? this.get(appId, ideaId) : undefined;
  }

  /** Removes it, with its votes and comments. Whether there was one. */
  async delete(appId: string, ideaId: string): Promise<boolean> {
    const rows = await this.db.query(`DELETE FROM ideas WHERE app_id = $1 AND id = $2 RETURNING id`, [appId, ideaId]);
    return rows.length > 0;
  }

  /** The operator's answer in an idea's thread. Undefined when the app has no such idea. */
  async addOperatorComment(appId: string, ideaId: string, text: string, name: string | null): Promise<IdeaComment | undefined> {
    const [row] = await this.db.query<CommentJson & { created_at: Date | string }>(
      `INSERT INTO idea_comments (id, app_id, idea_id, author_type, name, text) SELECT $3, app_id, id, 'operator', $4, $5 FROM ideas WHERE app_id = $1 AND id = $2
       RETURNING id, client_id, author_type, user_id, name, text, created_at`,
      [appId, ideaId, newId("cmt"), name, text],
    );
    return row && toComment(row, null);
  }
}

const OPERATOR_SELECT = `
  SELECT t.id, t.title, t.body, t.status, t.author_type, t.user_id, t.name, t.created_at, t.votes, t.comments,
         coalesce((SELECT json_agg(json_build_object('userId', v.user_id, 'attributes', coalesce(c.attributes, '{}'::jsonb)) ORDER BY v.voted_at, v.user_id)
                     FROM idea_votes v LEFT JOIN contacts c ON c.app_id = t.app_id AND c.user_id = v.user_id
                    WHERE v.idea_id = t.id), '[]') AS voters
    FROM idea_totals t`;

interface OperatorRow {
  id: string;
  title: string;
  body: string;
  status: IdeaStatus;
  author_type: "visitor" | "operator";
  user_id: string | null;
  name: string | null;
  created_at: Date | string;
  votes: number;
  comments: number;
  voters: IdeaVoter[];
}

function toOperatorIdea(r: OperatorRow): OperatorIdea {
  const name = r.name ? { name: r.name } : {};
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    status: r.status,
    votes: r.votes,
    comments: r.comments,
    createdAt: iso(r.created_at),
    author: r.author_type === "operator" ? { type: "operator", ...name } : { type: "visitor", userId: r.user_id!, ...name },
    voters: r.voters,
  };
}

function toIdea(r: IdeaJson): Idea {
  return { id: r.id, title: r.title, body: r.body, status: r.status, votes: r.votes, voted: r.voted, comments: r.comments, createdAt: iso(r.created_at), author: r.name ? { name: r.name } : {} };
}

/** A comment as a visitor reads it: its clientId only for its own author (`userId`), never anyone's user id. */
function toComment(r: CommentJson & { created_at: Date | string }, userId: string | null): IdeaComment {
  return {
    id: r.id,
    ...(userId !== null && r.user_id === userId ? { clientId: r.client_id } : {}),
    text: r.text,
    createdAt: iso(r.created_at),
    author: { type: r.author_type, ...(r.name ? { name: r.name } : {}) },
  };
}
