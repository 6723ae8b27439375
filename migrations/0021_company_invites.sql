-- A firm's linked chat user invites a colleague: a one-time code, sent to the bot by the colleague, links their
-- chat user to the same company (several people of one firm receive its introduction requests).
CREATE TABLE company_invites (
  code text PRIMARY KEY,
  company_external_id text NOT NULL,
  created_by uuid REFERENCES chat_users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_by uuid REFERENCES chat_users (id) ON DELETE SET NULL,
  used_at timestamptz
);
CREATE INDEX company_invites_company_idx ON company_invites (company_external_id);
