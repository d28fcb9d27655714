-- The queue of search index rows (issue #20): a write batch stores the rows
-- for case_search and public_search here, in its own transaction, and the
-- writer moves them into the FTS5 indexes a few thousand at a time
-- (SqliteTx::writeFts in store/sqlite/sqlite.h). FTS5 pays for every
-- transaction that writes to it (a new segment, merge work that grows with
-- the index); a plain table does not. Rows left by a process that stopped
-- are indexed when the store is opened. tbl: 0 case_search, 1 public_search;
-- replace_row: the case may have rows in the index already (delete them
-- first). public_search's texts are already masked here.
CREATE TABLE search_pending (
  seq INTEGER PRIMARY KEY,
  tbl INTEGER NOT NULL CHECK (tbl IN (0, 1)),
  row_id INTEGER NOT NULL,
  replace_row INTEGER NOT NULL CHECK (replace_row IN (0, 1)),
  subject TEXT NOT NULL,
  senders TEXT NOT NULL,
  documents TEXT NOT NULL
);
