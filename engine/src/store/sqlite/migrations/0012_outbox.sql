-- The outbox: every e-mail Kansli sends (expediering of decisions, reminders)
-- waits here until the delivery loop has handed it to the SMTP server, so a
-- message survives a restart and is never sent twice (kansli/mail.h).

CREATE TABLE outbox (
  id                 INTEGER PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('expediering','paminnelse','motionsvarning')),
  -- One message per purpose and recipient: "expediering:<decision>:<recipient>",
  -- "paminnelse:<user>:<day>", "motionsvarning:<case>:<deadline>:<user>".
  dedupe_key         TEXT NOT NULL UNIQUE,
  committee          TEXT,                       -- whose secretary sees it
  meeting_id         INTEGER REFERENCES meetings(id),
  decision_id        INTEGER REFERENCES decisions(id),
  case_id            INTEGER REFERENCES cases(id),
  recipient_name     TEXT NOT NULL,
  recipient_address  TEXT,                       -- NULL: sent by post
  subject            TEXT NOT NULL,
  body               TEXT NOT NULL,
  attachment_name    TEXT,
  attachment_type    TEXT,
  attachment         BLOB,
  -- queued: waits for its turn (next_attempt_at); sending: handed to the SMTP
  -- server now; sent: accepted by it; failed: refused for good, or too many
  -- attempts; uncertain: a delivery interrupted by a restart (never resent on
  -- its own); post: to be sent by post; posted: the secretary sent it by post.
  status             TEXT NOT NULL CHECK (status IN
                       ('queued','sending','sent','failed','uncertain','post','posted')),
  note               TEXT,                       -- why by post ("ingen e-postadress", "sekretess")
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at    TEXT,
  last_error         TEXT,
  message_id         TEXT NOT NULL,              -- the Message-ID, the same on every attempt
  created_at         TEXT NOT NULL,
  created_by         TEXT NOT NULL,
  sent_at            TEXT,
  document_number    INTEGER                     -- the utgående handling registered in the case
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_by_meeting ON outbox(meeting_id);

-- When the extracts of a meeting's attested minutes were put in the outbox.
ALTER TABLE meetings ADD COLUMN expedited_at TEXT;
