-- Fewer, larger merges in the two case search indexes (issue #20).
--
-- FTS5 writes the terms of every committed write batch as a new segment and
-- then merges segments in the background of later commits: with the default
-- automerge = 4, a level is merged as soon as it holds 4 segments, so every
-- term is rewritten once per level of a base-4 tree (about 6 levels at
-- 100,000 cases, 8 at 1,000,000), and with the prefix indexes (prefix =
-- '2 3 4 5 6') each word is six terms. That merging was most of a durable
-- registration's instructions at 100,000 cases: `sqlite3VtabSync` at COMMIT,
-- 54 % of them (bench/README.md, "Issue #20, session 4"). With 16, a level
-- waits for 16 segments: half the levels, so each term is rewritten about
-- half as often, and a search reads at most 15 segments per level (FTS5's
-- crisismerge, 16, still bounds a level). The setting lives in each table's
-- %_config row: no index is rebuilt, so this runs at once on any size.
INSERT INTO case_search(case_search, rank) VALUES('automerge', 16);
INSERT INTO public_search(public_search, rank) VALUES('automerge', 16);
