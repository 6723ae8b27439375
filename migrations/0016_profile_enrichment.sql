-- With an LLM configured, the model reads each published profile's public text into kinds of business of the
-- taxonomy and writes search keywords in ja/th/en. The result is kept apart from what staff curated and from
-- the profile itself: marked machine-made, shown and editable in the console (an edit makes it staff's), never
-- given contact data. Matching uses it when present and works without it.
CREATE TABLE company_enrichments (
  company_id uuid PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  -- The profile version the model read (a newer profile is read again, unless staff edited the result).
  company_version integer NOT NULL,
  -- [{code, confidence}]
  businesses jsonb NOT NULL DEFAULT '[]',
  -- {ja: [...], th: [...], en: [...]}
  keywords jsonb NOT NULL DEFAULT '{}',
  -- 'model', or 'staff' once edited in the console.
  source text NOT NULL DEFAULT 'model',
  model text,
  prompt_version text,
  -- 'pending' while a worker holds it, 'done', or 'failed' after too many attempts.
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  claimed_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
CREATE INDEX company_enrichments_status_idx ON company_enrichments (status, claimed_until);

-- When the enrichment the search document was built with was written: a newer one makes the document stale.
ALTER TABLE company_search ADD COLUMN enriched_at timestamptz;
