-- The staff list's industry filter matched codes and labels by unpacking every row's industries JSON (slow at
-- 10,000 profiles). Keep the lower-cased keys (code, scheme:code, each label) in an indexed array instead;
-- the app fills it on every save, this backfills existing rows.
ALTER TABLE companies ADD COLUMN industry_keys text[] NOT NULL DEFAULT '{}';

UPDATE companies c SET industry_keys = ARRAY(
  SELECT DISTINCT k FROM (
    SELECT lower(i->>'code') AS k FROM jsonb_array_elements(c.industries) i WHERE i ? 'code'
    UNION ALL
    SELECT lower(i->>'scheme') || ':' || lower(coalesce(i->>'code', '')) FROM jsonb_array_elements(c.industries) i
    UNION ALL
    SELECT lower(l.value) FROM jsonb_array_elements(c.industries) i, jsonb_each_text(coalesce(i->'label', '{}')) l
  ) keys WHERE k IS NOT NULL AND k <> ''
);

CREATE INDEX companies_industry_keys_idx ON companies USING gin (industry_keys);
