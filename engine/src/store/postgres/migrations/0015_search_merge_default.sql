-- PostgreSQL variant of sqlite/migrations/0015_search_merge_default.sql:
-- nothing to do (it tunes how FTS5 merges its segments). The file keeps the
-- numbers of both stores' migrations the same.
SELECT 1;
