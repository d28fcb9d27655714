-- Accounts people look after themselves: a password an administrator reset
-- is a one-time password, to be replaced at the next sign-in; and each
-- session has a public id and the program it was opened from, so a user can
-- see where they are signed in and end a session (the token hash, which
-- could look a session up, is never shown). Sessions opened before this
-- migration have no public id: they are listed but end only by expiring (at
-- most 8 hours) or with a password change. Portable SQL (runs on PostgreSQL
-- as it is).
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN public_id TEXT;
ALTER TABLE sessions ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX sessions_by_public_id ON sessions(public_id);
