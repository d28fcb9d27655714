-- Case work: memo versions (tjänsteskrivelser), deadlines per state, and the
-- kind of the documents that workflow effects register.

-- Every saved draft is a new version; an approved version never changes (the
-- trigger makes that a property of the database, not only of the code).
CREATE TABLE memo_versions (
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  version      INTEGER NOT NULL,
  xml          TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  approved_at  TEXT,
  approved_by  TEXT,
  PRIMARY KEY (case_id, version)
);
CREATE TRIGGER memo_versions_frozen BEFORE UPDATE OF xml, sha256, created_at, created_by
ON memo_versions
BEGIN SELECT RAISE(ABORT, 'memo versions are never rewritten'); END;
CREATE TRIGGER memo_approval_once BEFORE UPDATE OF approved_at, approved_by ON memo_versions
WHEN OLD.approved_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an approved memo version stays approved'); END;

ALTER TABLE cases ADD COLUMN state_deadline TEXT;   -- YYYY-MM-DD, from the state's deadline
ALTER TABLE documents ADD COLUMN kind TEXT;         -- tjansteskrivelse, protokollsutdrag, ...
CREATE INDEX cases_by_state_deadline ON cases(state_deadline) WHERE state_deadline IS NOT NULL;
