-- The diarium: cases with their diarienummer, the documents (handlingar) in
-- them, corrections (nothing is ever deleted) and full-text search.

-- One row per series and year: the last number drawn. Drawn inside the
-- registering transaction, so a refused registration draws nothing.
CREATE TABLE dnr_sequences (
  series       TEXT NOT NULL,
  year         INTEGER NOT NULL,
  last_number  INTEGER NOT NULL,
  PRIMARY KEY (series, year)
);

CREATE TABLE cases (
  id                 INTEGER PRIMARY KEY,
  dnr                TEXT NOT NULL UNIQUE,
  committee          TEXT NOT NULL,
  series             TEXT NOT NULL,
  year               INTEGER NOT NULL,
  number             INTEGER NOT NULL,
  kind               TEXT NOT NULL,
  subject            TEXT NOT NULL,
  received           TEXT NOT NULL,          -- YYYY-MM-DD
  unit               TEXT,
  officer            TEXT,
  state              TEXT NOT NULL,
  workflow_id        TEXT NOT NULL,
  workflow_version   INTEGER NOT NULL,
  version            INTEGER NOT NULL DEFAULT 1,
  deadline           TEXT,                   -- YYYY-MM-DD
  secrecy_provision  TEXT,                   -- "OSL 26 kap. 1 §"
  secret_fields      TEXT NOT NULL DEFAULT '',  -- "senders,subject"
  registered_at      TEXT NOT NULL,
  registered_by      TEXT NOT NULL,
  imported           INTEGER NOT NULL DEFAULT 0,
  closed             INTEGER NOT NULL DEFAULT 0,  -- in a final state
  UNIQUE (series, year, number)
);
CREATE INDEX cases_by_committee ON cases(committee, id);
CREATE INDEX cases_by_state ON cases(state, id);
CREATE INDEX cases_by_unit ON cases(unit, id);
CREATE INDEX cases_by_officer ON cases(officer, id);
CREATE INDEX cases_by_received ON cases(received, id);
CREATE INDEX cases_by_deadline ON cases(deadline) WHERE deadline IS NOT NULL;

CREATE TABLE case_senders (
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  position      INTEGER NOT NULL,
  name          TEXT NOT NULL,
  party         TEXT,
  organisation  TEXT,
  PRIMARY KEY (case_id, position)
);

CREATE TABLE documents (
  id                 INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES cases(id),
  number             INTEGER NOT NULL,
  direction          TEXT NOT NULL CHECK (direction IN ('inkommen','upprattad','utgaende')),
  date               TEXT NOT NULL,
  counterpart        TEXT,                   -- sender or recipient
  title              TEXT NOT NULL,
  media_type         TEXT,
  size               INTEGER,
  sha256             TEXT,
  content            BLOB,
  secrecy_provision  TEXT,
  secret_fields      TEXT NOT NULL DEFAULT '',  -- "counterpart,title,content"
  registered_at      TEXT NOT NULL,
  registered_by      TEXT NOT NULL,
  UNIQUE (case_id, number)
);

-- Who corrected what, when, why, before and after. Never updated or deleted.
CREATE TABLE corrections (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  document_id  INTEGER REFERENCES documents(id),
  field        TEXT NOT NULL,
  before       TEXT NOT NULL,
  after        TEXT NOT NULL,
  reason       TEXT NOT NULL,
  corrected_by TEXT NOT NULL,
  corrected_at TEXT NOT NULL
);
CREATE INDEX corrections_by_case ON corrections(case_id);

-- Full-text search. unicode61 folds case for all of Unicode (Å/å) and, with
-- remove_diacritics 2, lets "manniskohandel" find "människohandel".
-- case_search holds everything (for signed-in users); public_search only what
-- is not secret, so the public diarium cannot be searched for a secret name.
CREATE VIRTUAL TABLE case_search USING fts5(
  subject, senders, documents, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE public_search USING fts5(
  subject, senders, documents, tokenize = 'unicode61 remove_diacritics 2');
