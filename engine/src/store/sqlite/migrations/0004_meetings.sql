-- Committee meetings: the agenda (föredragningslista), decisions numbered as
-- paragraphs (§) of the minutes, justering and anslag.

CREATE TABLE meetings (
  id             INTEGER PRIMARY KEY,
  committee      TEXT NOT NULL,
  date           TEXT NOT NULL,        -- YYYY-MM-DD
  time           TEXT,                 -- "13:00"
  place          TEXT,
  chair          TEXT,                 -- username of the chair (ordförande)
  adjusters      TEXT NOT NULL DEFAULT '',  -- usernames, comma separated (justerare)
  attendance     TEXT NOT NULL DEFAULT '[]',  -- JSON: [{name, role}]
  minutes_drawn  INTEGER NOT NULL DEFAULT 0,  -- paragraphs assigned
  attested_at    TEXT,                 -- when the last attestation made the minutes final
  posted_on      TEXT,                 -- YYYY-MM-DD, anslag
  appeal_until   TEXT,                 -- YYYY-MM-DD, last day of appeal
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL
);
CREATE INDEX meetings_by_committee ON meetings(committee, date);

CREATE TABLE agenda_items (
  meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
  position    INTEGER NOT NULL,
  case_id     INTEGER REFERENCES cases(id),  -- NULL for standing items
  title       TEXT NOT NULL,
  paragraph   INTEGER,                        -- § number, once the minutes are drawn
  PRIMARY KEY (meeting_id, position)
);
CREATE INDEX agenda_by_case ON agenda_items(case_id);

-- Numbers for paragraphs: per committee and year (or per meeting). Never reused.
CREATE TABLE paragraph_sequences (
  committee    TEXT NOT NULL,
  year         INTEGER NOT NULL,
  last_number  INTEGER NOT NULL,
  PRIMARY KEY (committee, year)
);

CREATE TABLE decisions (
  id             INTEGER PRIMARY KEY,
  meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
  position       INTEGER NOT NULL,
  case_id        INTEGER REFERENCES cases(id),
  outcome        TEXT NOT NULL,
  text           TEXT NOT NULL,          -- beslutsformulering
  details        TEXT NOT NULL DEFAULT '{}',  -- JSON: yrkanden, proposition order, votes,
                                              -- reservations, jäv, send_to
  recorded_at    TEXT NOT NULL,
  recorded_by    TEXT NOT NULL,
  UNIQUE (meeting_id, position)
);
CREATE INDEX decisions_by_case ON decisions(case_id);

CREATE TABLE attestations (
  meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
  username    TEXT NOT NULL,
  capacity    TEXT NOT NULL CHECK (capacity IN ('ordforande','justerare')),
  at          TEXT NOT NULL,
  PRIMARY KEY (meeting_id, username)
);

-- Decisions are searchable (decision text and the approved memo's text).
CREATE VIRTUAL TABLE decision_search USING fts5(
  text, memo, tokenize = 'unicode61 remove_diacritics 2');
