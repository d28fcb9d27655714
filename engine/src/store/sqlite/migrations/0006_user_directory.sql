-- The user directory: what colleagues and documents need to know of a user
-- besides the name (display_name): the title ("Socialsekreterare"), the work
-- e-mail and telephone. Memo signatures print name, title and unit; the web
-- client's pickers show name and title. Empty text, not NULL, when unknown, as
-- display_name already is.
ALTER TABLE users ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
