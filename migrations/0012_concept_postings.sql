-- The concept arm's inverted index: one row per published profile and concept. The arm used to read every
-- candidate profile's wide company_search row and test each asked-for concept against its array (about 10 µs a
-- row on the embedded database, 10–30 ms for a common industry at 10,000 profiles); a posting is an index entry
-- read in order, and the scores are summed per company from the postings of the asked-for concepts alone.
-- Kept by a trigger on company_search, so every path that indexes, unpublishes or erases a profile keeps it true.
CREATE TABLE company_concepts (
  country char(2) NOT NULL,
  concept_id text NOT NULL,
  company_id uuid NOT NULL REFERENCES company_search (company_id) ON DELETE CASCADE,
  PRIMARY KEY (country, concept_id, company_id)
);
CREATE INDEX company_concepts_company_idx ON company_concepts (company_id);

CREATE FUNCTION company_concepts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.concepts IS NOT DISTINCT FROM OLD.concepts AND NEW.status = OLD.status
     AND NEW.country = OLD.country THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM company_concepts WHERE company_id = NEW.company_id;
  END IF;
  IF NEW.status = 'published' THEN
    INSERT INTO company_concepts (country, concept_id, company_id)
    SELECT DISTINCT NEW.country, c, NEW.company_id FROM unnest(NEW.concepts) AS c;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER company_concepts_sync AFTER INSERT OR UPDATE ON company_search
  FOR EACH ROW EXECUTE FUNCTION company_concepts_sync();

INSERT INTO company_concepts (country, concept_id, company_id)
SELECT DISTINCT s.country, c, s.company_id FROM company_search s, unnest(s.concepts) AS c WHERE s.status = 'published';
