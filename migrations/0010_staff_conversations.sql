-- Staff console, conversations: who took a thread over (mode = 'staff') and since when, shown to other staff.
-- The actor is the audit log's actor string of the staff member or token; no chat user data.
ALTER TABLE chat_conversations
  ADD COLUMN staff_taken_by text,
  ADD COLUMN staff_taken_at timestamptz;

-- The console's live list filters by channel and sorts by recent activity.
CREATE INDEX chat_conversations_channel_recent_idx ON chat_conversations (channel, last_message_at DESC);
