// The writer's WAL writes, gathered into a few large writes per commit.
//
// SQLite writes a transaction into the WAL one call at a time, two per page
// (the frame's 24-byte header, then the page): with 16 clients registering,
// about 70 pwrite calls per commit, and at 1,000,000 cases the WAL's writes
// were a quarter of the writer thread (bench/README, session 5). This VFS
// hands every file to SQLite's own "unix" VFS; it keeps only the WAL's writes,
// while they follow one another in the file, and passes them on in pieces of
// 30 pages: when SQLite syncs the WAL, reads it, truncates it, asks its size
// or closes it, before the WAL's write lock is released, or at 4 MiB.
//
// Why nothing changes for durability or for other connections:
// - Other connections find frames only through the wal-index, which SQLite
//   writes after a commit's frames, and with synchronous=FULL it syncs the
//   WAL before that (wal.c, walFrames). The sync passes the gathered bytes
//   on first, so a commit is in the file, and on the disk, before anyone can
//   see it and before COMMIT returns.
// - Frames of a transaction not yet committed wait here as they would
//   otherwise wait in the page cache: a crash loses them either way, and
//   SQLite ignores them at recovery.
// - A transaction rolled back leaves its frames past the WAL's last commit,
//   where the next writer, perhaps another process, writes its own. So they
//   are passed on before the write lock (slot 0 of the database's shared
//   memory locks) is released, never after.
// - A write that fails (a full disk) keeps the bytes it could not write,
//   and every later call on the WAL tries them first and fails while they
//   cannot be written: SQLite believes them written, so nothing after them
//   may reach the file, and no commit may succeed, before they do.
//
// That needs (1) synchronous=FULL on every connection opened with this VFS:
// only the store's writer connection is, and it sets FULL before its first
// write; and (2) a database file with powersafe overwrite (SQLite's default
// on unix). Without it SQLite pads a commit to a sector boundary and writes
// part of the last frame after the sync; the WAL's writes then pass through.
// tests/store/wal_gather_test.cpp shows the first three, failing writes
// under a file size limit (an I/O error: SQLite rolls the whole transaction
// back), and a full disk (ENOSPC through the unix VFS's own system-call
// hook): at a commit, and where SQLite rolls back only the statement that
// met SQLITE_FULL and keeps the transaction, whose gathered pages must then
// reach the file after all (the test fails if failed bytes are dropped).
#pragma once

namespace kansli::store {

// The name of the VFS to open the writer's connection with, registered on
// the first call (configureSqlite in sqlite.h makes that call after its
// settings), or nullptr when it cannot be registered: then the default VFS
// serves, as before.
const char* gatheringWalVfs();

}  // namespace kansli::store
