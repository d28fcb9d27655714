#include "store/repos.h"
#include "store/sqlite.h"

namespace kansli::store {
namespace {
audit::Event eventFrom(const Stmt& s) {
  audit::Event e;
  e.seq = s.i64(0);
  e.at = s.str(1);
  e.actor = s.str(2);
  e.role = s.str(3);
  e.action = s.str(4);
  if (!s.isNull(5)) e.case_id = s.i64(5);
  e.detail = s.str(6);
  e.prev_hash = s.str(7);
  e.hash = s.str(8);
  return e;
}
}  // namespace

Result<std::optional<ChainTip>> auditTip(Tx& tx) {
  auto s = tx.prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
  if (!s) return std::unexpected(s.error());
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<ChainTip>{};
  return std::optional<ChainTip>{ChainTip{s->i64(0), s->str(1)}};
}

Result<void> auditInsert(Tx& tx, const audit::Event& e) {
  auto s = tx.prepare(
      "INSERT INTO audit_events(seq, at, actor, role, action, case_id, detail, prev_hash, hash)"
      " VALUES(?,?,?,?,?,?,?,?,?)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, e.seq).bind(2, e.at).bind(3, e.actor).bind(4, e.role).bind(5, e.action);
  s->bind(6, e.case_id).bind(7, e.detail).bind(8, e.prev_hash).bind(9, e.hash);
  return s->run();
}

Result<std::vector<audit::Event>> auditByCase(Tx& tx, std::int64_t case_id) {
  auto s = tx.prepare(
      "SELECT seq, at, actor, role, action, case_id, detail, prev_hash, hash FROM audit_events"
      " WHERE case_id = ? ORDER BY seq");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id);
  std::vector<audit::Event> out;
  while (true) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back(eventFrom(*s));
  }
  return out;
}

Result<void> auditScan(Tx& tx, const std::function<bool(const audit::Event&)>& fn) {
  auto s = tx.prepare(
      "SELECT seq, at, actor, role, action, case_id, detail, prev_hash, hash FROM audit_events"
      " ORDER BY seq");
  if (!s) return std::unexpected(s.error());
  while (true) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
    if (!fn(eventFrom(*s))) return {};
  }
}

}  // namespace kansli::store
