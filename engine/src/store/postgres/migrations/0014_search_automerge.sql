-- PostgreSQL variant of sqlite/migrations/0014_search_automerge.sql: nothing
-- to do. It tunes how FTS5 merges its segments; a GIN index has no such
-- setting to change here (its pending list is flushed by VACUUM/autovacuum).
-- The file keeps the numbers of both stores' migrations the same.
SELECT 1;
