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
  `,  /* 6: contacts. One per (app, user) a verified claim named: the verified attributes of its latest
     verified claim and when they were proven, and apart, the hints a user hash carries unproven.
     A conversation points at its user's contact once a verified claim wrote it. Existing data
     comes along: every verified conversation's user becomes a contact — a name and email its proof
     vouched for (details_verified) as attributes, a user hash's as hints — proven when its last
     verified message arrived. */ `
  CREATE TABLE contacts (
    id text PRIMARY KEY,
    app_id text NOT NULL REFERENCES apps(id),
    user_id text NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}',
    hints jsonb NOT NULL DEFAULT '{}',
    last_verified_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (app_id, user_id)
  );
  ALTER TABLE conversations ADD COLUMN contact_id text REFERENCES contacts(id);
  INSERT INTO contacts (id, app_id, user_id, attributes, hints, last_verified_at)
    SELECT 'contact_' || md5(c.app_id || ' ' || c.user_id), c.app_id, c.user_id,
           CASE WHEN c.details_verified THEN jsonb_strip_nulls(jsonb_build_object('name', c.name, 'email', c.email)) ELSE '{}' END,
           CASE WHEN c.details_verified THEN '{}' ELSE jsonb_strip_nulls(jsonb_build_object('name', c.name, 'email', c.email)) END,
           coalesce((SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = c.id AND m.verified), c.last_message_at)
      FROM conversations c
     WHERE c.verified AND c.user_id IS NOT NULL;
  UPDATE conversations c SET contact_id = ct.id FROM contacts ct WHERE c.verified AND ct.app_id = c.app_id AND ct.user_id = c.user_id;

  -- What a verified claim writes to its user's contact: the attributes replaced by the claim's,
  -- the hints merged with the claim's (a payload or token brings none), proven now. Its id (p_id
  -- when new). Which fields count is decided before (server/policy/attributes.ts).
  CREATE FUNCTION parley_upsert_contact(p_id text, p_app text, p_user text, p_attributes jsonb, p_hints jsonb)
  RETURNS text LANGUAGE sql AS $fn$
    INSERT INTO contacts AS c (id, app_id, user_id, attributes, hints, last_verified_at)
    VALUES (p_id, p_app, p_user, p_attributes, p_hints, now())
    ON CONFLICT (app_id, user_id) DO UPDATE SET attributes = EXCLUDED.attributes, hints = c.hints || EXCLUDED.hints, last_verified_at = EXCLUDED.last_verified_at
    RETURNING c.id
  $fn$;

  -- A verified visitor request's contact, once the request did its work (r: what
  -- parley_store_visitor_message or parley_read_visitor_conversation answered), in the same
  -- statement: nothing when a limit was over, a fold comes first, or a message was only found
  -- again (a retry), and otherwise the contact written, and the conversation the request wrote or
  -- read pointed at it. Answers r as it was.
  CREATE FUNCTION parley_write_contact(r json, p_id text, p_app text, p_user text, p_attributes jsonb, p_hints jsonb)
  RETURNS json LANGUAGE sql AS $fn$
    WITH todo AS (
      SELECT coalesce(r->'message'->>'conversation_id', r->>'conversation_id') AS conversation
       WHERE r->'limited' IS NULL AND r->'fold_first' IS NULL AND (r->>'created')::boolean IS NOT FALSE
    ), contact AS (
      SELECT parley_upsert_contact(p_id, p_app, p_user, p_attributes, p_hints) AS id FROM todo
    ), linked AS (
      UPDATE conversations cv SET contact_id = contact.id FROM contact, todo
       WHERE cv.id = todo.conversation AND cv.contact_id IS DISTINCT FROM contact.id
    )
    -- Read here, so the contact is written whether or not there is a conversation to point.
    SELECT r WHERE (SELECT count(*) FROM contact) >= 0
  $fn$
  `,
  /* 7: "What's new". Announcements, each for everyone (audience NULL) or for the users whose
     verified attributes match its audience; and who has read which: a verified user ('user:<id>',
     the same on every device) or else a browser ('visitor:<id>'). */ `
  CREATE TABLE announcements (
    id text PRIMARY KEY,
    app_id text NOT NULL REFERENCES apps(id),
    title text NOT NULL,
    body text NOT NULL,
    audience jsonb,
    published_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX announcements_by_app ON announcements (app_id, published_at DESC);
  CREATE TABLE announcement_reads (
    announcement_id text NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    reader text NOT NULL,
    read_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (announcement_id, reader)
  );
  CREATE INDEX announcement_reads_by_reader ON announcement_reads (reader)
  `,
];

/** Migrates to the latest version, or to `upTo` (a test writing data as an older version had it). */
export async function migrate(db: Db, upTo = MIGRATIONS.length): Promise<number> {
  // One transaction under an advisory lock: several processes starting at once migrate once.
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(727365)`);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const [row] = await tx.query<{ v: number | null }>(`SELECT max(version) AS v FROM schema_migrations`);
    for (let v = (row?.v ?? 0) + 1; v <= Math.min(upTo, MIGRATIONS.length); v++) {
      for (const statement of splitStatements(MIGRATIONS[v - 1]!)) await tx.query(statement);
      await tx.query(`INSERT INTO schema_migrations (version) VALUES ($1)`, [v]);
    }
    return Math.min(upTo, MIGRATIONS.length);
  });
}

/** Parameterised queries take one statement each; migrations hold no `;` inside literals. */
function splitStatements(sql: string): string[] {
  return sql
    .split(";")
    .map((s) => s.replace(/--.*$/gm, "").trim())
    .filter(Boolean);
}
