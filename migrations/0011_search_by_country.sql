-- Searches always target one country's published profiles. With one GIN index over every profile, a common
-- word or concept of the other country (a Japanese query's 製造 in thousands of Japanese profiles) had to be
-- fetched from the heap only to be filtered out. Per-country partial indexes hold only what can match; the
-- queries name the country as a literal so the planner can use them.
CREATE INDEX company_search_tokens_th_idx ON company_search USING gin (tokens) WHERE country = 'TH' AND status = 'published';
CREATE INDEX company_search_tokens_jp_idx ON company_search USING gin (tokens) WHERE country = 'JP' AND status = 'published';
CREATE INDEX company_search_concepts_th_idx ON company_search USING gin (concepts) WHERE country = 'TH' AND status = 'published';
CREATE INDEX company_search_concepts_jp_idx ON company_search USING gin (concepts) WHERE country = 'JP' AND status = 'published';
