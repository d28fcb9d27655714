#include "store/audit_repo.h"
#include "store/postgres/pg.h"

namespace kansli::store {
namespace {
audit::Event eventFrom(const PgStmt& s) {
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
class PgAudit final : public AuditRepo {
 public:
  explicit PgAudit(PgTx& tx) : tx_(tx) {}
  Result<std::optional<ChainTip>> tip() override;
  Result<void> insert(const audit::Event& e) override;
  Result<std::vector<audit::Event>> byCase(std::int64_t case_id) override;
  Result<void> scan(const std::function<bool(const audit::Event&)>& fn) override;
  Result<std::int64_t> count() override;

 private:
  PgTx& tx_;
};

}  // namespace

// The tip is its own row (migration 0001): the row every write batch locks
// first, so the nodes extend one chain (store/postgres/store.cpp).
Result<std::optional<ChainTip>> PgAudit::tip() {
  auto s = tx_.prepare("SELECT seq, hash FROM audit_chain_tip WHERE id = 1 AND seq > 0");
  if (!s) return std::unexpected(s.error());
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<ChainTip>{};
  return std::optional<ChainTip>{ChainTip{s->i64(0), s->str(1)}};
}

Result<void> PgAudit::insert(const audit::Event& e) {
  auto s = tx_.prepare(
      "INSERT INTO audit_events(seq, at, actor, role, action, case_id, detail, prev_hash, hash)"
      " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, e.seq).bind(2, e.at).bind(3, e.actor).bind(4, e.role).bind(5, e.action);
  s->bind(6, e.case_id).bind(7, e.detail).bind(8, e.prev_hash).bind(9, e.hash);
  KANSLI_TRY(s->run());
  // Only forward: an event appended out of order is refused by the
  // primary key above or leaves the tip where the newest event is.
  auto t = tx_.prepare("UPDATE audit_chain_tip SET seq = $1, hash = $2 WHERE id = 1 AND seq < $1");
  if (!t) return std::unexpected(t.error());
  t->bind(1, e.seq).bind(2, e.hash);
  return t->run();
}

Result<std::vector<audit::Event>> PgAudit::byCase(std::int64_t case_id) {
  auto s = tx_.prepare(
      "SELECT seq, at, actor, role, action, case_id, detail, prev_hash, hash FROM audit_events"
      " WHERE case_id = $1 ORDER BY seq");
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

Result<void> PgAudit::scan(const std::function<bool(const audit::Event&)>& fn) {
  // In pages, so memory stays constant however long the chain: a result set
  // is held whole by libpq. The read transaction's snapshot keeps the pages
  // consistent with each other.
  std::int64_t after = 0;
  while (true) {
    auto s = tx_.prepare(
        "SELECT seq, at, actor, role, action, case_id, detail, prev_hash, hash FROM audit_events"
        " WHERE seq > $1 ORDER BY seq LIMIT 5000");
    if (!s) return std::unexpected(s.error());
    s->bind(1, after);
    bool any = false;
    while (true) {
      auto row = s->step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      any = true;
      audit::Event e = eventFrom(*s);
      after = e.seq;
      if (!fn(e)) return {};
    }
    if (!any) return {};
  }
}

Result<std::int64_t> PgAudit::count() {
  auto s = tx_.prepare("SELECT count(*) FROM audit_events");
  if (!s) return std::unexpected(s.error());
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  return s->i64(0);
}

std::unique_ptr<AuditRepo> makePgAuditRepo(PgTx& tx) { return std::make_unique<PgAudit>(tx); }

}  // namespace kansli::store
