// Apps and their keys: what `parley app …` and `parley key …` change, and what every visitor
// request reads first. Key secrets are encrypted here and decrypted only when a claim needs them.
import type { KeyKind } from "../../contract/claim.ts";
import type { App, KeyInfo, Mode, NewKey } from "../../contract/operator.ts";
import type { Db } from "../db/db.ts";
import { decryptSecret, encryptSecret, newId, newSecret, type MasterKey } from "../secrets.ts";
import type { VerifyKey } from "../verify/keys.ts";
import { AppCache } from "./app-cache.ts";
import { iso } from "./rows.ts";

export type { App, KeyInfo } from "../../contract/operator.ts";

/** An app and its keys, as a visitor request needs them; the keys are decrypted when first asked for. */
export interface AppForRequest {
  app: App;
  keys: () => VerifyKey[];
}

export class AppStore {
  /** Only on embedded storage, which has no other writer (app-cache.ts). */
  private readonly cache: AppCache<AppForRequest> | undefined;

  constructor(
    private readonly db: Db,
    private readonly masterKey: MasterKey,
  ) {
    this.cache = db.kind === "embedded" ? new AppCache() : undefined;
  }

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
    this.cache?.forget(id);
    return row;
  }

  async createKey(appId: string, proof: KeyKind = "hash"): Promise<NewKey> {
    const keyId = newId("key");
    const secret = newSecret();
    await this.db.query(`INSERT INTO app_keys (id, app_id, secret_enc, proof) VALUES ($1, $2, $3, $4)`, [keyId, appId, encryptSecret(this.masterKey, secret), proof]);
    this.cache?.forget(appId);
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
    this.cache?.forget(appId);
    return rows.length > 0;
  }

  /**
   * The app and its keys (still encrypted) in one round trip: every visitor request needs the app,
   * and a request with a claim needs its keys, so a claim costs no extra query. Revoked keys are
   * included: a match on one is reported as `revoked_key`, never accepted. On embedded storage, no
   * round trip at all once read (app-cache.ts).
   */
  async getAppForRequest(id: string): Promise<AppForRequest | undefined> {
    return this.cache ? this.cache.get(id, () => this.readAppForRequest(id)) : this.readAppForRequest(id);
  }

  private async readAppForRequest(id: string): Promise<AppForRequest | undefined> {
    const [row] = await this.db.query<App & { keys: { id: string; secret_enc: string; revoked: boolean; proof: KeyKind }[] | null }>(
      `SELECT a.id, a.name, a.mode, a.origins, a.hints,
              (SELECT json_agg(json_build_object('id', k.id, 'secret_enc', k.secret_enc, 'revoked', k.revoked_at IS NOT NULL, 'proof', k.proof))
                 FROM app_keys k WHERE k.app_id = a.id) AS keys
         FROM apps a WHERE a.id = $1`,
      [id],
      "parley_app_for_request",
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
}
