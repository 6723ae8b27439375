-- Kinds of business (seeds/taxonomy: TSIC 2009, the Thai edition of ISIC Rev.4). Profiles and requests are both
-- read into taxonomy codes by the same reader (src/matching/taxonomy/business-reader.ts); the business arm finds
-- the firms whose codes meet the request's.

-- Lexicon concepts name businesses per activity ({"make": "2930", "sell": "4530"}), and may point at the concept
-- for their parts (cars → auto parts).
ALTER TABLE lexicon_concepts ADD COLUMN business jsonb NOT NULL DEFAULT '{}';
ALTER TABLE lexicon_concepts ADD COLUMN parts text;

-- What was read from each profile, for explanations and the console: [{code, weight, source, conceptId,
-- activity, terms, field}], source 'curated' (a code staff gave), 'text' (read from the profile's public text)
-- or 'model' (an LLM's enrichment). The postings the arm reads, with every broader code of each business
-- ([{c, w, xw}]: code, the weight for it or anything below it, the weight for that code itself), kept apart so the trigger
-- below needs no taxonomy. The region ids of the profile's location (not of its text), with their broader
-- regions, for "where" in a request. sort_key is the profile's external id: ties are ordered by it, so two
-- databases holding the same profiles rank them the same (company ids are random).
ALTER TABLE company_search ADD COLUMN businesses jsonb NOT NULL DEFAULT '[]';
ALTER TABLE company_search ADD COLUMN business_postings jsonb NOT NULL DEFAULT '[]';
ALTER TABLE company_search ADD COLUMN locations text[] NOT NULL DEFAULT '{}';
ALTER TABLE company_search ADD COLUMN sort_key text NOT NULL DEFAULT '';
CREATE INDEX company_search_locations_idx ON company_search USING gin (locations);

-- The business arm's inverted index, kept by statement-level triggers like company_concepts (0012): one row per
-- published profile and code, with the profile's weight for the code or anything below it, and for the code
-- itself (0 when the profile is only filed below it).
CREATE TABLE company_businesses (
  country char(2) NOT NULL,
  code text NOT NULL,
  company_id uuid NOT NULL,
  weight real NOT NULL,
  exact_weight real NOT NULL,
  sort_key text NOT NULL,
  PRIMARY KEY (country, code, company_id)
);

CREATE FUNCTION company_businesses_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO company_businesses (country, code, company_id, weight, exact_weight, sort_key)
  SELECT n.country, b->>'c', n.company_id, (b->>'w')::real, (b->>'xw')::real, n.sort_key
  FROM new_rows n, jsonb_array_elements(n.business_postings) AS b WHERE n.status = 'published';
  RETURN NULL;
END
$$;

CREATE FUNCTION company_businesses_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM company_businesses p
  USING old_rows o JOIN new_rows n ON n.company_id = o.company_id, jsonb_array_elements(o.business_postings) AS b
  WHERE (n.business_postings, n.status, n.country, n.sort_key) IS DISTINCT FROM
        (o.business_postings, o.status, o.country, o.sort_key)
    AND p.country = o.country AND p.code = b->>'c' AND p.company_id = o.company_id;
  INSERT INTO company_businesses (country, code, company_id, weight, exact_weight, sort_key)
  SELECT n.country, b->>'c', n.company_id, (b->>'w')::real, (b->>'xw')::real, n.sort_key
  FROM new_rows n JOIN old_rows o ON o.company_id = n.company_id, jsonb_array_elements(n.business_postings) AS b
  WHERE (n.business_postings, n.status, n.country, n.sort_key) IS DISTINCT FROM
        (o.business_postings, o.status, o.country, o.sort_key)
    AND n.status = 'published';
  RETURN NULL;
END
$$;

CREATE FUNCTION company_businesses_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM company_businesses p USING old_rows o, jsonb_array_elements(o.business_postings) AS b
  WHERE p.country = o.country AND p.code = b->>'c' AND p.company_id = o.company_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER company_businesses_added AFTER INSERT ON company_search
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_businesses_added();
CREATE TRIGGER company_businesses_changed AFTER UPDATE ON company_search
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_businesses_changed();
CREATE TRIGGER company_businesses_removed AFTER DELETE ON company_search
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION company_businesses_removed();

-- Every profile is re-read with the new lexicon (its version changes with the seeds), which fills these columns.

-- The concept arm's postings carry the sort key too, so its ties at the cut are the same on every database.
ALTER TABLE company_concepts ADD COLUMN sort_key text NOT NULL DEFAULT '';

CREATE OR REPLACE FUNCTION company_concepts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO company_concepts (country, concept_id, company_id, sort_key)
  SELECT DISTINCT n.country, c, n.company_id, n.sort_key
  FROM new_rows n, unnest(n.concepts) AS c WHERE n.status = 'published';
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION company_concepts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM company_concepts p
  USING old_rows o JOIN new_rows n ON n.company_id = o.company_id, unnest(o.concepts) AS c
  WHERE (n.concepts, n.status, n.country, n.sort_key) IS DISTINCT FROM (o.concepts, o.status, o.country, o.sort_key)
    AND p.country = o.country AND p.concept_id = c AND p.company_id = o.company_id;
  INSERT INTO company_concepts (country, concept_id, company_id, sort_key)
  SELECT DISTINCT n.country, c, n.company_id, n.sort_key
  FROM new_rows n JOIN old_rows o ON o.company_id = n.company_id, unnest(n.concepts) AS c
  WHERE (n.concepts, n.status, n.country, n.sort_key) IS DISTINCT FROM (o.concepts, o.status, o.country, o.sort_key)
    AND n.status = 'published';
  RETURN NULL;
END
$$;

-- The keyword arm ranks by BM25 (term rarity and document length, field weights in the term frequencies) from its
-- own postings, instead of ts_rank, which has no notion of rarity: on free text the arm added almost nothing.
-- term_postings: [{t, f}] with f the field-weighted frequency; doc_length: the sum of them.
ALTER TABLE company_search ADD COLUMN term_postings jsonb NOT NULL DEFAULT '[]';
ALTER TABLE company_search ADD COLUMN doc_length real NOT NULL DEFAULT 0;
DROP INDEX IF EXISTS company_search_tokens_th_idx;
DROP INDEX IF EXISTS company_search_tokens_jp_idx;
ALTER TABLE company_search DROP COLUMN tokens;

CREATE TABLE company_terms (
  country char(2) NOT NULL,
  term text NOT NULL,
  company_id uuid NOT NULL,
  tf real NOT NULL,
  doc_length real NOT NULL,
  sort_key text NOT NULL,
  PRIMARY KEY (country, term, company_id)
);

CREATE FUNCTION company_terms_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO company_terms (country, term, company_id, tf, doc_length, sort_key)
  SELECT n.country, t->>'t', n.company_id, (t->>'f')::real, n.doc_length, n.sort_key
  FROM new_rows n, jsonb_array_elements(n.term_postings) AS t WHERE n.status = 'published';
  RETURN NULL;
END
$$;

CREATE FUNCTION company_terms_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM company_terms p
  USING old_rows o JOIN new_rows n ON n.company_id = o.company_id, jsonb_array_elements(o.term_postings) AS t
  WHERE (n.term_postings, n.status, n.country, n.sort_key) IS DISTINCT FROM
        (o.term_postings, o.status, o.country, o.sort_key)
    AND p.country = o.country AND p.term = t->>'t' AND p.company_id = o.company_id;
  INSERT INTO company_terms (country, term, company_id, tf, doc_length, sort_key)
  SELECT n.country, t->>'t', n.company_id, (t->>'f')::real, n.doc_length, n.sort_key
  FROM new_rows n JOIN old_rows o ON o.company_id = n.company_id, jsonb_array_elements(n.term_postings) AS t
  WHERE (n.term_postings, n.status, n.country, n.sort_key) IS DISTINCT FROM
        (o.term_postings, o.status, o.country, o.sort_key)
    AND n.status = 'published';
  RETURN NULL;
END
$$;

CREATE FUNCTION company_terms_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM company_terms p USING old_rows o, jsonb_array_elements(o.term_postings) AS t
  WHERE p.country = o.country AND p.term = t->>'t' AND p.company_id = o.company_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER company_terms_added AFTER INSERT ON company_search
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_terms_added();
CREATE TRIGGER company_terms_changed AFTER UPDATE ON company_search
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_terms_changed();
CREATE TRIGGER company_terms_removed AFTER DELETE ON company_search
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION company_terms_removed();
