-- Foundation: company profiles (public part), their private contacts kept apart, staff API tokens, audit log.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE companies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  external_id text NOT NULL UNIQUE,
  country char(2) NOT NULL CHECK (country IN ('JP', 'TH')),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
  names jsonb NOT NULL,
  summary jsonb,
  description jsonb,
  industries jsonb NOT NULL DEFAULT '[]',
  offerings jsonb,
  seeking jsonb,
  partnership_types text[] NOT NULL DEFAULT '{}',
  location jsonb,
  employees integer,
  founded_year integer,
  website text,
  certifications text[] NOT NULL DEFAULT '{}',
  languages text[] NOT NULL DEFAULT '{}',
  -- Localized fields filled by machine translation and not yet reviewed, as paths like 'names.ja'.
  machine_translated text[] NOT NULL DEFAULT '{}',
  -- Lower-cased names and id, for the staff list's q= filter.
  search_text text NOT NULL DEFAULT '',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX companies_country_status_idx ON companies (country, status, external_id);
CREATE INDEX companies_industries_idx ON companies USING gin (industries jsonb_path_ops);

-- Private contact data: its own table so that no query feeding matching, chat or an LLM selects it by
-- accident. Only the staff API and an accepted introduction read it.
CREATE TABLE company_contacts (
  company_id uuid PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  person text,
  email text,
  phone text,
  line_id text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'curator', 'viewer', 'partner')),
  -- SHA-256 of the token: tokens are 256-bit random, so a fast hash is safe and lookups stay O(1).
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  action text NOT NULL,
  actor text NOT NULL,
  changed_fields text[] NOT NULL DEFAULT '{}',
  before jsonb,
  after jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id);

-- Small key/value facts about this installation (e.g. when the seed profiles were loaded).
CREATE TABLE app_state (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
