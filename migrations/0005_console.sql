-- Staff console: staff accounts (argon2id password hashes), sessions kept in the database so any instance can
-- check them and "sign out everywhere" is one DELETE, and sign-in failure counters for lockout with backoff.

CREATE TABLE staff_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stored lower-cased: e-mail addresses are compared case-insensitively at sign-in.
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'curator', 'viewer')),
  password_hash text NOT NULL,
  ui_lang text NOT NULL DEFAULT 'en' CHECK (ui_lang IN ('ja', 'th', 'en')),
  disabled_at timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  staff_id uuid NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
  -- SHA-256 of the cookie value: a stolen database copy cannot be replayed as a session.
  token_hash text NOT NULL UNIQUE,
  -- Per-session CSRF token, sent back by the console in X-CSRF-Token on every state-changing request.
  csrf_token text NOT NULL,
  user_agent text,
  ip text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expires_idx ON staff_sessions (expires_at);

-- Keyed by the e-mail typed, whether or not an account has it, so lockout reveals nothing about which
-- addresses exist.
CREATE TABLE staff_sign_in_failures (
  email text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_failure_at timestamptz NOT NULL DEFAULT now()
);

-- The console's audit page filters recent changes by who made them.
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);
