#include "testing/audit_tail.h"

#include <sqlite3.h>

#include <stdexcept>

#include "testing/database.h"

namespace kansli::testing {

AuditTail::AuditTail(const std::string& data_dir) {
  if (onPostgres()) {
    pg_ = std::make_unique<PgConnection>(databaseUrlFor(data_dir));
    return;
  }
  const std::string database_file = data_dir + "/kansli.db";
  if (sqlite3_open_v2(database_file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db_);
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + database_file + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  if (sqlite3_prepare_v2(db_, "SELECT coalesce(max(seq), 0) FROM audit_events", -1, &last_,
                         nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_,
                         "SELECT seq, actor, action, case_id FROM audit_events WHERE seq > ? "
                         "ORDER BY seq",
                         -1, &after_, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db_);
    sqlite3_finalize(last_);
    sqlite3_finalize(after_);
    sqlite3_close(db_);
    throw std::runtime_error("cannot read audit_events: " + message);
  }
}

AuditTail::~AuditTail() {
  sqlite3_finalize(last_);
  sqlite3_finalize(after_);
  sqlite3_close(db_);
}

std::int64_t AuditTail::mark() {
  if (pg_) {
    auto rows = pg_->query("SELECT coalesce(max(seq), 0) FROM audit_events");
    return std::stoll(rows.at(0).at(0));
  }
  sqlite3_reset(last_);
  if (sqlite3_step(last_) != SQLITE_ROW) throw std::runtime_error(sqlite3_errmsg(db_));
  std::int64_t seq = sqlite3_column_int64(last_, 0);
  sqlite3_reset(last_);
  return seq;
}

std::vector<AuditRow> AuditTail::since(std::int64_t seq) {
  std::vector<AuditRow> out;
  if (pg_) {
    for (const auto& row : pg_->query("SELECT seq, actor, action, case_id FROM audit_events"
                                      " WHERE seq > " + std::to_string(seq) + " ORDER BY seq")) {
      AuditRow r;
      r.seq = std::stoll(row.at(0));
      r.actor = row.at(1);
      r.action = row.at(2);
      if (!row.at(3).empty()) r.case_id = std::stoll(row.at(3));
      out.push_back(std::move(r));
    }
    return out;
  }
  sqlite3_reset(after_);
  sqlite3_bind_int64(after_, 1, seq);
  int rc;
  while ((rc = sqlite3_step(after_)) == SQLITE_ROW) {
    AuditRow r;
    r.seq = sqlite3_column_int64(after_, 0);
    auto text = [&](int col) {
      const unsigned char* t = sqlite3_column_text(after_, col);
      return t ? std::string(reinterpret_cast<const char*>(t),
                             static_cast<size_t>(sqlite3_column_bytes(after_, col)))
               : std::string();
    };
    r.actor = text(1);
    r.action = text(2);
    if (sqlite3_column_type(after_, 3) != SQLITE_NULL) r.case_id = sqlite3_column_int64(after_, 3);
    out.push_back(std::move(r));
  }
  sqlite3_reset(after_);
  if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
  return out;
}

}  // namespace kansli::testing
