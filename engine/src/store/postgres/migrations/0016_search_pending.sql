-- PostgreSQL variant of sqlite/migrations/0016_search_pending.sql: nothing to
-- do (PostgreSQL writes its tsvector rows in the transaction that changes the
-- case; the queue is for FTS5's cost per transaction). The file keeps the
-- numbers of both stores' migrations the same.
SELECT 1;
