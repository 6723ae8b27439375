-- The keyword arm reads one country's published profiles through that country's partial GIN index (0011), and
-- scans each country through its own index when the target is open. Two older indexes offered the planner
-- worse ways in, and it took them:
-- - the (country, status) B-tree: every profile of the country, each tested against the query;
-- - the GIN index over both countries: every profile that has the words, then those of the other country
--   thrown away.
-- The planner has no statistics per country. For Japanese words asked of Thai profiles (which contain none) it
-- reckoned half of them would match, and read them all: 4 ms at 10,000 profiles, where the Thai GIN index
-- answers in a tenth of a millisecond. No other query filters company_search by these columns alone (the concept
-- arm starts from its postings; the filters join through the primary key). One GIN index fewer also makes
-- indexing cheaper.
DROP INDEX IF EXISTS company_search_filter_idx;
DROP INDEX IF EXISTS company_search_tokens_idx;
