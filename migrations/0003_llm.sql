-- LLM layer: one row per model call (usage and cost tracking), the staff glossary with its version, the
-- translation cache, and the profile auto-translation job queue.

-- Every call to a model, successful or not. No prompt or output text is stored: only ids, sizes and timings.
CREATE TABLE llm_calls (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  task text NOT NULL,
  -- Origin (scheme://host:port) of the endpoint, never its key or full URL with credentials.
  endpoint text NOT NULL,
  model text NOT NULL,
  -- First 12 hex characters of the prompt file's SHA-256.
  prompt_version text NOT NULL,
  output_lang text,
  streamed boolean NOT NULL DEFAULT false,
  outcome text NOT NULL CHECK (outcome IN ('ok', 'error', 'timeout', 'rate_limited', 'unavailable', 'invalid_output', 'cancelled')),
  error_kind text,
  http_status integer,
  attempts integer NOT NULL DEFAULT 1,
  latency_ms integer NOT NULL,
  queue_ms integer NOT NULL DEFAULT 0,
  input_tokens integer,
  output_tokens integer,
  request_id text
);
CREATE INDEX llm_calls_at_idx ON llm_calls (at);

-- Business terms with their form in each language. do_not_translate: brand and company names kept as written.
CREATE TABLE glossary_terms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ja text,
  th text,
  en text,
  do_not_translate boolean NOT NULL DEFAULT false,
  note text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ja IS NOT NULL OR th IS NOT NULL OR en IS NOT NULL)
);
-- One entry per form and language: two entries mapping the same word differently would contradict each other.
CREATE UNIQUE INDEX glossary_terms_ja_idx ON glossary_terms (lower(ja)) WHERE ja IS NOT NULL;
CREATE UNIQUE INDEX glossary_terms_th_idx ON glossary_terms (lower(th)) WHERE th IS NOT NULL;
CREATE UNIQUE INDEX glossary_terms_en_idx ON glossary_terms (lower(en)) WHERE en IS NOT NULL;

-- The glossary's version: bumped in the same transaction as any change, part of every translation cache key.
CREATE TABLE glossary_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version bigint NOT NULL
);
INSERT INTO glossary_version (singleton, version) VALUES (true, 1);

-- Translations keyed by sha256(source text, languages, glossary version, model(s), prompt version, extra terms).
-- The source text itself is not kept, only its hash.
CREATE TABLE translation_cache (
  cache_key text PRIMARY KEY,
  source_lang text NOT NULL,
  target_lang text NOT NULL,
  translation text NOT NULL,
  model text NOT NULL,
  prompt_version text NOT NULL,
  glossary_version bigint NOT NULL,
  terms_applied jsonb NOT NULL DEFAULT '[]',
  violations jsonb NOT NULL DEFAULT '[]',
  hits integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_hit_at timestamptz
);
CREATE INDEX translation_cache_created_idx ON translation_cache (created_at);

-- One job per company: fill the missing languages of its localized fields. Claimed with FOR UPDATE SKIP LOCKED;
-- a 'running' row whose lock expired (the worker died) is claimed again, so work resumes after a restart.
CREATE TABLE profile_translation_jobs (
  company_id uuid PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  -- Bumped by every enqueue: a run finishing on an older generation leaves the newer request pending.
  generation integer NOT NULL DEFAULT 1,
  run_after timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  -- Paths filled by the last run ('names.ja', ...), and the reason of the last failure (no profile text).
  filled text[] NOT NULL DEFAULT '{}',
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX profile_translation_jobs_due_idx ON profile_translation_jobs (status, run_after);
