// The API on a fresh test database (embedded or PostgreSQL, by project), and small helpers the
// server tests share.
import { randomBytes } from "node:crypto";
import type { Db } from "../../server/db/db.ts";
import { createApi, type ApiOptions } from "../../server/http/api.ts";
import type { RateLimits } from "../../server/config.ts";
import { silentLogger } from "../../server/log.ts";
import { Store } from "../../server/store.ts";
import { openTestDb } from "./database.ts";

export async function openTestApi(options: Omit<ApiOptions, "store" | "log"> & { log?: ApiOptions["log"] } = {}): Promise<{ db: Db; store: Store; api: ReturnType<typeof createApi> }> {
  const db = await openTestDb();
  const store = new Store(db, randomBytes(32));
  return { db, store, api: createApi({ store, log: silentLogger, ...options }) };
}

/** Rate limits off, for tests about something else that send many requests. */
export const NO_LIMITS: RateLimits = { appPerMinute: 0, visitorPerMinute: 0, addressPerMinute: 0 };

/** A fresh id with a readable prefix, valid as a visitorId or clientId. */
export const uid = (prefix: string) => `${prefix}_${randomBytes(9).toString("base64url")}`;
