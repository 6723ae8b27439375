-- The concept arm's inverted index: one row per published profile and concept. The arm used to read every
-- candidate profile's wide company_search row and test each asked-for concept against its array (about 10 µs a
-- row on the embedded database, 10–30 ms for a common industry at 10,000 profiles); a posting is an index entry
-- read in order, and the scores are summed per company from the postings of the asked-for concepts alone.
--
-- Kept by statement-level triggers on company_search, so every path that indexes, unpublishes or erases a
-- profile (including the cascade from companies) keeps it true, and a batch of a thousand profiles costs one
-- INSERT … SELECT rather than a thousand trigger calls. Postings are found for removal through their primary key
-- (the old row's country and concepts), so the table needs no second index.
CREATE TABLE company_concepts (
  country char(2) NOT NULL,
  concept_id text NOT NULL,
  company_id uuid NOT NULL,
  PRIMARY KEY (country, concept_id, company_id)
);

CREATE FUNCTION company_concepts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO company_concepts (country, concept_id, company_id)
  SELECT DISTINCT n.country, c, n.company_id FROM new_rows n, unnest(n.concepts) AS c WHERE n.status = 'published';
  RETURN NULL;
END
$$;

CREATE FUNCTION company_concepts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose concepts, status or country changed: re-indexing unchanged text touches no posting.
  DELETE FROM company_concepts p
  USING old_rows o JOIN new_rows n ON n.company_id = o.company_id, unnest(o.concepts) AS c
  WHERE (n.concepts, n.status, n.country) IS DISTINCT FROM (o.concepts, o.status, o.country)
    AND p.country = o.country AND p.concept_id = c AND p.company_id = o.company_id;
  INSERT INTO company_concepts (country, concept_id, company_id)
  SELECT DISTINCT n.country, c, n.company_id
  FROM new_rows n JOIN old_rows o ON o.company_id = n.company_id, unnest(n.concepts) AS c
  WHERE (n.concepts, n.status, n.country) IS DISTINCT FROM (o.concepts, o.status, o.country)
    AND n.status = 'published';
  RETURN NULL;
END
$$;

CREATE FUNCTION company_concepts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM company_concepts p USING old_rows o, unnest(o.concepts) AS c
  WHERE p.country = o.country AND p.concept_id = c AND p.company_id = o.company_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER company_concepts_added AFTER INSERT ON company_search
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_concepts_added();
CREATE TRIGGER company_concepts_changed AFTER UPDATE ON company_search
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_concepts_changed();
CREATE TRIGGER company_concepts_removed AFTER DELETE ON company_search
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION company_concepts_removed();

INSERT INTO company_concepts (country, concept_id, company_id)
SELECT DISTINCT s.country, c, s.company_id FROM company_search s, unnest(s.concepts) AS c WHERE s.status = 'published';

-- The concept arm no longer reads company_search's per-country concept indexes (0011); every write paid for
-- them. Concept filters (required industry or region) still use company_search_concepts_idx.
DROP INDEX company_search_concepts_th_idx;
DROP INDEX company_search_concepts_jp_idx;
