#include "store/audit_repo.h"
#include "store/sqlite/sqlite.h"

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
class SqliteAudit final : public AuditRepo {
 public:
  explicit SqliteAudit(SqliteTx& tx) : tx_(tx) {}
  Result<std::optional<ChainTip>> tip() override;
  Result<void> insert(const audit::Event& e) override;
  Result<std::vector<audit::Event>> byCase(std::int64_t case_id) override;
  Result<void> scan(const std::function<bool(const audit::Event&)>& fn) override;
  Result<std::int64_t> count() override;

 private:
  SqliteTx& tx_;
};

}  // namespace

Result<std::optional<ChainTip>> SqliteAudit::tip() {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"));
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  if (!row) return std::optional<ChainTip>{};
  return std::optional<ChainTip>{ChainTip{s.i64(0), s.str(1)}};
}

Result<void> SqliteAudit::insert(const audit::Event& e) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO audit_events(seq, at, actor, role, action, case_id, detail, prev_hash, hash)"
      " VALUES(?,?,?,?,?,?,?,?,?)"));
  s.bind(1, e.seq).bind(2, e.at).bind(3, e.actor).bind(4, e.role).bind(5, e.action);
  s.bind(6, e.case_id).bind(7, e.detail).bind(8, e.prev_hash).bind(9, e.hash);
  return s.run();
}

Result<std::vector<audit::Event>> SqliteAudit::byCase(std::int64_t case_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT seq, at, actor, role, action, case_id, detail, prev_hash, hash FROM audit_events"
      " WHERE case_id = ? ORDER BY seq"));
  s.bind(1, case_id);
  std::vector<audit::Event> out;
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) break;
    out.push_back(eventFrom(s));
  }
  return out;
}

Result<void> SqliteAudit::scan(const std::function<bool(const audit::Event&)>& fn) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT seq, at, actor, role, action, case_id, detail, prev_hash, hash FROM audit_events"
      " ORDER BY seq"));
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) return {};
    if (!fn(eventFrom(s))) return {};
  }
}

Result<std::int64_t> SqliteAudit::count() {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT count(*) FROM audit_events"));
  KANSLI_TRY(s.step());
  return s.i64(0);
}

std::unique_ptr<AuditRepo> makeAuditRepo(SqliteTx& tx) { return std::make_unique<SqliteAudit>(tx); }

}  // namespace kansli::store
