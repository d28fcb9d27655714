-- The secretary's record of a meeting (kansli/meetings.h): what the minutes
-- must say, how it may be corrected, and the notice's versions.

-- The meeting: when it ended, the planned justering, the paragraph number
-- the minutes start from when numbering continues from another system, and
-- the notice (kallelse): 0 until sent, then its version; changes to the
-- agenda or the time and place after the notice wait here (JSON list of
-- Swedish lines) until a new version is sent.
ALTER TABLE meetings ADD COLUMN end_time TEXT;
ALTER TABLE meetings ADD COLUMN adjust_date TEXT;
ALTER TABLE meetings ADD COLUMN adjust_place TEXT;
ALTER TABLE meetings ADD COLUMN first_paragraph INTEGER;
ALTER TABLE meetings ADD COLUMN notice_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN notice_pending TEXT NOT NULL DEFAULT '[]';

CREATE TABLE meeting_notices (
  meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
  version     INTEGER NOT NULL,
  sent_at     TEXT NOT NULL,
  sent_by     TEXT NOT NULL,
  changes     TEXT NOT NULL DEFAULT '[]',   -- JSON: what changed since the previous version
  PRIMARY KEY (meeting_id, version)
);

-- What an agenda item is: a case, or a standing item (val av justerare,
-- anmälan av delegationsbeslut, information, övrigt) that takes no outcome
-- but "noteras".
ALTER TABLE agenda_items ADD COLUMN kind TEXT NOT NULL DEFAULT 'arende'
  CHECK (kind IN ('arende','val_av_justerare','delegationsbeslut','information','ovrigt'));
UPDATE agenda_items SET kind = 'ovrigt' WHERE case_id IS NULL;

-- A decision is corrected before justering by a new version; the earlier
-- ones are kept with who replaced them, when and why.
ALTER TABLE decisions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE decision_versions (
  decision_id  INTEGER NOT NULL REFERENCES decisions(id),
  version      INTEGER NOT NULL,
  outcome      TEXT NOT NULL,
  text         TEXT NOT NULL,
  details      TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  recorded_by  TEXT NOT NULL,
  replaced_at  TEXT NOT NULL,
  replaced_by  TEXT NOT NULL,
  reason       TEXT NOT NULL,
  PRIMARY KEY (decision_id, version)
);
CREATE TRIGGER decision_versions_kept BEFORE UPDATE ON decision_versions
BEGIN SELECT RAISE(ABORT, 'earlier decision versions are never rewritten'); END;
CREATE TRIGGER decision_versions_not_deleted BEFORE DELETE ON decision_versions
BEGIN SELECT RAISE(ABORT, 'earlier decision versions are never deleted'); END;

-- Attested minutes are frozen: a decision of an attested meeting is never
-- rewritten (a rättelse is recorded beside it, below).
CREATE TRIGGER decisions_frozen_after_justering BEFORE UPDATE ON decisions
WHEN (SELECT attested_at FROM meetings WHERE id = OLD.meeting_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the minutes are attested: decisions are frozen'); END;

-- After justering a decision is corrected only by a rättelse (an obvious
-- error, förvaltningslagen 36 §), noted in the protocol of the committee's
-- next meeting whose minutes are drawn after it.
CREATE TABLE rectifications (
  id                   INTEGER PRIMARY KEY,
  decision_id          INTEGER NOT NULL REFERENCES decisions(id),
  text                 TEXT NOT NULL,
  reason               TEXT NOT NULL,
  recorded_at          TEXT NOT NULL,
  recorded_by          TEXT NOT NULL,
  reported_meeting_id  INTEGER REFERENCES meetings(id)
);
CREATE INDEX rectifications_by_decision ON rectifications(decision_id);
CREATE INDEX rectifications_by_meeting ON rectifications(reported_meeting_id);

-- Justering: how the adjuster confirmed it was them (their password again,
-- later e-identification) and when.
ALTER TABLE attestations ADD COLUMN method TEXT NOT NULL DEFAULT 'inloggning';
ALTER TABLE attestations ADD COLUMN confirmed_at TEXT;

-- A session's last re-authentication (the password given again).
ALTER TABLE sessions ADD COLUMN confirmed_at TEXT;
