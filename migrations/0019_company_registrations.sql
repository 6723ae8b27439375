-- Firms registering themselves in chat: the interview's draft, kept between messages and across restarts, then
-- the staff review (approve, ask a question, reject). The draft holds what the firm typed, contact included;
-- the contact is copied only into company_contacts when staff approve, and the row is deleted with the chat user.
CREATE TABLE company_registrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chat_user_id uuid NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('line', 'web')),
  -- The firm's 1:1 thread (LINE userId, web visitor id): where the interview runs and staff answers go.
  address text NOT NULL,
  lang text NOT NULL CHECK (lang IN ('ja', 'th', 'en')),
  -- 'new': a firm joining; 'change': a linked firm's edit of its published profile (company_external_id).
  kind text NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'change')),
  status text NOT NULL DEFAULT 'drafting'
    CHECK (status IN ('drafting', 'submitted', 'question', 'approved', 'rejected', 'cancelled')),
  -- The question the interview is on (drafting), or null while the firm has set the interview aside.
  step text,
  -- Where "back" returns to: the steps answered, in order.
  trail jsonb NOT NULL DEFAULT '[]',
  answers jsonb NOT NULL DEFAULT '{}',
  -- Every question and answer, and staff questions and the firm's replies, in order (shown to staff).
  transcript jsonb NOT NULL DEFAULT '[]',
  -- Web: keyed hash of the network the session was opened from (per-network limits, as for introductions).
  network text,
  staff_question text,
  decision_reason text,
  decided_by text,
  decided_at timestamptz,
  submitted_at timestamptz,
  company_external_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One open registration per chat user: asking again resumes it.
CREATE UNIQUE INDEX company_registrations_open_idx ON company_registrations (chat_user_id)
  WHERE status IN ('drafting', 'submitted', 'question');
CREATE INDEX company_registrations_thread_idx ON company_registrations (channel, address)
  WHERE status IN ('drafting', 'question');
CREATE INDEX company_registrations_queue_idx ON company_registrations (status, submitted_at);
CREATE INDEX company_registrations_network_idx ON company_registrations (network, submitted_at)
  WHERE network IS NOT NULL;
