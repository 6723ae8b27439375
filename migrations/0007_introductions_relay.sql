-- Introductions and deal rooms: a request from one firm's chat user to meet another firm, the room an accepted
-- request opens, and the relay that carries each message to the other side translated into every reader's
-- language. Every step is a row, claimed by workers with FOR UPDATE SKIP LOCKED under a lease, so a restart,
-- an LLM outage or a LINE failure delays delivery but loses nothing. Message text lives only in these tables
-- (and in what was delivered); logs and the audit log carry ids.

-- One request per (requester, target) while it is open. The requester's message is kept as written; the target
-- reads it translated (introduction_recipients). Contacts are never copied here: they are read from
-- company_contacts only when both sides of an accepted introduction's room pressed "share contact".
CREATE TABLE introductions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  requester_user_id uuid REFERENCES chat_users (id) ON DELETE SET NULL,
  requester_channel text NOT NULL CHECK (requester_channel IN ('line', 'web')),
  -- The requester's 1:1 thread (LINE userId, web visitor id): where outcomes are sent.
  requester_address text NOT NULL,
  -- The company the requester's chat user is linked to, when it is (host-site identity, staff link).
  requester_company_external_id text,
  requester_lang text NOT NULL CHECK (requester_lang IN ('ja', 'th', 'en')),
  target_external_id text NOT NULL,
  -- What the requester was looking for (their search) when they asked.
  need text,
  -- The short message to the target: drafted by the bot, confirmed or rewritten by the requester.
  message text,
  message_lang text CHECK (message_lang IN ('ja', 'th', 'en')),
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'pending', 'accepted', 'declined', 'expired', 'cancelled')),
  -- How the target is reached: its linked chat users, or the staff queue when it has none.
  route text CHECK (route IN ('chat', 'staff')),
  decline_reason text,
  -- 'chat:<chat user id>' or the staff actor who decided.
  decided_by text,
  decided_at timestamptz,
  -- The target asked for staff, or nobody can be reached: staff see it in their queue.
  needs_staff_since timestamptz,
  sent_at timestamptz,
  expires_at timestamptz,
  -- Work for the introduction worker: tell the target (after sending), tell the requester (after a decision).
  target_notified_at timestamptz,
  outcome_notified_at timestamptz,
  room_id uuid,
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX introductions_open_idx ON introductions (requester_address, requester_channel, target_external_id)
  WHERE status IN ('draft', 'pending');
CREATE INDEX introductions_status_idx ON introductions (status, created_at DESC);
CREATE INDEX introductions_requester_idx ON introductions (requester_user_id, sent_at);
CREATE INDEX introductions_target_idx ON introductions (target_external_id, status);
-- The worker's queues: sent but not yet announced (or past expiry), and decided but not yet reported.
CREATE INDEX introductions_pending_idx ON introductions (expires_at) WHERE status = 'pending';
CREATE INDEX introductions_outcome_idx ON introductions (available_at)
  WHERE status IN ('accepted', 'declined', 'expired') AND outcome_notified_at IS NULL;

-- The target's chat users who were told about a request (they may accept, decline or ask staff).
CREATE TABLE introduction_recipients (
  introduction_id uuid NOT NULL REFERENCES introductions (id) ON DELETE CASCADE,
  chat_user_id uuid NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('line', 'web')),
  address text NOT NULL,
  lang text NOT NULL CHECK (lang IN ('ja', 'th', 'en')),
  notified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (introduction_id, chat_user_id)
);

-- A deal room: side 'a' is the requester's, side 'b' the target's.
CREATE TABLE deal_rooms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  introduction_id uuid UNIQUE REFERENCES introductions (id) ON DELETE SET NULL,
  a_company_external_id text,
  b_company_external_id text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  -- 'staff': a coordinator joined; the relay goes on and their messages are relayed too.
  mode text NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'staff')),
  -- "Share contact" per side; contacts are revealed once both are set.
  a_shared_contact_at timestamptz,
  b_shared_contact_at timestamptz,
  contacts_revealed_at timestamptz,
  needs_staff_since timestamptz,
  reported_at timestamptz,
  -- Messages get seq = next_seq + 1 (per room, gap-free); delivered_seq is the last one delivered, in order.
  next_seq bigint NOT NULL DEFAULT 0,
  delivered_seq bigint NOT NULL DEFAULT 0,
  closed_at timestamptz,
  closed_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deal_rooms_status_idx ON deal_rooms (status, updated_at DESC);

-- Members of a room: chat users on LINE or the web widget (any mix, several per side), and staff who joined.
CREATE TABLE deal_room_members (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  room_id uuid NOT NULL REFERENCES deal_rooms (id) ON DELETE CASCADE,
  side text NOT NULL CHECK (side IN ('a', 'b', 'staff')),
  chat_user_id uuid REFERENCES chat_users (id) ON DELETE SET NULL,
  channel text NOT NULL CHECK (channel IN ('line', 'web', 'console')),
  -- LINE userId, web visitor id, staff id: where messages go.
  address text NOT NULL,
  display_name text,
  lang text NOT NULL CHECK (lang IN ('ja', 'th', 'en')),
  joined_at timestamptz NOT NULL DEFAULT now(),
  left_at timestamptz,
  UNIQUE (room_id, channel, address)
);
CREATE INDEX deal_room_members_address_idx ON deal_room_members (channel, address) WHERE left_at IS NULL;

-- A chat thread's place in the relay: the room its messages go to, and a pending question of the introduction
-- flow (the requester's message, a decline reason). Only threads that touched the relay have a row.
CREATE TABLE relay_threads (
  channel text NOT NULL CHECK (channel IN ('line', 'web')),
  address text NOT NULL,
  focused_room_id uuid REFERENCES deal_rooms (id) ON DELETE SET NULL,
  pending jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, address)
);

-- Files relayed in rooms (LINE content fetched through the API, widget uploads). Served at
-- /relay/files/<id>/<token>: the random token is the capability, so LINE can fetch images to show them.
CREATE TABLE relay_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token text NOT NULL,
  room_id uuid REFERENCES deal_rooms (id) ON DELETE CASCADE,
  name text,
  content_type text NOT NULL,
  size integer NOT NULL,
  bytes bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Each message once, with every translation it needed ({"th": {"text": …, "model": …}, …}).
CREATE TABLE relay_messages (
  id bigserial PRIMARY KEY,
  room_id uuid NOT NULL REFERENCES deal_rooms (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  sender_member_id uuid REFERENCES deal_room_members (id) ON DELETE SET NULL,
  -- member: a chat user; staff: a coordinator; system: the room's own notices (joined, left, closed).
  sender_kind text NOT NULL CHECK (sender_kind IN ('member', 'staff', 'system')),
  kind text NOT NULL CHECK (kind IN ('text', 'image', 'file', 'sticker', 'notice')),
  text text,
  lang text CHECK (lang IN ('ja', 'th', 'en')),
  -- image/file: {fileId, name, contentType, size} or {lineMessageId} until fetched; sticker: {keywords}.
  attachment jsonb,
  translations jsonb NOT NULL DEFAULT '{}',
  -- The channel's id of the message (LINE message id, web clientMessageId): a resend is stored once.
  channel_message_id text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'delivered')),
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  ready_at timestamptz,
  delivered_at timestamptz,
  UNIQUE (room_id, seq)
);
CREATE UNIQUE INDEX relay_messages_channel_message_idx ON relay_messages (sender_member_id, channel_message_id)
  WHERE channel_message_id IS NOT NULL;
CREATE INDEX relay_messages_open_idx ON relay_messages (available_at, id) WHERE status = 'pending';
CREATE INDEX relay_messages_room_idx ON relay_messages (room_id, seq) WHERE status <> 'delivered';

-- What each reader got: one row per (message, member), in delivery order (the web widget resumes after an id).
CREATE TABLE relay_deliveries (
  id bigserial PRIMARY KEY,
  message_id bigint NOT NULL REFERENCES relay_messages (id) ON DELETE CASCADE,
  member_id uuid NOT NULL REFERENCES deal_room_members (id) ON DELETE CASCADE,
  lang text NOT NULL,
  -- The LINE outbox row that carries it (LINE members).
  outbox_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, member_id)
);
CREATE INDEX relay_deliveries_member_idx ON relay_deliveries (member_id, id);

-- Invitation codes: a member (or staff) invites a colleague to one side of a room.
CREATE TABLE room_invites (
  code text PRIMARY KEY,
  room_id uuid NOT NULL REFERENCES deal_rooms (id) ON DELETE CASCADE,
  side text NOT NULL CHECK (side IN ('a', 'b')),
  created_by text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_by uuid REFERENCES deal_room_members (id) ON DELETE SET NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
