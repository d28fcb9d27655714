// The gathering WAL VFS: see wal_gather.h for what it does and why it is
// safe. A shim over SQLite's "unix" VFS in the way SQLite's own test shims
// are written: the real file lives inside ours, every method forwards to it.
//
// Two kinds of file are ours: the database file (kept only to pass the WAL's
// gathered bytes on before the WAL's write lock is released, and to say
// whether the database has powersafe overwrite) and its WAL (which gathers).
// Every other file (temporary files, the statement journal when it spills)
// is SQLite's own, opened where SQLite put ours.
#include "store/sqlite/wal_gather.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "kansli/mutex.h"

namespace kansli::store {
namespace {

// Gathered bytes are passed on when they reach this size, so a large
// transaction (the search indexing, a migration) is written in pieces.
constexpr std::size_t kGatherLimit = 4u << 20;
// The unix VFS writes at most 128 KiB - 1 bytes a call (it masks the count
// with 0x1ffff: os_unix.c, seekAndWrite), so they are passed on in pieces of
// 30 pages: a commit of 16 clients' registrations is one or two calls.
constexpr std::size_t kWritePiece = 30 * 4096;
static_assert(kWritePiece < 0x20000, "the unix VFS would write only part of a piece");

sqlite3_vfs* g_unix = nullptr;  // SQLite's own VFS, under ours
sqlite3_vfs g_vfs;              // ours: a copy of it with our xOpen

struct DbFile;

// Guards the links between database files and their WALs, and the list of
// database files below. Several stores' writer threads open and close files.
Mutex g_files_mu;

// What SQLite holds for a file opened through us. The real file follows it
// in the same allocation (szOsFile), at kRealOffset.
struct OurFile {
  sqlite3_file base;  // first: SQLite sees a sqlite3_file with our methods
};

struct WalFile : OurFile {
  std::string* pending = nullptr;  // gathered bytes; nullptr: writes pass through
  sqlite3_int64 pending_at = 0;    // the file offset of (*pending)[0]
  bool owed = false;               // a write of pending failed: retry before anything
  DbFile* db KANSLI_GUARDED_BY(g_files_mu) = nullptr;  // the database it is the WAL of
};

struct DbFile : OurFile {
  sqlite3_filename name = nullptr;  // SQLite's pointer: how its WAL finds it
  WalFile* wal KANSLI_GUARDED_BY(g_files_mu) = nullptr;  // its WAL while that is open
};

constexpr std::size_t kRealOffset =
    (std::max(sizeof(WalFile), sizeof(DbFile)) + alignof(std::max_align_t) - 1) /
    alignof(std::max_align_t) * alignof(std::max_align_t);

// The database files open through us, so that a WAL being opened can find
// its database (by SQLite's own filename pointer, which is per connection).
// Never freed: a connection may close while the program exits.
std::vector<DbFile*>& g_db_files KANSLI_GUARDED_BY(g_files_mu) = *new std::vector<DbFile*>();

sqlite3_file* real(sqlite3_file* f) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kRealOffset);
}
const sqlite3_io_methods& io(sqlite3_file* f) { return *real(f)->pMethods; }
WalFile* asWal(sqlite3_file* f) { return static_cast<WalFile*>(reinterpret_cast<OurFile*>(f)); }
DbFile* asDb(sqlite3_file* f) { return static_cast<DbFile*>(reinterpret_cast<OurFile*>(f)); }

// Writes what is gathered, in as few calls as the unix VFS takes. After a
// failure the bytes not written stay gathered, and every later call on the
// WAL tries them again first and fails while they cannot be written: SQLite
// believes them written (it may have dropped those pages from its cache), so
// nothing after them may reach the file, and no commit may succeed, before
// they do.
int passOn(WalFile* w) {
  if (!w->pending || w->pending->empty()) return SQLITE_OK;
  sqlite3_file* f = &w->base;
  std::size_t done = 0;
  int rc = SQLITE_OK;
  while (done < w->pending->size()) {
    const std::size_t n = std::min(kWritePiece, w->pending->size() - done);
    rc = io(f).xWrite(real(f), w->pending->data() + done, static_cast<int>(n),
                      w->pending_at + static_cast<sqlite3_int64>(done));
    if (rc != SQLITE_OK) break;
    done += n;
  }
  w->pending->erase(0, done);
  w->pending_at += static_cast<sqlite3_int64>(done);
  w->owed = rc != SQLITE_OK;
  return rc;
}

// Drops what is gathered (see dbShmLock), and says so in SQLite's log.
void drop(WalFile* w) {
  if (!w->pending || w->pending->empty()) return;
  sqlite3_log(SQLITE_IOERR_WRITE, "kansli-wal-gather: %d bytes of a rolled-back transaction dropped",
              static_cast<int>(w->pending->size()));
  w->pending->clear();
  w->owed = false;
}

int walWrite(sqlite3_file* f, const void* data, int n, sqlite3_int64 at) {
  WalFile* w = asWal(f);
  if (!w->pending) return io(f).xWrite(real(f), data, n, at);
  const auto size = static_cast<std::size_t>(n);
  const bool follows = w->pending->empty() ||
                       at == w->pending_at + static_cast<sqlite3_int64>(w->pending->size());
  if (w->owed || !follows || w->pending->size() + size > kGatherLimit || size > kWritePiece) {
    if (int rc = passOn(w); rc != SQLITE_OK) return rc;
  }
  // Larger than a piece (SQLite's writes are a page at most, 64 KiB): as it is.
  if (size > kWritePiece) return io(f).xWrite(real(f), data, n, at);
  if (w->pending->empty()) w->pending_at = at;
  try {
    w->pending->append(static_cast<const char*>(data), size);
  } catch (const std::bad_alloc&) {
    return SQLITE_IOERR_NOMEM;
  }
  return SQLITE_OK;
}

void unlinkWal(WalFile* w) {
  MutexLock lock(g_files_mu);
  if (w->db) w->db->wal = nullptr;
  w->db = nullptr;
}

int walClose(sqlite3_file* f) {
  WalFile* w = asWal(f);
  // Nothing committed can be left here (a commit syncs, and the sync passes
  // everything on); what a failure left belongs to a transaction SQLite has
  // rolled back.
  const int written = passOn(w);
  unlinkWal(w);
  const int closed = io(f).xClose(real(f));
  delete w->pending;
  w->pending = nullptr;
  return written != SQLITE_OK ? written : closed;
}

int walRead(sqlite3_file* f, void* out, int n, sqlite3_int64 at) {
  if (int rc = passOn(asWal(f)); rc != SQLITE_OK) return rc;
  return io(f).xRead(real(f), out, n, at);
}

int walTruncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = passOn(asWal(f)); rc != SQLITE_OK) return rc;
  return io(f).xTruncate(real(f), size);
}

int walSync(sqlite3_file* f, int flags) {
  if (int rc = passOn(asWal(f)); rc != SQLITE_OK) return rc;
  return io(f).xSync(real(f), flags);
}

int walFileSize(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = passOn(asWal(f)); rc != SQLITE_OK) return rc;
  return io(f).xFileSize(real(f), size);
}

int walFileControl(sqlite3_file* f, int op, void* arg) {
  if (int rc = passOn(asWal(f)); rc != SQLITE_OK) return rc;
  return io(f).xFileControl(real(f), op, arg);
}

int walFetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out) {
  *out = nullptr;
  if (io(f).iVersion < 3 || !io(f).xFetch) return SQLITE_OK;  // no mapping: SQLite reads
  if (int rc = passOn(asWal(f)); rc != SQLITE_OK) return rc;
  return io(f).xFetch(real(f), at, n, out);
}

// What both kinds forward as they are.
int fwdRead(sqlite3_file* f, void* out, int n, sqlite3_int64 at) {
  return io(f).xRead(real(f), out, n, at);
}
int fwdWrite(sqlite3_file* f, const void* data, int n, sqlite3_int64 at) {
  return io(f).xWrite(real(f), data, n, at);
}
int fwdTruncate(sqlite3_file* f, sqlite3_int64 size) { return io(f).xTruncate(real(f), size); }
int fwdSync(sqlite3_file* f, int flags) { return io(f).xSync(real(f), flags); }
int fwdFileSize(sqlite3_file* f, sqlite3_int64* size) { return io(f).xFileSize(real(f), size); }
int fwdLock(sqlite3_file* f, int level) { return io(f).xLock(real(f), level); }
int fwdUnlock(sqlite3_file* f, int level) { return io(f).xUnlock(real(f), level); }
int fwdCheckReservedLock(sqlite3_file* f, int* out) {
  return io(f).xCheckReservedLock(real(f), out);
}
int fwdFileControl(sqlite3_file* f, int op, void* arg) {
  return io(f).xFileControl(real(f), op, arg);
}
int fwdSectorSize(sqlite3_file* f) { return io(f).xSectorSize(real(f)); }
int fwdDeviceCharacteristics(sqlite3_file* f) { return io(f).xDeviceCharacteristics(real(f)); }
int fwdShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  if (io(f).iVersion < 2 || !io(f).xShmMap) return SQLITE_IOERR_SHMMAP;
  return io(f).xShmMap(real(f), region, size, extend, out);
}
int fwdShmLock(sqlite3_file* f, int offset, int n, int flags) {
  if (io(f).iVersion < 2 || !io(f).xShmLock) return SQLITE_IOERR_SHMLOCK;
  return io(f).xShmLock(real(f), offset, n, flags);
}
void fwdShmBarrier(sqlite3_file* f) {
  if (io(f).iVersion >= 2 && io(f).xShmBarrier) io(f).xShmBarrier(real(f));
}
int fwdShmUnmap(sqlite3_file* f, int delete_flag) {
  if (io(f).iVersion < 2 || !io(f).xShmUnmap) return SQLITE_OK;
  return io(f).xShmUnmap(real(f), delete_flag);
}
int fwdFetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out) {
  *out = nullptr;
  if (io(f).iVersion < 3 || !io(f).xFetch) return SQLITE_OK;
  return io(f).xFetch(real(f), at, n, out);
}
int fwdUnfetch(sqlite3_file* f, sqlite3_int64 at, void* p) {
  if (io(f).iVersion < 3 || !io(f).xUnfetch) return SQLITE_OK;
  return io(f).xUnfetch(real(f), at, p);
}

// The WAL's write lock is slot 0 of the database's shared-memory locks
// (wal.c, WAL_WRITE_LOCK). Before it is released, whatever the WAL still
// gathers is passed on: that can only be frames of a transaction SQLite
// rolled back (a commit has passed everything on in its sync), which lie
// past the WAL's last commit; once the lock is free another process may
// write there, so they must not reach the file later. If they cannot be
// written now they are dropped, which is what a rolled-back transaction's
// frames are worth.
// In locking_mode=EXCLUSIVE SQLite takes no shared-memory locks, and
// leaving that mode releases the database file's lock (xUnlock) instead;
// Kansli never sets it, but the same is done there.
void passOnBeforeRelease(sqlite3_file* f) {
  WalFile* w = nullptr;
  {
    MutexLock lock(g_files_mu);
    w = asDb(f)->wal;
  }
  if (w && passOn(w) != SQLITE_OK) drop(w);
}

int dbShmLock(sqlite3_file* f, int offset, int n, int flags) {
  if ((flags & SQLITE_SHM_UNLOCK) && (flags & SQLITE_SHM_EXCLUSIVE) && offset == 0) {
    passOnBeforeRelease(f);
  }
  return fwdShmLock(f, offset, n, flags);
}

int dbUnlock(sqlite3_file* f, int level) {
  passOnBeforeRelease(f);
  return fwdUnlock(f, level);
}

int dbClose(sqlite3_file* f) {
  DbFile* d = asDb(f);
  {
    MutexLock lock(g_files_mu);
    if (d->wal) d->wal->db = nullptr;
    std::erase(g_db_files, d);
  }
  return io(f).xClose(real(f));
}

const sqlite3_io_methods kWalMethods = {
    3,           walClose,         walRead,       walWrite,     walTruncate,
    walSync,     walFileSize,      fwdLock,       fwdUnlock,    fwdCheckReservedLock,
    walFileControl, fwdSectorSize, fwdDeviceCharacteristics, fwdShmMap, fwdShmLock,
    fwdShmBarrier, fwdShmUnmap,    walFetch,      fwdUnfetch,
};

const sqlite3_io_methods kDbMethods = {
    3,           dbClose,          fwdRead,       fwdWrite,     fwdTruncate,
    fwdSync,     fwdFileSize,      fwdLock,       dbUnlock,     fwdCheckReservedLock,
    fwdFileControl, fwdSectorSize, fwdDeviceCharacteristics, fwdShmMap, dbShmLock,
    fwdShmBarrier, fwdShmUnmap,    fwdFetch,      fwdUnfetch,
};

int gatherOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  const bool main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  const bool wal = (flags & SQLITE_OPEN_WAL) != 0;
  if (!main_db && !wal) return g_unix->xOpen(g_unix, name, f, flags, out_flags);
  OurFile* ours = main_db ? static_cast<OurFile*>(new (f) DbFile{})
                          : static_cast<OurFile*>(new (f) WalFile{});
  ours->base.pMethods = nullptr;  // until the real file is open: SQLite will not close it
  sqlite3_file* r = real(f);
  r->pMethods = nullptr;
  const int rc = g_unix->xOpen(g_unix, name, r, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (r->pMethods) r->pMethods->xClose(r);
    return rc;
  }
  if (main_db) {
    DbFile* d = asDb(f);
    d->name = name;
    try {
      MutexLock lock(g_files_mu);
      g_db_files.push_back(d);
    } catch (const std::bad_alloc&) {
      r->pMethods->xClose(r);
      return SQLITE_NOMEM;
    }
    d->base.pMethods = &kDbMethods;
    return SQLITE_OK;
  }
  WalFile* w = asWal(f);
  {
    MutexLock lock(g_files_mu);
    const sqlite3_filename db_name = sqlite3_filename_database(name);
    for (DbFile* d : g_db_files) {
      if (d->name == db_name && !d->wal) {
        d->wal = w;
        w->db = d;
        break;
      }
    }
    // Gather only for a WAL whose database file is ours and has powersafe
    // overwrite: SQLite decides from the database file whether to pad a
    // commit to a sector boundary and write past its sync (wal.c,
    // sqlite3WalOpen), and then the WAL's writes must pass through.
    sqlite3_file* db_file = w->db ? real(&w->db->base) : nullptr;
    if (db_file && (db_file->pMethods->xDeviceCharacteristics(db_file) &
                    SQLITE_IOCAP_POWERSAFE_OVERWRITE)) {
      w->pending = new (std::nothrow) std::string();
    }
  }
  w->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

const char* registerVfs() {
  g_unix = sqlite3_vfs_find("unix");
  if (!g_unix) return nullptr;
  g_vfs = *g_unix;  // its path, random, time and library functions serve as they are
  g_vfs.zName = "kansli-wal-gather";
  g_vfs.pNext = nullptr;
  g_vfs.szOsFile = static_cast<int>(kRealOffset) + g_unix->szOsFile;
  g_vfs.xOpen = gatherOpen;
  if (sqlite3_vfs_register(&g_vfs, 0) != SQLITE_OK) return nullptr;
  return g_vfs.zName;
}

}  // namespace

const char* gatheringWalVfs() {
  static std::once_flag once;
  static const char* name = nullptr;
  std::call_once(once, [] { name = registerVfs(); });
  return name;
}

}  // namespace kansli::store
