-- Operations: indexes the retention job's batched deletes need, and shared rate-limit buckets for several
-- app instances. The job deletes old rows in small batches (ORDER BY … LIMIT … FOR UPDATE SKIP LOCKED), so
-- each batch must find its rows through an index, not a scan of the whole history.

-- Finished LINE events and sent messages (they hold message bodies) are purged after RETENTION_LINE_EVENT_DAYS.
CREATE INDEX line_inbox_finished_idx ON line_inbox (received_at) WHERE status IN ('done', 'ignored', 'failed');
CREATE INDEX line_outbox_finished_idx ON line_outbox (created_at) WHERE status IN ('sent', 'failed');

-- Chat users nobody has heard from for RETENTION_CONVERSATION_DAYS are removed with what they left.
CREATE INDEX chat_users_last_seen_idx ON chat_users (last_seen_at);

-- Translations are a cache: entries unused for the retention period go.
CREATE INDEX translation_cache_last_used_idx ON translation_cache ((coalesce(last_hit_at, created_at)));

-- Token buckets shared by every instance (e.g. a model provider's requests per second, a visitor's messages):
-- one row per key, updated atomically in one statement.
CREATE TABLE rate_limit_buckets (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
