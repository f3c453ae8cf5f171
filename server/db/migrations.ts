// Versioned schema. Append only: a released migration is never edited, a change is a new one.
import type { Db } from "./db.ts";

const MIGRATIONS: readonly string[] = [
  /* 1: apps, keys, conversations, messages */ `
  CREATE TABLE apps (
    id text PRIMARY KEY,
    name text NOT NULL,
    mode text NOT NULL DEFAULT 'required' CHECK (mode IN ('required', 'optional')),
    origins text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE app_keys (
    id text PRIMARY KEY,
    app_id text NOT NULL REFERENCES apps(id),
    secret_enc text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
  );
  CREATE INDEX app_keys_by_app ON app_keys (app_id);
  -- A conversation is keyed 'user:<id>' for a verified user (the same on every device)
  -- and 'visitor:<id>' for everyone else, so an unproven claim never reaches a user's history.
  CREATE TABLE conversations (
    id text PRIMARY KEY,
    app_id text NOT NULL REFERENCES apps(id),
    key text NOT NULL,
    visitor_id text,
    user_id text,
    verified boolean NOT NULL,
    name text,
    email text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_message_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (app_id, key)
  );
  CREATE INDEX conversations_by_recent ON conversations (app_id, last_message_at DESC);
  CREATE TABLE messages (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    app_id text NOT NULL REFERENCES apps(id),
    conversation_id text NOT NULL REFERENCES conversations(id),
    client_id text,
    author_type text NOT NULL CHECK (author_type IN ('visitor', 'operator')),
    visitor_id text,
    user_id text,
    verified boolean NOT NULL DEFAULT false,
    name text,
    status text,
    reason text,
    text text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (app_id, client_id)
  );
  CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
  `,
  /* 2: whether a contact's name and email were vouched for by the proof (not by a hash's hints) */ `
  ALTER TABLE conversations ADD COLUMN details_verified boolean NOT NULL DEFAULT false
  `,
  /* 3: rate limit counters, shared by every process on this storage */ `
  CREATE TABLE rate_counters (
    bucket text NOT NULL,
    window_start bigint NOT NULL,
    hits int NOT NULL,
    PRIMARY KEY (bucket, window_start)
  )
  `,
  /* 4: each key signs one kind of proof. Keys made before kinds existed become hash keys: the
     default kind and the proof most sites use. A hash key then verifies no payload or token,
     which closes the cross-format hole at once; a site that signed tokens or payloads with one
     creates a key of that kind (the doctor and the hint name the mismatch). */ `
  ALTER TABLE app_keys ADD COLUMN proof text NOT NULL DEFAULT 'hash' CHECK (proof IN ('hash', 'payload', 'token'));
  -- Whether rejection hints reach API responses: for the site's developer while integrating, off by default.
  ALTER TABLE apps ADD COLUMN hints boolean NOT NULL DEFAULT false
  `,
  /* 5: one person, one thread. Notes the operator sees in a conversation ("merged from anonymous
     visitor … at …"), never the visitor; and the user id a rejected message claimed, kept apart
     from user_id (which only a verified or, in mode optional, unverified claim sets). */ `
  ALTER TABLE messages DROP CONSTRAINT messages_author_type_check;
  ALTER TABLE messages ADD CONSTRAINT messages_author_type_check CHECK (author_type IN ('visitor', 'operator', 'note'));
  ALTER TABLE messages ADD COLUMN claimed_user_id text
  `,
];

export async function migrate(db: Db): Promise<number> {
  // One transaction under an advisory lock: several processes starting at once migrate once.
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(727365)`);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const [row] = await tx.query<{ v: number | null }>(`SELECT max(version) AS v FROM schema_migrations`);
    for (let v = (row?.v ?? 0) + 1; v <= MIGRATIONS.length; v++) {
      for (const statement of splitStatements(MIGRATIONS[v - 1]!)) await tx.query(statement);
      await tx.query(`INSERT INTO schema_migrations (version) VALUES ($1)`, [v]);
    }
    return MIGRATIONS.length;
  });
}

/** Parameterised queries take one statement each; migrations hold no `;` inside literals. */
function splitStatements(sql: string): string[] {
  return sql
    .split(";")
    .map((s) => s.replace(/--.*$/gm, "").trim())
    .filter(Boolean);
}
