-- Prefix indexes for the two case search indexes (prefix = '2 3 4 5 6').
--
-- Without them a prefix query ("förs*") makes FTS5 read and merge the
-- doclist of every word that starts with the prefix before it can return the
-- first hit: about 20 ms at 1,000,000 cases for a prefix of common words,
-- done twice per search (the hit count that chooses the order, then the
-- page). With a prefix index of the typed length it is one doclist, read
-- from the newest end: well under 1 ms. The lengths are in characters after
-- diacritics folding, as people type them (2 to 6); a longer prefix works
-- as before, only without the index. Cost: the index part of each table
-- (case_search_data) grows about fourfold, about 120 MB per table at
-- 1,000,000 cases.
--
-- FTS5 cannot add prefix indexes to a table, so each table is made again
-- with the same columns and tokenizer and refilled from the old one's
-- content (rowids, that is case ids, kept). This rewrites both indexes once:
-- about a minute at 1,000,000 cases, seconds at the sizes of a municipality.
CREATE VIRTUAL TABLE case_search_new USING fts5(
  subject, senders, documents, tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4 5 6');
INSERT INTO case_search_new(rowid, subject, senders, documents)
  SELECT rowid, subject, senders, documents FROM case_search;
DROP TABLE case_search;
ALTER TABLE case_search_new RENAME TO case_search;

CREATE VIRTUAL TABLE public_search_new USING fts5(
  subject, senders, documents, tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4 5 6');
INSERT INTO public_search_new(rowid, subject, senders, documents)
  SELECT rowid, subject, senders, documents FROM public_search;
DROP TABLE public_search;
ALTER TABLE public_search_new RENAME TO public_search;
