-- 0003_filename_search: a trigram index over documents.search_name, so that `list?q=` finds a rare term by
-- looking it up instead of walking every entry of the key index (PostgreSQL; the counterpart of the FTS5
-- trigram table of migrations/sqlite/0003_filename_search.sql).
--
-- pg_trgm's GIN operator class serves `search_name LIKE '%term%'` directly, and the planner chooses between it
-- and the key index per query, so no application code picks the path. The index only narrows the candidates:
-- every row is rechecked against the LIKE, so results are exact whatever the term. pg_trgm is a trusted
-- extension: the database's owner may create it without being a superuser.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX documents_search_name_trgm ON documents USING gin (search_name gin_trgm_ops);
