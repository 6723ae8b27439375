-- Conversation engine: chat users (one per channel user), conversations (one per thread: a LINE 1:1 chat, group
-- or room, a web chat visitor) with their persisted state, every message in and out, and introduction requests
-- recorded from the chat until the introductions feature takes them over. Message text lives only here: logs and
-- the audit log carry ids.

CREATE TABLE chat_users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel text NOT NULL CHECK (channel IN ('line', 'web')),
  -- The channel's own id (LINE userId, web visitor id).
  channel_user_id text NOT NULL,
  -- The remembered language, and where it came from: an explicit choice wins over a channel hint, which wins
  -- over detection.
  lang text CHECK (lang IN ('ja', 'th', 'en')),
  lang_source text CHECK (lang_source IN ('chosen', 'channel', 'detected')),
  country char(2) CHECK (country IN ('JP', 'TH')),
  -- A company the user is known to represent (web: vouched for by the host site's signed identity).
  linked_company_external_id text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, channel_user_id)
);

CREATE TABLE chat_conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel text NOT NULL CHECK (channel IN ('line', 'web')),
  -- The channel's thread id (LINE user/group/room id, web visitor id).
  channel_conversation_id text NOT NULL,
  -- The user who opened the thread (1:1 chats: the only one).
  chat_user_id uuid REFERENCES chat_users (id) ON DELETE SET NULL,
  is_group boolean NOT NULL DEFAULT false,
  -- What the bot remembers between turns: current search, last results, pending question (JSON, see
  -- src/conversation/conversation-state.ts).
  state jsonb NOT NULL DEFAULT '{}',
  -- 'staff': a human was asked for; the bot stays quiet until staff hand the thread back.
  mode text NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'staff')),
  needs_staff_since timestamptz,
  last_lang text CHECK (last_lang IN ('ja', 'th', 'en')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_message_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, channel_conversation_id)
);
CREATE INDEX chat_conversations_user_idx ON chat_conversations (chat_user_id);
CREATE INDEX chat_conversations_staff_idx ON chat_conversations (needs_staff_since) WHERE needs_staff_since IS NOT NULL;
CREATE INDEX chat_conversations_recent_idx ON chat_conversations (last_message_at DESC);

CREATE TABLE chat_messages (
  -- Increasing: the web chat resumes a conversation from the last id a client has seen.
  id bigserial PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES chat_conversations (id) ON DELETE CASCADE,
  -- The sender for inbound messages; null for the bot's.
  chat_user_id uuid REFERENCES chat_users (id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  -- in: text or postback; out: bot (the engine's reply) or staff.
  kind text NOT NULL CHECK (kind IN ('text', 'postback', 'bot', 'staff')),
  text text,
  -- Postback data (in); cards, quick replies and texts of a bot reply (out).
  payload jsonb,
  lang text CHECK (lang IN ('ja', 'th', 'en')),
  -- The channel's id of an inbound message (LINE message id, web clientMessageId): duplicates are handled once,
  -- and LINE's unsend and edit events find the row.
  channel_message_id text,
  -- For a bot reply: the inbound message it answers.
  reply_to bigint REFERENCES chat_messages (id) ON DELETE SET NULL,
  generated boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'unsent', 'edited')),
  edited_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_conversation_idx ON chat_messages (conversation_id, id);
CREATE UNIQUE INDEX chat_messages_channel_message_idx ON chat_messages (conversation_id, channel_message_id)
  WHERE channel_message_id IS NOT NULL;
CREATE INDEX chat_messages_reply_to_idx ON chat_messages (reply_to) WHERE reply_to IS NOT NULL;
CREATE INDEX chat_messages_user_idx ON chat_messages (chat_user_id) WHERE chat_user_id IS NOT NULL;

-- "Please introduce us": recorded from the chat for staff to follow up, until the introductions feature lands.
CREATE TABLE chat_introduction_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chat_user_id uuid NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES chat_conversations (id) ON DELETE SET NULL,
  target_external_id text NOT NULL,
  -- What the requester was looking for when they asked (their search), for staff context.
  need text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'done', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (chat_user_id, target_external_id)
);
CREATE INDEX chat_introduction_requests_status_idx ON chat_introduction_requests (status, created_at);
