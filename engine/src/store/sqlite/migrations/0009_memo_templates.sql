-- An approved memo keeps the template it was approved with (#17): the
-- municipality may change its template later, and the approved memo must
-- still render as it was approved. Templates are kept once per content
-- (sha256 of `files`), however many memos were approved with them.
CREATE TABLE kept_templates (
  sha256  TEXT PRIMARY KEY,   -- of `files`
  name    TEXT NOT NULL,      -- "tjansteskrivelse"
  files   TEXT NOT NULL       -- JSON {"xml": "...", "assets": {"logo.svg": "<base64>"}}
);
ALTER TABLE memo_versions ADD COLUMN template_sha256 TEXT REFERENCES kept_templates(sha256);
-- The running number given at approval when the template has <numbering>:
-- "2018:12" (docs/templates.md 6.2).
ALTER TABLE memo_versions ADD COLUMN number TEXT;

-- One row per <numbering series> and year: the last number given. Drawn in
-- the approving transaction, so the numbers have no gaps.
CREATE TABLE memo_number_sequences (
  series       TEXT NOT NULL,
  year         INTEGER NOT NULL,
  last_number  INTEGER NOT NULL,
  PRIMARY KEY (series, year)
);
