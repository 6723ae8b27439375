-- The business arm reads every posting of the codes a request names, and for the broader codes only the profiles
-- filed at that code itself (exact_weight > 0). Both reads come from indexes alone:
-- - the primary key carries the weights and the sort key, so a code's postings are an index-only scan (the heap
--   held them: 38 ms for the 30,000 postings of a request for food wholesalers at 31,792 profiles);
-- - a partial index holds only the profiles filed at a code itself: a request for food wholesalers also asks for
--   firms filed only as "wholesale" (46) or "trade" (G), and reading every posting under G to find those few
--   was most of the work.
ALTER TABLE company_businesses DROP CONSTRAINT company_businesses_pkey;
ALTER TABLE company_businesses ADD PRIMARY KEY (country, code, company_id) INCLUDE (weight, exact_weight, sort_key);
CREATE INDEX company_businesses_own_idx ON company_businesses (country, code)
  INCLUDE (company_id, exact_weight, sort_key) WHERE exact_weight > 0;
