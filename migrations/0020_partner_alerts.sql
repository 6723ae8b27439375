-- "Tell me when a firm like this joins": a chat user's saved searches, the firms found for them as profiles are
-- published, and when each user was last sent an alert (at most one message a day). A firm is announced to a user
-- once, whichever of their searches found it. Deleted with the chat user.
CREATE TABLE saved_searches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chat_user_id uuid NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('line', 'web')),
  -- The user's 1:1 thread (LINE userId, web visitor id): where alerts go.
  address text NOT NULL,
  lang text NOT NULL CHECK (lang IN ('ja', 'th', 'en')),
  -- The search as the user made it (text and filters), and what it waits for, read by the matching code.
  text text NOT NULL,
  filters jsonb NOT NULL DEFAULT '{}',
  target_country char(2),
  business_codes text[] NOT NULL DEFAULT '{}',
  broader_codes text[] NOT NULL DEFAULT '{}',
  concepts text[] NOT NULL DEFAULT '{}',
  regions text[] NOT NULL DEFAULT '{}',
  partnership_type text,
  -- The company the user speaks for: never announced to itself.
  own_company_external_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  stopped_at timestamptz
);
CREATE UNIQUE INDEX saved_searches_once_idx ON saved_searches (chat_user_id, text, filters) WHERE stopped_at IS NULL;
CREATE INDEX saved_searches_user_idx ON saved_searches (chat_user_id) WHERE stopped_at IS NULL;
CREATE INDEX saved_searches_codes_idx ON saved_searches USING gin (business_codes) WHERE stopped_at IS NULL;
CREATE INDEX saved_searches_broader_idx ON saved_searches USING gin (broader_codes) WHERE stopped_at IS NULL;
CREATE INDEX saved_searches_concepts_idx ON saved_searches USING gin (concepts)
  WHERE stopped_at IS NULL AND business_codes = '{}';

CREATE TABLE alert_matches (
  chat_user_id uuid NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  saved_search_id uuid NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
  found_at timestamptz NOT NULL DEFAULT now(),
  notified_at timestamptz,
  PRIMARY KEY (chat_user_id, company_id)
);
CREATE INDEX alert_matches_pending_idx ON alert_matches (chat_user_id) WHERE notified_at IS NULL;

CREATE TABLE alert_digests (
  chat_user_id uuid PRIMARY KEY REFERENCES chat_users (id) ON DELETE CASCADE,
  channel text NOT NULL,
  last_sent_at timestamptz NOT NULL
);
CREATE INDEX alert_digests_sent_idx ON alert_digests (channel, last_sent_at);

-- Profiles the alert check has still to read: every published row the search index writes (a profile published,
-- edited or re-indexed) is queued by a statement-level trigger, and the check takes each exactly once.
CREATE TABLE alert_queue (
  company_id uuid PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  queued_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION alert_queue_indexed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO alert_queue (company_id)
  SELECT n.company_id FROM new_rows n WHERE n.status = 'published'
  ON CONFLICT (company_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER company_search_alert_insert AFTER INSERT ON company_search
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION alert_queue_indexed();
CREATE TRIGGER company_search_alert_update AFTER UPDATE ON company_search
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION alert_queue_indexed();
