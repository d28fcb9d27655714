-- Users, sessions and the audit log: what every later concept builds on.
-- Portable SQL where it can be (a PostgreSQL store is planned): TEXT instants in
-- ISO 8601 UTC, INTEGER ids, no SQLite-only types.

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE,
  display_name   TEXT NOT NULL DEFAULT '',
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN
                   ('registrator','handlaggare','enhetschef','namndsekreterare','ledamot','admin')),
  unit           TEXT,
  committee      TEXT,
  disabled       INTEGER NOT NULL DEFAULT 0,
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_until   TEXT,
  created_at     TEXT NOT NULL
);

-- Bearer tokens are stored as their SHA-256 only: a copy of the database does
-- not hand out sessions.
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- The audit log: append-only, each event carrying the SHA-256 of its
-- predecessor (hash chain). `kansli audit verify` recomputes the chain.
CREATE TABLE audit_events (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  role       TEXT NOT NULL DEFAULT '',
  action     TEXT NOT NULL,
  case_id    INTEGER,
  detail     TEXT NOT NULL DEFAULT '{}',
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE INDEX audit_by_case ON audit_events(case_id, seq);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
