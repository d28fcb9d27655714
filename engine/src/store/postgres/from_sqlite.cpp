// kansli migrate-store (kansli/migrate_store.h): the one place that reads
// the SQLite dialect and writes the PostgreSQL one, so it knows both:
// FTS5 tables become tsvector rows, BLOBs become bytea, rowid ids keep their
// values and the identity sequences are moved past them.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "kansli/audit.h"
#include "kansli/migrate_store.h"
#include "store/audit_repo.h"
#include "store/postgres/pg.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {
namespace {

using store::PgConnPtr;
using store::PgResultPtr;

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStmtPtr = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

// The SQLite store's FTS5 search tables and how each becomes the PostgreSQL
// store's tsvector table (migrations 0002 and 0004 of both dialects): the
// id column, and the SQLite columns with the weight each gets. A new search
// table is added here and in both stores' migrations.
struct SearchTable {
  const char* name;
  const char* id_column;
  std::vector<std::pair<const char*, char>> columns;
};
const std::vector<SearchTable>& searchTables() {
  static const std::vector<SearchTable> tables = {
      {"case_search", "case_id", {{"subject", 'A'}, {"senders", 'B'}, {"documents", 'D'}}},
      {"public_search", "case_id", {{"subject", 'A'}, {"senders", 'B'}, {"documents", 'D'}}},
      {"decision_search", "decision_id", {{"text", 'A'}, {"memo", 'A'}}},
  };
  return tables;
}
const SearchTable* searchTable(const std::string& name) {
  for (const auto& t : searchTables()) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

Error sqliteFailure(sqlite3* db, const std::string& what) {
  return Error::internal(what + ": " + (db ? sqlite3_errmsg(db) : "sqlite"));
}

Result<SqliteStmtPtr> prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    return std::unexpected(sqliteFailure(db, sql));
  }
  return SqliteStmtPtr(s);
}

std::string quoteIdent(const std::string& name) { return "\"" + name + "\""; }

// One value in COPY's text format.
void appendCopyValue(std::string& out, sqlite3_stmt* s, int col) {
  switch (sqlite3_column_type(s, col)) {
    case SQLITE_NULL:
      out += "\\N";
      return;
    case SQLITE_INTEGER:
      out += std::to_string(sqlite3_column_int64(s, col));
      return;
    case SQLITE_FLOAT: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(s, col));
      out += buf;
      return;
    }
    case SQLITE_BLOB: {
      static const char* hex = "0123456789abcdef";
      const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(s, col));
      int n = sqlite3_column_bytes(s, col);
      out += "\\\\x";
      for (int i = 0; i < n; ++i) {
        out += hex[p[i] >> 4];
        out += hex[p[i] & 15];
      }
      return;
    }
    default: {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
      int n = sqlite3_column_bytes(s, col);
      for (int i = 0; i < n; ++i) {
        char c = t[i];
        switch (c) {
          case '\\': out += "\\\\"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          default: out += c;
        }
      }
    }
  }
}

class Target {
 public:
  explicit Target(PGconn* c) : c_(c) {}
  Result<PgResultPtr> exec(const std::string& sql) {
    PgResultPtr r(PQexec(c_, sql.c_str()));
    auto st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      return std::unexpected(store::pgError(c_, r.get(), sql.substr(0, 80)));
    }
    return r;
  }
  Result<std::int64_t> count(const std::string& table) {
    KANSLI_ASSIGN_OR_RETURN(auto r, exec("SELECT count(*) FROM " + quoteIdent(table)));
    return std::atoll(PQgetvalue(r.get(), 0, 0));
  }
  // Starts COPY; rows are sent with put(); end() finishes it.
  Result<void> begin(const std::string& sql) {
    PgResultPtr r(PQexec(c_, sql.c_str()));
    if (PQresultStatus(r.get()) != PGRES_COPY_IN) {
      return std::unexpected(store::pgError(c_, r.get(), sql.substr(0, 80)));
    }
    return {};
  }
  Result<void> put(std::string& buffer, bool force) {
    if (buffer.empty() || (!force && buffer.size() < (1 << 20))) return {};
    if (PQputCopyData(c_, buffer.data(), static_cast<int>(buffer.size())) != 1) {
      return std::unexpected(store::pgError(c_, nullptr, "COPY"));
    }
    buffer.clear();
    return {};
  }
  Result<void> end() {
    if (PQputCopyEnd(c_, nullptr) != 1) return std::unexpected(store::pgError(c_, nullptr, "COPY"));
    PgResultPtr r(PQgetResult(c_));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      return std::unexpected(store::pgError(c_, r.get(), "COPY"));
    }
    while (PGresult* more = PQgetResult(c_)) PQclear(more);
    return {};
  }

 private:
  PGconn* c_;
};

struct SourceTable {
  std::string name;
  std::vector<std::string> columns;
  std::set<std::string> references;
  std::int64_t rows = 0;
};

// The tables of the SQLite file to copy, parents before the tables that
// refer to them (foreign keys are checked row by row).
Result<std::vector<SourceTable>> sourceTables(sqlite3* db) {
  KANSLI_ASSIGN_OR_RETURN(
      auto list, prepare(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                             " AND name NOT LIKE 'sqlite_%' ORDER BY name"));
  std::vector<std::string> fts;
  std::vector<std::pair<std::string, std::string>> all;
  while (sqlite3_step(list.get()) == SQLITE_ROW) {
    std::string name = reinterpret_cast<const char*>(sqlite3_column_text(list.get(), 0));
    const auto* sql = sqlite3_column_text(list.get(), 1);
    std::string def = sql ? reinterpret_cast<const char*>(sql) : "";
    if (def.find("VIRTUAL TABLE") != std::string::npos) fts.push_back(name);
    all.emplace_back(name, def);
  }
  std::vector<SourceTable> tables;
  for (const auto& [name, def] : all) {
    // FTS5's own storage (case_search_data, ..._idx, ..._content, ...).
    bool shadow = std::any_of(fts.begin(), fts.end(), [&](const std::string& f) {
      return name != f && name.starts_with(f + "_");
    });
    if (shadow) continue;
    // The SQLite store's queue of search rows (sqlite/migrations/0016):
    // emptied into the search tables when the store was opened above, and
    // PostgreSQL indexes in the transaction, so it has no such table. Rows
    // in it now were queued by a service still running on the file.
    if (name == "search_pending") {
      KANSLI_ASSIGN_OR_RETURN(auto queued, prepare(db, "SELECT count(*) FROM search_pending"));
      if (sqlite3_step(queued.get()) == SQLITE_ROW && sqlite3_column_int64(queued.get(), 0) > 0) {
        return std::unexpected(Error::conflict(
            "kansli serve (eller ett annat kommando) skriver fortfarande i databasen; "
            "stoppa tjänsten innan den flyttas till PostgreSQL"));
      }
      continue;
    }
    SourceTable t;
    t.name = name;
    if (const SearchTable* st = searchTable(name)) {
      t.columns.push_back("rowid");
      for (const auto& c : st->columns) t.columns.push_back(c.first);
    } else if (std::find(fts.begin(), fts.end(), name) != fts.end()) {
      return std::unexpected(Error::internal(
          "sökindexet " + name + " har ingen motsvarighet i PostgreSQL-lagret "
          "(lägg till det i engine/src/store/postgres/from_sqlite.cpp)"));
    } else {
      KANSLI_ASSIGN_OR_RETURN(auto info, prepare(db, "PRAGMA table_info(" + quoteIdent(name) + ")"));
      while (sqlite3_step(info.get()) == SQLITE_ROW) {
        t.columns.push_back(reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 1)));
      }
      KANSLI_ASSIGN_OR_RETURN(auto fks,
                              prepare(db, "PRAGMA foreign_key_list(" + quoteIdent(name) + ")"));
      while (sqlite3_step(fks.get()) == SQLITE_ROW) {
        std::string parent = reinterpret_cast<const char*>(sqlite3_column_text(fks.get(), 2));
        if (parent != name) t.references.insert(parent);
      }
    }
    KANSLI_ASSIGN_OR_RETURN(auto n, prepare(db, "SELECT count(*) FROM " + quoteIdent(name)));
    if (sqlite3_step(n.get()) == SQLITE_ROW) t.rows = sqlite3_column_int64(n.get(), 0);
    tables.push_back(std::move(t));
  }
  std::vector<SourceTable> ordered;
  std::set<std::string> done;
  while (!tables.empty()) {
    auto ready = std::find_if(tables.begin(), tables.end(), [&](const SourceTable& t) {
      return std::all_of(t.references.begin(), t.references.end(),
                         [&](const std::string& r) { return done.count(r) > 0; });
    });
    if (ready == tables.end()) ready = tables.begin();  // a cycle: let the server judge
    done.insert(ready->name);
    ordered.push_back(std::move(*ready));
    tables.erase(ready);
  }
  return ordered;
}

}  // namespace

Result<StoreMigrationReport> migrateStoreToPostgres(const std::string& sqlite_path,
                                                    const std::string& to_url,
                                                    const MigrationProgress& progress) {
  auto started = std::chrono::steady_clock::now();
  if (!std::filesystem::exists(sqlite_path)) {
    return std::unexpected(Error::notFound("det finns ingen databas " + sqlite_path));
  }
  // Both schemas brought to this program's version: the SQLite file by
  // opening it as the service would, the target by creating Kansli's schema.
  {
    KANSLI_ASSIGN_OR_RETURN(auto s, store::Store::open(
        {.path = sqlite_path, .url = "", .readers = 1, .busy_timeout_ms = 5000, .create = false}));
    KANSLI_ASSIGN_OR_RETURN(auto t, store::Store::open({.path = "", .url = to_url, .readers = 1}));
  }

  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(sqlite_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    SqlitePtr guard(raw);
    return std::unexpected(sqliteFailure(raw, "kan inte öppna " + sqlite_path));
  }
  SqlitePtr src(raw);
  // One snapshot of the source for the whole copy.
  if (sqlite3_exec(src.get(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return std::unexpected(sqliteFailure(src.get(), "BEGIN"));
  }
  KANSLI_ASSIGN_OR_RETURN(auto tables, sourceTables(src.get()));

  const char* keys[] = {"dbname", "connect_timeout", "application_name", "client_encoding",
                        nullptr};
  const char* values[] = {to_url.c_str(), "10", "kansli migrate-store", "UTF8", nullptr};
  PgConnPtr conn(PQconnectdbParams(keys, values, 1));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return std::unexpected(Error{ErrorCode::kUnavailable,
                                 "kan inte ansluta till måldatabasen: " +
                                     std::string(conn ? PQerrorMessage(conn.get()) : ""),
                                 {},
                                 {}});
  }
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  Target target(conn.get());
  KANSLI_TRY(target.exec("BEGIN"));
  // Nothing may be there yet: migrate-store never merges two diaria.
  for (const auto& t : tables) {
    auto n = target.count(t.name);
    if (!n) {
      (void)target.exec("ROLLBACK");
      return std::unexpected(Error::internal("tabellen " + t.name +
                                             " finns inte i måldatabasen: " + n.error().message));
    }
    if (*n != 0) {
      (void)target.exec("ROLLBACK");
      return std::unexpected(Error::conflict("måldatabasen är inte tom (" + t.name + " har " +
                                             std::to_string(*n) + " rader); migrate-store "
                                             "kopierar bara till en tom databas"));
    }
  }

  std::int64_t total = 0, done = 0;
  for (const auto& t : tables) total += t.rows;
  StoreMigrationReport report;
  auto abort = [&](Error e) -> Result<StoreMigrationReport> {
    (void)target.exec("ROLLBACK");
    return std::unexpected(std::move(e));
  };
  for (const auto& t : tables) {
    const SearchTable* st = searchTable(t.name);
    std::string cols;
    for (const auto& c : t.columns) cols += (cols.empty() ? "" : ", ") + quoteIdent(c);
    auto select = prepare(src.get(), "SELECT " + cols + " FROM " + quoteIdent(t.name));
    if (!select) return abort(select.error());
    Result<void> begun;
    if (st) {
      // The text as the SQLite index holds it, made searchable as the
      // PostgreSQL store indexes it (store/postgres/pg.h), into a staging
      // table and from there into tsvectors.
      std::string staging_cols;
      for (size_t i = 1; i < t.columns.size(); ++i) staging_cols += ", c" + std::to_string(i) + " text";
      auto made = target.exec("CREATE TEMP TABLE search_staging (id bigint" + staging_cols +
                              ") ON COMMIT DROP");
      if (!made) return abort(made.error());
      begun = target.begin("COPY search_staging FROM STDIN");
    } else {
      begun = target.begin("COPY " + quoteIdent(t.name) + " (" + cols + ") FROM STDIN");
    }
    if (!begun) return abort(begun.error());
    std::string buffer;
    const int ncols = static_cast<int>(t.columns.size());
    while (true) {
      int rc = sqlite3_step(select->get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return abort(sqliteFailure(src.get(), "läsa " + t.name));
      for (int i = 0; i < ncols; ++i) {
        if (i) buffer += '\t';
        if (st && i > 0) {
          const auto* text = sqlite3_column_text(select->get(), i);
          store::appendCopyText(buffer, store::pgSearchableText(
                                     text ? reinterpret_cast<const char*>(text) : ""));
        } else {
          appendCopyValue(buffer, select->get(), i);
        }
      }
      buffer += '\n';
      ++done;
      KANSLI_TRY(target.put(buffer, false));
      if (progress && done % 5000 == 0) progress(done, total, t.name);
    }
    auto sent = target.put(buffer, true);
    if (!sent) return abort(sent.error());
    auto ended = target.end();
    if (!ended) return abort(Error::internal("kopieringen av " + t.name + " misslyckades: " +
                                             ended.error().message));
    if (st) {
      std::string doc;
      for (size_t i = 1; i < t.columns.size(); ++i) {
        if (i > 1) doc += " || ";
        doc += "setweight(to_tsvector('kansli_sv', coalesce(c" + std::to_string(i) + ", '')), '" +
               std::string(1, st->columns[i - 1].second) + "')";
      }
      auto moved = target.exec("INSERT INTO " + quoteIdent(t.name) + " (" + st->id_column +
                               ", doc) SELECT id, " + doc + " FROM search_staging");
      if (!moved) return abort(moved.error());
      auto dropped = target.exec("DROP TABLE search_staging");
      if (!dropped) return abort(dropped.error());
    }
    if (progress) progress(done, total, t.name);
    report.tables.emplace_back(t.name, t.rows);
    report.rows += t.rows;
  }

  // Identity columns go on after the copied ids; the chain's tip row is the
  // newest copied event.
  auto identities = target.exec(
      "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
      " JOIN pg_namespace n ON n.oid = c.relnamespace"
      " WHERE a.attidentity <> '' AND n.nspname = current_schema()");
  if (!identities) return abort(identities.error());
  for (int i = 0; i < PQntuples(identities->get()); ++i) {
    std::string table = PQgetvalue(identities->get(), i, 0);
    std::string col = PQgetvalue(identities->get(), i, 1);
    auto set = target.exec("SELECT setval(pg_get_serial_sequence('" + quoteIdent(table) + "', '" +
                           col + "'), coalesce(max(" + quoteIdent(col) + "), 0) + 1, false) FROM " +
                           quoteIdent(table));
    if (!set) return abort(set.error());
  }
  auto tip = target.exec(
      "UPDATE audit_chain_tip SET seq = e.seq, hash = e.hash FROM"
      " (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) e WHERE id = 1");
  if (!tip) return abort(tip.error());
  KANSLI_TRY(target.exec("COMMIT"));
  sqlite3_exec(src.get(), "COMMIT", nullptr, nullptr, nullptr);

  // Verified after the commit, by a fresh look at both sides.
  for (const auto& [name, rows] : report.tables) {
    KANSLI_ASSIGN_OR_RETURN(auto n, target.count(name));
    if (n != rows) {
      return std::unexpected(Error::internal("kopian stämmer inte: " + name + " har " +
                                             std::to_string(n) + " rader, källan " +
                                             std::to_string(rows)));
    }
  }
  std::string source_tip;
  {
    KANSLI_ASSIGN_OR_RETURN(auto last,
                            prepare(src.get(), "SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1"));
    if (sqlite3_step(last.get()) == SQLITE_ROW) {
      source_tip = reinterpret_cast<const char*>(sqlite3_column_text(last.get(), 0));
    }
  }
  KANSLI_ASSIGN_OR_RETURN(auto pg, store::Store::open(
      {.path = "", .url = to_url, .readers = 1, .busy_timeout_ms = 5000, .create = false}));
  KANSLI_ASSIGN_OR_RETURN(auto verified, audit::verifyAuditChain(*pg));
  if (verified.first_problem) {
    return std::unexpected(
        Error::internal("granskningskedjan är bruten i kopian: " + *verified.first_problem));
  }
  std::string target_tip;
  auto tip_hash = pg->read([](store::Tx& tx) { return tx.audit().tip(); });
  if (!tip_hash) return std::unexpected(tip_hash.error());
  if (*tip_hash) target_tip = (*tip_hash)->hash;
  if (target_tip != source_tip) {
    return std::unexpected(Error::internal("granskningskedjans sista hash skiljer sig: källan " +
                                           source_tip + ", kopian " + target_tip));
  }
  report.audit_events = verified.events_checked;
  report.audit_tip_hash = target_tip;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace kansli
