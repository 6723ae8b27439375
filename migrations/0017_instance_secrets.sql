-- Keys the product makes for itself when the deployer sets none (the web chat's visitor-token key). Kept with the
-- data, not in the process: a restart, or a second instance on the same database, accepts what the first issued.
-- Read once at start; an explicitly configured key (WEB_CHAT_SECRET) always wins and leaves this row unused.
CREATE TABLE instance_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
