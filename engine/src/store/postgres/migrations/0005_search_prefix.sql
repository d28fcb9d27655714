-- PostgreSQL variant of sqlite/migrations/0005_search_prefix.sql: nothing to
-- do. A GIN index over a tsvector answers a prefix query ('förs':*) by a
-- range scan of its sorted lexemes; there is no separate prefix index to
-- build. The file keeps the numbers of both stores' migrations the same.
SELECT 1;
