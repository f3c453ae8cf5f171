// Everything the API and the CLI read or write, as named queries. No HTTP here, no verification.
import type { KeyKind } from "../contract/claim.ts";
import type { Author, IdentityStatus, Message, RejectReason } from "../contract/wire.ts";
import type { Db, Queryable } from "./db/db.ts";
import { authorUserId, detailsVerified } from "./policy/author.ts";
import { conversationKey } from "./policy/conversation-key.ts";
import type { VerifyKey } from "./verify/keys.ts";
import type { Mode, Verdict } from "./verify/verify.ts";
import { decryptSecret, encryptSecret, newId, newSecret, type MasterKey } from "./secrets.ts";
import { AppCache } from "./storage/app-cache.ts";
import { mergeAnonymous } from "./storage/merge.ts";
import type { Hits, RateCount } from "./storage/rate-counters.ts";
import { readVisitorConversation, storeVisitorMessage } from "./storage/visitor-requests.ts";

export interface App {
  id: string;
  name: string;
  mode: Mode;
  origins: string[];
  /** Whether rejected verdicts carry the doctor's hint (for the site's developer while integrating). */
  hints: boolean;
}

export interface KeyInfo {
  keyId: string;
  proof: KeyKind;
  createdAt: string;
  revokedAt: string | null;
}

export interface Contact {
  userId: string | null;
  visitorId: string | null;
  verified: boolean;
  name?: string;
  email?: string;
  /** Whether name and email come from the proof itself; a user hash's hints never do. */
  detailsVerified: boolean;
}

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

/** An app and its keys, as a visitor request needs them; the keys are decrypted when first asked for. */
export interface AppForRequest {
  app: App;
  keys: () => VerifyKey[];
}

/** A limit was over: nothing was stored or read. Each bucket counted, with its hits this window. */
export type RateLimited = { limited: Hits };

export class Store {
  /** Only on embedded storage, which has no other writer (storage/app-cache.ts). */
  private readonly apps: AppCache<AppForRequest> | undefined;

  constructor(
    readonly db: Db,
    private readonly masterKey: MasterKey,
  ) {
    this.apps = db.kind === "embedded" ? new AppCache() : undefined;
  }

  // ---- apps and keys -------------------------------------------------------------------

  async createApp(name: string, origins: string[], mode: Mode, hints = false): Promise<App> {
    const app = { id: newId("app"), name, mode, origins, hints };
    await this.db.query(`INSERT INTO apps (id, name, mode, origins, hints) VALUES ($1, $2, $3, $4, $5)`, [app.id, name, mode, origins, hints]);
    return app;
  }

  async getApp(id: string): Promise<App | undefined> {
    const [row] = await this.db.query<App>(`SELECT id, name, mode, origins, hints FROM apps WHERE id = $1`, [id]);
    return row;
  }

  async listApps(): Promise<App[]> {
    return this.db.query<App>(`SELECT id, name, mode, origins, hints FROM apps ORDER BY created_at, id`);
  }

  /** Changes the given settings; the app as it now is, or undefined when there is no such app. */
  async updateApp(id: string, patch: Partial<Omit<App, "id">>): Promise<App | undefined> {
    const [row] = await this.db.query<App>(
      `UPDATE apps SET name = coalesce($2, name), origins = coalesce($3, origins), mode = coalesce($4, mode), hints = coalesce($5, hints)
        WHERE id = $1 RETURNING id, name, mode, origins, hints`,
      [id, patch.name ?? null, patch.origins ?? null, patch.mode ?? null, patch.hints ?? null],
    );
    this.apps?.forget(id);
    return row;
  }

  async createKey(appId: string, proof: KeyKind = "hash"): Promise<{ keyId: string; proof: KeyKind; secret: string }> {
    const keyId = newId("key");
    const secret = newSecret();
    await this.db.query(`INSERT INTO app_keys (id, app_id, secret_enc, proof) VALUES ($1, $2, $3, $4)`, [keyId, appId, encryptSecret(this.masterKey, secret), proof]);
    this.apps?.forget(appId);
    return { keyId, proof, secret };
  }

  async listKeys(appId: string): Promise<KeyInfo[]> {
    const rows = await this.db.query<{ id: string; proof: KeyKind; created_at: Date; revoked_at: Date | null }>(
      `SELECT id, proof, created_at, revoked_at FROM app_keys WHERE app_id = $1 ORDER BY created_at, id`,
      [appId],
    );
    return rows.map((r) => ({ keyId: r.id, proof: r.proof, createdAt: iso(r.created_at), revokedAt: r.revoked_at ? iso(r.revoked_at) : null }));
  }

  async revokeKey(appId: string, keyId: string): Promise<boolean> {
    const rows = await this.db.query(`UPDATE app_keys SET revoked_at = coalesce(revoked_at, now()) WHERE app_id = $1 AND id = $2 RETURNING id`, [appId, keyId]);
    this.apps?.forget(appId);
    return rows.length > 0;
  }

  /**
   * The app and its keys (still encrypted) in one round trip: every visitor request needs the app,
   * and a request with a claim needs its keys, so a claim costs no extra query. Revoked keys are
   * included: a match on one is reported as `revoked_key`, never accepted. On embedded storage, no
   * round trip at all once read (storage/app-cache.ts).
   */
  async getAppForRequest(id: string): Promise<AppForRequest | undefined> {
    return this.apps ? this.apps.get(id, () => this.readAppForRequest(id)) : this.readAppForRequest(id);
  }

  private async readAppForRequest(id: string): Promise<AppForRequest | undefined> {
    const [row] = await this.db.query<App & { keys: { id: string; secret_enc: string; revoked: boolean; proof: KeyKind }[] | null }>(
      `SELECT a.id, a.name, a.mode, a.origins, a.hints,
              (SELECT json_agg(json_build_object('id', k.id, 'secret_enc', k.secret_enc, 'revoked', k.revoked_at IS NOT NULL, 'proof', k.proof))
                 FROM app_keys k WHERE k.app_id = a.id) AS keys
         FROM apps a WHERE a.id = $1`,
      [id],
    );
    if (!row) return undefined;
    const { keys, ...app } = row;
    let decrypted: VerifyKey[] | undefined;
    return { app, keys: () => (decrypted ??= (keys ?? []).map((k) => Object.freeze({ id: k.id, proof: k.proof, secret: decryptSecret(this.masterKey, k.secret_enc), revoked: k.revoked }))) };
  }

  /** Every other app with its keys: for the integration doctor, run by the operator only. */
  async otherAppsKeys(appId: string): Promise<{ appId: string; keys: VerifyKey[] }[]> {
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM apps WHERE id <> $1`, [appId]);
    return Promise.all(rows.map(async (r) => ({ appId: r.id, keys: await this.verifyKeys(r.id) })));
  }

  async verifyKeys(appId: string): Promise<VerifyKey[]> {
    return (await this.getAppForRequest(appId))?.keys() ?? [];
  }

  // ---- conversations -------------------------------------------------------------------

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
        },
        count,
      );
    let result = await store(verified ? anonymousKey(input.visitorId) : null, count);
    if ("foldFirst" in result) {
      await this.foldAnonymous(app.id, input.visitorId, verdict);
      // Counted already. Anything anonymous written since is folded by the next verified request.
      result = await store(null, undefined);
    }
    if ("limited" in result) return { limited: result.hits };
    if ("foldFirst" in result) throw new Error("unreachable: a second fold asked for");
    if (result.row.visitor_id !== input.visitorId) return { conflict: true };
    return stored(result.row, result.created);
  }

  /**
   * What a visitor's request may read, counting it against `count`'s limits — one statement: the
   * conversation its verdict entitles it to (a verified user's own, else this visitor's), the
   * visible messages after `after`. A verified read first folds this browser's anonymous
   * conversation into the user's (signing in is a read: what the visitor asked before stays in
   * their thread). No `count`: a long-poll looking again, not a new request.
   */
  async readConversation(appId: string, visitorId: string, verdict: Verdict, after: string | undefined, count?: RateCount): Promise<{ conversationId: string | undefined; messages: Message[] } | RateLimited> {
    const read = (foldKey: string | null, count: RateCount | undefined) =>
      readVisitorConversation(this.db, { appId, key: conversationKey(visitorId, verdict), after: after ?? null, foldKey }, count);
    let result = await read(verdict.status === "verified" ? anonymousKey(visitorId) : null, count);
    if ("foldFirst" in result) {
      await this.foldAnonymous(appId, visitorId, verdict);
      result = await read(null, undefined);
    }
    if ("limited" in result) return { limited: result.hits };
    if ("foldFirst" in result) throw new Error("unreachable: a second fold asked for");
    return { conversationId: result.conversationId, messages: result.rows.map(toMessage) };
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

  /** Folds this browser's anonymous conversation into the verified user's (created if need be), in one transaction; the user's conversation id. */
  private foldAnonymous(appId: string, visitorId: string, verdict: Verdict): Promise<string> {
    return this.db.transaction(async (tx) => {
      const into = await upsertConversation(tx, appId, visitorId, verdict);
      await mergeAnonymous(tx, appId, visitorId, into);
      return into;
    });
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
      contact: { userId: r.user_id, visitorId: r.visitor_id, verified: r.verified, ...(r.name ? { name: r.name } : {}), ...(r.email ? { email: r.email } : {}), detailsVerified: r.details_verified } satisfies Contact,
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
  // The contact's details change only on a claim that was accepted; a rejected claim leaves them be.
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO conversations (id, app_id, key, visitor_id, user_id, verified, name, email, details_verified)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (app_id, key) DO UPDATE SET
       visitor_id = EXCLUDED.visitor_id,
       user_id = coalesce(EXCLUDED.user_id, conversations.user_id),
       name = coalesce(EXCLUDED.name, conversations.name),
       email = coalesce(EXCLUDED.email, conversations.email),
       details_verified = CASE WHEN EXCLUDED.name IS NULL AND EXCLUDED.email IS NULL THEN conversations.details_verified ELSE EXCLUDED.details_verified END
     RETURNING id`,
    [newId("conv"), appId, conversationKey(visitorId, verdict), visitorId, authorUserId(verdict), verdict.status === "verified", verdict.name ?? null, verdict.email ?? null, detailsVerified(verdict)],
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

const iso = (d: Date | string) => new Date(d).toISOString();
