-- LINE channel: an inbox of webhook events and an outbox of messages to send, both drained by workers that
-- coordinate with FOR UPDATE SKIP LOCKED and leases, so several instances share the work and a restart loses
-- nothing. Plus what LINE tells us about its users and groups (messages are stored by the conversation engine).

-- Every webhook event, stored before the webhook is answered. event_key is LINE's webhookEventId, or a hash
-- of the event's content for older payloads without one, so redeliveries and duplicates are stored once.
CREATE TABLE line_inbox (
  -- Arrival order: events of one conversation are handled in this order.
  id bigserial PRIMARY KEY,
  event_key text NOT NULL UNIQUE,
  -- 'user:U…', 'group:C…', 'room:R…' (or 'none' when LINE gives no source id).
  conversation_key text NOT NULL,
  event_type text NOT NULL,
  -- LINE message id of a message event, so an unsend can scrub the stored text.
  message_id text,
  -- The bot's own user id (the webhook's destination): how a mention of the bot is recognised in groups.
  destination text,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'done', 'ignored', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  -- Not before this time (retry backoff).
  available_at timestamptz NOT NULL DEFAULT now(),
  -- Lease of the worker handling the row; an expired lease makes the row claimable again.
  locked_by text,
  locked_until timestamptz,
  last_error text,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
-- The claim query walks open rows in arrival order and checks for an earlier open row of the same conversation.
CREATE INDEX line_inbox_open_idx ON line_inbox (id) WHERE status IN ('pending', 'processing');
CREATE INDEX line_inbox_open_conversation_idx ON line_inbox (conversation_key, id)
  WHERE status IN ('pending', 'processing');
CREATE INDEX line_inbox_message_idx ON line_inbox (message_id) WHERE message_id IS NOT NULL;

-- Messages to send. id is the X-Line-Retry-Key of a push, so a retried push is delivered at most once.
CREATE TABLE line_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Creation order: messages of one conversation are sent in this order.
  seq bigserial NOT NULL UNIQUE,
  inbox_id bigint REFERENCES line_inbox (id) ON DELETE SET NULL,
  conversation_key text NOT NULL,
  -- Push target: a userId, groupId or roomId.
  to_id text NOT NULL,
  -- Used at most once, and only before it expires; afterwards the message is pushed.
  reply_token text,
  reply_token_expires_at timestamptz,
  reply_token_used_at timestamptz,
  -- At most 5 LINE message objects.
  messages jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  locked_until timestamptz,
  sent_via text CHECK (sent_via IN ('reply', 'push')),
  last_status integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX line_outbox_open_idx ON line_outbox (seq) WHERE status IN ('pending', 'sending');
CREATE INDEX line_outbox_open_conversation_idx ON line_outbox (conversation_key, seq)
  WHERE status IN ('pending', 'sending');
-- Failed messages stay visible to staff rather than being deleted.
CREATE INDEX line_outbox_failed_idx ON line_outbox (created_at) WHERE status = 'failed';

-- LINE users who talked to the bot: whether they still follow it, and their language as LINE reports it.
CREATE TABLE line_users (
  user_id text PRIMARY KEY,
  active boolean NOT NULL DEFAULT true,
  -- LINE profile language (absent without the user's consent), and the language the bot last answered in.
  profile_language text,
  profile_checked_at timestamptz,
  reply_lang text CHECK (reply_lang IN ('ja', 'th', 'en')),
  followed_at timestamptz,
  unfollowed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Groups and rooms the bot is a member of.
CREATE TABLE line_groups (
  group_id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('group', 'room')),
  active boolean NOT NULL DEFAULT true,
  joined_at timestamptz,
  left_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
