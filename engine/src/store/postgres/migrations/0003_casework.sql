-- PostgreSQL variant of sqlite/migrations/0003_casework.sql. What differs:
-- the triggers that freeze memo versions are PL/pgSQL.

CREATE TABLE memo_versions (
  case_id      bigint NOT NULL REFERENCES cases(id),
  version      integer NOT NULL,
  xml          text NOT NULL,
  sha256       text NOT NULL,
  created_at   text NOT NULL,
  created_by   text NOT NULL,
  approved_at  text,
  approved_by  text,
  PRIMARY KEY (case_id, version)
);
CREATE TRIGGER memo_versions_frozen BEFORE UPDATE OF xml, sha256, created_at, created_by
  ON memo_versions
  FOR EACH ROW EXECUTE FUNCTION kansli_refuse('memo versions are never rewritten');
CREATE TRIGGER memo_approval_once BEFORE UPDATE OF approved_at, approved_by ON memo_versions
  FOR EACH ROW WHEN (OLD.approved_at IS NOT NULL)
  EXECUTE FUNCTION kansli_refuse('an approved memo version stays approved');

ALTER TABLE cases ADD COLUMN state_deadline text;
ALTER TABLE documents ADD COLUMN kind text;
CREATE INDEX cases_by_state_deadline ON cases(state_deadline) WHERE state_deadline IS NOT NULL;
