-- Matching: the business-concept lexicon, the per-profile search document (keyword tokens + concept ids)
-- and embeddings per model. Everything here is derived from public profile fields only, never from contacts.

CREATE TABLE lexicon_concepts (
  id text PRIMARY KEY,
  kind text NOT NULL,
  parents text[] NOT NULL DEFAULT '{}',
  labels jsonb NOT NULL,
  synonyms jsonb NOT NULL DEFAULT '{}',
  codes jsonb NOT NULL DEFAULT '{}',
  partnership_type text,
  -- 'seed' for the shipped lexicon, 'staff' for concepts staff added later (kept when the seed changes).
  source text NOT NULL DEFAULT 'seed',
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per profile: what the keyword and concept arms search, plus the filter columns, so each arm can
-- filter inside its own index scan.
CREATE TABLE company_search (
  company_id uuid PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  country char(2) NOT NULL,
  status text NOT NULL,
  partnership_types text[] NOT NULL DEFAULT '{}',
  -- Concept ids found in the profile, with their ancestors (a brake maker is also 'automotive').
  concepts text[] NOT NULL DEFAULT '{}',
  -- Concepts found directly in the text (for explanations), with the field they came from.
  concept_hits jsonb NOT NULL DEFAULT '[]',
  employees integer,
  tokens tsvector NOT NULL,
  indexed_version integer NOT NULL,
  lexicon_version text NOT NULL,
  indexed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX company_search_tokens_idx ON company_search USING gin (tokens);
CREATE INDEX company_search_concepts_idx ON company_search USING gin (concepts);
CREATE INDEX company_search_filter_idx ON company_search (country, status);

-- Vectors of several models may coexist while a re-embed runs; every search names its model, so two models'
-- vectors are never compared. Each model gets its own partial HNSW index (created by the indexer, since the
-- dimension depends on the configured model).
CREATE TABLE company_embeddings (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  model text NOT NULL,
  dimensions integer NOT NULL,
  embedding vector NOT NULL,
  -- Copied from company_search so the vector arm filters inside its index scan without a join.
  country char(2) NOT NULL,
  status text NOT NULL,
  content_hash text NOT NULL,
  indexed_version integer NOT NULL,
  indexed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, model)
);
CREATE INDEX company_embeddings_model_idx ON company_embeddings (model, country, status);
