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
  /* 6: contacts. One per (app, user) a verified claim named: the verified attributes of its latest
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
  /* 8: one statement per visitor request. A message (rate-limit count, idempotency on clientId,
     conversation upsert, insert) and a read (count, conversation, page) are each one call of a
     function, so one round trip; PL/pgSQL keeps the plans of the statements inside, so none is
     parsed and planned again on each request. Written here, so append-only like every migration:
     a change is a new migration that replaces a function. What each returns is read by
     server/storage/visitor-requests.ts. */ `
  -- Counters are throwaway (a minute each): no WAL for them. A crash empties the table, which only
  -- forgives the current minute.
  ALTER TABLE rate_counters SET UNLOGGED;

  -- One hit in each of a request's own buckets (visitor, address) and in the app-wide one, in one
  -- upsert; when an own bucket is over its limit the app-wide hit is taken back before anyone can
  -- see it (the row stays locked until commit): a client already refused by its own limit spends
  -- nothing of everyone's. counts (bucket to hits) only when over. No window: counts nothing.
  CREATE FUNCTION parley_count_hits(p_window bigint, p_buckets text[], p_limits int[], p_shared text, p_shared_limit int, p_sweep boolean, OUT over boolean, OUT counts jsonb)
  LANGUAGE plpgsql AS $fn$
  DECLARE
    v_all text[] := CASE WHEN p_shared IS NULL THEN p_buckets ELSE p_buckets || p_shared END;
    v_hits int[];
    v_own int := coalesce(array_length(p_buckets, 1), 0);
  BEGIN
    over := false;
    IF p_window IS NULL OR coalesce(array_length(v_all, 1), 0) = 0 THEN
      RETURN;
    END IF;
    IF p_sweep THEN
      DELETE FROM rate_counters WHERE window_start < p_window;
    END IF;
    WITH counted AS (
      INSERT INTO rate_counters AS r (bucket, window_start, hits) SELECT b, p_window, 1 FROM unnest(v_all) AS b
      ON CONFLICT (bucket, window_start) DO UPDATE SET hits = r.hits + 1 RETURNING r.bucket, r.hits
    )
    SELECT array_agg(c.hits ORDER BY array_position(v_all, c.bucket)) INTO v_hits FROM counted c;
    FOR i IN 1 .. v_own LOOP
      over := over OR v_hits[i] > p_limits[i];
    END LOOP;
    IF p_shared IS NOT NULL THEN
      IF over THEN
        UPDATE rate_counters SET hits = hits - 1 WHERE bucket = p_shared AND window_start = p_window;
        v_all := p_buckets;
      ELSE
        over := v_hits[v_own + 1] > p_shared_limit;
      END IF;
    END IF;
    IF over THEN
      SELECT jsonb_object_agg(b, h) INTO counts FROM unnest(v_all, v_hits[1:array_length(v_all, 1)]) AS x (b, h);
    END IF;
  END
  $fn$;

  -- A visitor message: counted; the stored one when its clientId is (whoever's: the caller
  -- checks); nothing when p_fold_key's conversation exists (the caller folds it, then calls again);
  -- else the conversation upserted and the message inserted. A clientId stored meanwhile by
  -- another request fails this whole call on the unique index: the caller calls again.
  CREATE FUNCTION parley_store_visitor_message(
    p_app text, p_key text, p_visitor text, p_user text, p_verified boolean, p_name text, p_email text, p_details_verified boolean,
    p_id text, p_conversation text, p_client text, p_status text, p_reason text, p_text text, p_claimed text, p_fold_key text,
    p_window bigint, p_buckets text[], p_limits int[], p_shared text, p_shared_limit int, p_sweep boolean)
  RETURNS json LANGUAGE plpgsql AS $fn$
  DECLARE
    v_over boolean;
    v_counts jsonb;
    v_conversation text;
    v_message messages;
  BEGIN
    SELECT over, counts INTO v_over, v_counts FROM parley_count_hits(p_window, p_buckets, p_limits, p_shared, p_shared_limit, p_sweep);
    IF v_over THEN
      RETURN json_build_object('limited', v_counts);
    END IF;
    SELECT * INTO v_message FROM messages WHERE app_id = p_app AND client_id = p_client;
    IF FOUND THEN
      RETURN json_build_object('created', false, 'message', v_message);
    END IF;
    IF p_fold_key IS NOT NULL AND EXISTS (SELECT 1 FROM conversations WHERE app_id = p_app AND key = p_fold_key) THEN
      RETURN json_build_object('fold_first', true);
    END IF;
    -- The contact's details change only on a claim that was accepted; a rejected claim leaves them be.
    INSERT INTO conversations AS c (id, app_id, key, visitor_id, user_id, verified, name, email, details_verified)
    VALUES (p_conversation, p_app, p_key, p_visitor, p_user, p_verified, p_name, p_email, p_details_verified)
    ON CONFLICT (app_id, key) DO UPDATE SET
      visitor_id = EXCLUDED.visitor_id,
      user_id = coalesce(EXCLUDED.user_id, c.user_id),
      name = coalesce(EXCLUDED.name, c.name),
      email = coalesce(EXCLUDED.email, c.email),
      details_verified = CASE WHEN EXCLUDED.name IS NULL AND EXCLUDED.email IS NULL THEN c.details_verified ELSE EXCLUDED.details_verified END,
      last_message_at = now()
    RETURNING c.id INTO v_conversation;
    INSERT INTO messages (id, app_id, conversation_id, client_id, author_type, visitor_id, user_id, verified, name, status, reason, text, claimed_user_id)
    VALUES (p_id, p_app, v_conversation, p_client, 'visitor', p_visitor, p_user, p_verified, p_name, p_status, p_reason, p_text, p_claimed)
    RETURNING * INTO v_message;
    RETURN json_build_object('created', true, 'message', v_message);
  END
  $fn$;

  -- A visitor's read: counted; nothing when p_fold_key's conversation exists (as above); else the
  -- conversation p_key names and its visible messages after p_after (all when p_after is not one
  -- of them), 500 at most, in order.
  CREATE FUNCTION parley_read_visitor_conversation(
    p_app text, p_key text, p_after text, p_fold_key text,
    p_window bigint, p_buckets text[], p_limits int[], p_shared text, p_shared_limit int, p_sweep boolean)
  RETURNS json LANGUAGE plpgsql AS $fn$
  DECLARE
    v_over boolean;
    v_counts jsonb;
    v_conversation text;
  BEGIN
    SELECT over, counts INTO v_over, v_counts FROM parley_count_hits(p_window, p_buckets, p_limits, p_shared, p_shared_limit, p_sweep);
    IF v_over THEN
      RETURN json_build_object('limited', v_counts);
    END IF;
    IF p_fold_key IS NOT NULL AND EXISTS (SELECT 1 FROM conversations WHERE app_id = p_app AND key = p_fold_key) THEN
      RETURN json_build_object('fold_first', true);
    END IF;
    SELECT id INTO v_conversation FROM conversations WHERE app_id = p_app AND key = p_key;
    RETURN json_build_object('conversation_id', v_conversation, 'messages', coalesce((
      SELECT json_agg(m ORDER BY m.seq) FROM (
        SELECT * FROM messages
         WHERE conversation_id = v_conversation AND author_type <> 'note'
           AND seq > coalesce((SELECT seq FROM messages WHERE id = p_after AND conversation_id = v_conversation), 0)
         ORDER BY seq LIMIT 500
      ) m), '[]'));
  END
  $fn$
  `,
  /* 9: the operator's inbox (storage/inbox.ts). closed_seq: the newest message when the operator
     closed the conversation (a visitor message after it reopens it, with no write); read_seq: the
     message the operator has read up to (a visitor message after it is unread). Conversations from
     before count as read up to the operator's last reply: those a visitor wrote in since are unread. */ `
  ALTER TABLE conversations ADD COLUMN closed_seq bigint;
  ALTER TABLE conversations ADD COLUMN read_seq bigint NOT NULL DEFAULT 0;
  UPDATE conversations c SET read_seq = coalesce((SELECT max(m.seq) FROM messages m WHERE m.conversation_id = c.id AND m.author_type = 'operator'), 0)
  `,
  /* 10: the ideas board (storage/ideas.ts). Ideas, suggested by verified users (or posted by the
     operator), with a status the operator sets; votes, one per verified user per idea whatever the
     device — the primary key is the rule, so two devices voting at once make one vote; comments.
     A visitor's request is one call of a function below (the rate-limit count, then the work), as
     a message is (migration 8); which verdict may write is decided before (policy/idea-writer.ts). */ `
  CREATE TABLE ideas (
    id text PRIMARY KEY,
    app_id text NOT NULL REFERENCES apps(id),
    client_id text,
    author_type text NOT NULL CHECK (author_type IN ('visitor', 'operator')),
    user_id text,
    name text,
    title text NOT NULL,
    body text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'planned', 'in_progress', 'done', 'declined')),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (app_id, client_id),
    CHECK (author_type = 'operator' OR user_id IS NOT NULL)
  );
  CREATE INDEX ideas_by_app ON ideas (app_id, created_at DESC);
  CREATE TABLE idea_votes (
    idea_id text NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    user_id text NOT NULL,
    voted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (idea_id, user_id)
  );
  CREATE TABLE idea_comments (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    app_id text NOT NULL REFERENCES apps(id),
    idea_id text NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    client_id text,
    author_type text NOT NULL CHECK (author_type IN ('visitor', 'operator')),
    user_id text,
    name text,
    text text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (app_id, client_id)
  );
  CREATE INDEX idea_comments_by_idea ON idea_comments (idea_id, seq);

  -- Each idea with its counts, always counted (never a counter kept beside the rows, which a
  -- concurrent vote could leave wrong).
  CREATE VIEW idea_totals AS
    SELECT i.id, i.app_id, i.client_id, i.author_type, i.user_id, i.name, i.title, i.body, i.status, i.created_at,
           (SELECT count(*) FROM idea_votes v WHERE v.idea_id = i.id)::int AS votes,
           (SELECT count(*) FROM idea_comments c WHERE c.idea_id = i.id)::int AS comments
      FROM ideas i;

  -- One idea as a visitor request answers it: voted is p_user's own vote (none without a user).
  CREATE FUNCTION parley_idea_json(p_idea text, p_user text)
  RETURNS json LANGUAGE sql AS $fn$
    SELECT json_build_object('id', t.id, 'title', t.title, 'body', t.body, 'status', t.status, 'name', t.name, 'created_at', t.created_at,
                             'votes', t.votes, 'comments', t.comments,
                             'voted', EXISTS (SELECT 1 FROM idea_votes v WHERE v.idea_id = t.id AND v.user_id = p_user))
      FROM idea_totals t WHERE t.id = p_idea
  $fn$;

  -- The board: counted; the app's ideas (500 at most), most voted first ('top') or newest first.
  CREATE FUNCTION parley_read_ideas(p_app text, p_user text, p_sort text,
    p_window bigint, p_buckets text[], p_limits int[], p_shared text, p_shared_limit int, p_sweep boolean)
  RETURNS json LANGUAGE plpgsql AS $fn$
  DECLARE
    v_over boolean;
    v_counts jsonb;
  BEGIN
    SELECT over, counts INTO v_over, v_counts FROM parley_count_hits(p_window, p_buckets, p_limits, p_shared, p_shared_limit, p_sweep);
    IF v_over THEN
      RETURN json_build_object('limited', v_counts);
    END IF;
    RETURN json_build_object('ideas', coalesce((
      SELECT json_agg(x ORDER BY x.rank) FROM (
        SELECT t.id, t.title, t.body, t.status, t.name, t.created_at, t.votes, t.comments,
               EXISTS (SELECT 1 FROM idea_votes v WHERE v.idea_id = t.id AND v.user_id = p_user) AS voted,
               row_number() OVER (ORDER BY CASE WHEN p_sort = 'top' THEN t.votes END DESC NULLS LAST, t.created_at DESC, t.id) AS rank
          FROM idea_totals t WHERE t.app_id = p_app
         ORDER BY rank LIMIT 500
      ) x), '[]'));
  END
  $fn$;

  -- An idea's thread: counted; nothing when it is not this app's; else the idea and its comments
  -- (500 at most, oldest first).
  CREATE FUNCTION parley_read_idea(p_app text, p_idea text, p_user text,
    p_window bigint, p_buckets text[], p_limits int[], p_shared text, p_shared_limit int, p_sweep boolean)
  RETURNS json LANGUAGE plpgsql AS $fn$
  DECLARE
    v_over boolean;
    v_counts jsonb;
  BEGIN
    SELECT over, counts INTO v_over, v_counts FROM parley_count_hits(p_window, p_buckets, p_limits, p_shared, p_shared_limit, p_sweep);
    IF v_over THEN
      RETURN json_build_object('limited', v_counts);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM ideas WHERE app_id = p_app AND id = p_idea) THEN
      RETURN json_build_object('not_found', true);
    END IF;
    RETURN json_build_object('idea', parley_idea_json(p_idea, p_user), 'comments', coalesce((
      SELECT json_agg(c ORDER BY c.seq) FROM (
        SELECT seq, id, client_id, author_type, user_id, name, text, created_at FROM idea_comments WHERE idea_id = p_idea ORDER BY seq LIMIT 500
      ) c), '[]'));
  END
  $fn$;

  -- A suggestion: counted; the idea its clientId already made (created false), or a conflict when
  -- that is another user's; else the idea, with its author's vote. Two requests with one clientId
  -- at once: the second waits for the first and finds its idea.
  CREATE FUNCTION parley_suggest_idea(p_app text, p_id text, p_client text, p_user text, p_name text, p_title text, p_body text,
    p_window bigint, p_buckets text[], p_limits int[], p_shared text, p_shared_limit int, p_sweep boolean)
  RETURNS json LANGUAGE plpgsql AS $fn$
  DECLARE
    v_over boolean;
    v_counts jsonb;
    v_id text;
    v_user text;
  BEGIN
    SELECT over, counts INTO v_over, v_counts FROM parley_count_hits(p_window, p_buckets, p_limits, p_shared, p_shared_limit, p_sweep);
    IF v_over THEN
      RETURN json_build_object('limited', v_counts);
    END IF;
    INSERT INTO ideas (id, app_id, client_id, author_type, user_id, name, title, body)
    VALUES (p_id, p_app, p_client, 'visitor', p_user, p_name, p_title, p_body)
    ON CONFLICT (app_id, client_id) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
      INSERT INTO idea_votes (idea_id, user_id) VALUES (v_id, p_user);
      RETURN json_build_object('created', true, 'idea', parley_idea_json(v_id, p_user));
    END IF;
    SELECT id, user_id INTO v_id, v_user FROM ideas WHERE app_id = p_app AND client_id = p_client;
    IF v_user IS DISTINCT FROM p_user THEN
      RETURN json_build_object('created', false, 'conflict', true);
    END IF;
    RETURN json_build_object('created', false, 'idea', parley_idea_json(v_id, p_user));
  END
  $fn$;

  -- A vote (p_up) or taking it back: counted; nothing when the idea is not this app's; else done
  -- at most once (the primary key), and the idea as it now is.
  CREATE FUNCTION parley_vote_idea(p_app text, p_idea text, p_user text, p_up boolean,
    p_window bigint, p_buckets text[], p_limits int[], p_shared text, p_shared_limit int, p_sweep boolean)
  RETURNS json LANGUAGE plpgsql AS $fn$
  DECLARE
    v_over boolean;
    v_counts jsonb;
  BEGIN
    SELECT over, counts INTO v_over, v_counts FROM parley_count_hits(p_window, p_buckets, p_limits, p_shared, p_shared_limit, p_sweep);
    IF v_over THEN
      RETURN json_build_object('limited', v_counts);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM ideas WHERE app_id = p_app AND id = p_idea) THEN
      RETURN json_build_object('not_found', true);
    END IF;
    IF p_up THEN
      INSERT INTO idea_votes (idea_id, user_id) VALUES (p_idea, p_user) ON CONFLICT DO NOTHING;
    ELSE
      DELETE FROM idea_votes WHERE idea_id = p_idea AND user_id = p_user;
    END IF;
    RETURN json_build_object('idea', parley_idea_json(p_idea, p_user));
  END
  $fn$;

  -- A comment: counted; the comment its clientId already made (created false), or a conflict when
  -- that is another user's or on another idea; nothing when the idea is not this app's; else the
  -- comment.
  CREATE FUNCTION parley_comment_idea(p_app text, p_idea text, p_id text, p_client text, p_user text, p_name text, p_text text,
    p_window bigint, p_buckets text[], p_limits int[], p_shared text, p_shared_limit int, p_sweep boolean)
  RETURNS json LANGUAGE plpgsql AS $fn$
  DECLARE
    v_over boolean;
    v_counts jsonb;
    v_comment idea_comments;
    v_created boolean := true;
  BEGIN
    SELECT over, counts INTO v_over, v_counts FROM parley_count_hits(p_window, p_buckets, p_limits, p_shared, p_shared_limit, p_sweep);
    IF v_over THEN
      RETURN json_build_object('limited', v_counts);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM ideas WHERE app_id = p_app AND id = p_idea) THEN
      RETURN json_build_object('not_found', true);
    END IF;
    INSERT INTO idea_comments (id, app_id, idea_id, client_id, author_type, user_id, name, text)
    VALUES (p_id, p_app, p_idea, p_client, 'visitor', p_user, p_name, p_text)
    ON CONFLICT (app_id, client_id) DO NOTHING
    RETURNING * INTO v_comment;
    IF v_comment.id IS NULL THEN
      SELECT * INTO v_comment FROM idea_comments WHERE app_id = p_app AND client_id = p_client;
      IF v_comment.user_id IS DISTINCT FROM p_user OR v_comment.idea_id <> p_idea THEN
        RETURN json_build_object('created', false, 'conflict', true);
      END IF;
      v_created := false;
    END IF;
    RETURN json_build_object('created', v_created, 'comment', json_build_object(
      'id', v_comment.id, 'client_id', v_comment.client_id, 'author_type', v_comment.author_type, 'user_id', v_comment.user_id,
      'name', v_comment.name, 'text', v_comment.text, 'created_at', v_comment.created_at));
  END
  $fn$
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

/**
 * Parameterised queries take one statement each. A statement ends at a `;` outside a dollar-quoted
 * body (`$fn$ … $fn$`: a function's, whose own statements end in `;`); `--` comments are dropped
 * outside such bodies. Migrations hold no `;`, `--` or `$` inside ordinary string literals.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let body: string | undefined;
  for (const part of sql.split(/(\$[A-Za-z_]*\$)/)) {
    if (/^\$[A-Za-z_]*\$$/.test(part)) {
      body = body === undefined ? part : body === part ? undefined : body;
      current += part;
    } else if (body !== undefined) {
      current += part;
    } else {
      const [first, ...rest] = part.replace(/--.*$/gm, "").split(";");
      current += first;
      for (const piece of rest) {
        statements.push(current.trim());
        current = piece;
      }
    }
  }
  statements.push(current.trim());
  return statements.filter(Boolean);
}
