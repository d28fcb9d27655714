#include "store/casework_repo.h"
#include "store/postgres/pg.h"

namespace kansli::store {
namespace {
MemoRow memoFrom(const PgStmt& s) {
  MemoRow m;
  m.case_id = s.i64(0);
  m.version = static_cast<int>(s.i64(1));
  m.xml = s.str(2);
  m.sha256 = s.str(3);
  m.created_at = s.str(4);
  m.created_by = s.str(5);
  m.approved_at = s.optStr(6);
  m.approved_by = s.optStr(7);
  return m;
}
Result<std::optional<MemoRow>> oneMemo(PgStmt& s) {
  auto row = s.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<MemoRow>{};
  return std::optional<MemoRow>{memoFrom(s)};
}
class PgCasework final : public CaseworkRepo {
 public:
  explicit PgCasework(PgTx& tx) : tx_(tx) {}
  Result<std::optional<MemoRow>> memoLatest(std::int64_t case_id) override;
  Result<std::optional<MemoRow>> memoVersion(std::int64_t case_id, int version) override;
  Result<std::vector<MemoRow>> memoVersions(std::int64_t case_id) override;
  Result<void> memoInsert(const MemoRow& m) override;
  Result<void> memoApprove(std::int64_t case_id, int version, const std::string& at, const std::string& by) override;
  Result<AgendaStatus> caseAgendaStatus(std::int64_t case_id) override;
  Result<bool> documentKindExists(std::int64_t case_id, const std::string& kind) override;

 private:
  PgTx& tx_;
};

}  // namespace

Result<std::optional<MemoRow>> PgCasework::memoLatest(std::int64_t case_id) {
  auto s = tx_.prepare(
      "SELECT case_id, version, xml, sha256, created_at, created_by, approved_at, approved_by"
      " FROM memo_versions WHERE case_id = $1 ORDER BY version DESC LIMIT 1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id);
  return oneMemo(*s);
}

Result<std::optional<MemoRow>> PgCasework::memoVersion(std::int64_t case_id, int version) {
  auto s = tx_.prepare(
      "SELECT case_id, version, xml, sha256, created_at, created_by, approved_at, approved_by"
      " FROM memo_versions WHERE case_id = $1 AND version = $2");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id).bind(2, version);
  return oneMemo(*s);
}

Result<std::vector<MemoRow>> PgCasework::memoVersions(std::int64_t case_id) {
  auto s = tx_.prepare(
      "SELECT case_id, version, '', sha256, created_at, created_by, approved_at, approved_by"
      " FROM memo_versions WHERE case_id = $1 ORDER BY version");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id);
  std::vector<MemoRow> out;
  while (true) {
    auto row = s->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    out.push_back(memoFrom(*s));
  }
}

Result<void> PgCasework::memoInsert(const MemoRow& m) {
  auto s = tx_.prepare(
      "INSERT INTO memo_versions(case_id, version, xml, sha256, created_at, created_by)"
      " VALUES($1,$2,$3,$4,$5,$6)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, m.case_id).bind(2, m.version).bind(3, m.xml).bind(4, m.sha256);
  s->bind(5, m.created_at).bind(6, m.created_by);
  return s->run();
}

Result<void> PgCasework::memoApprove(std::int64_t case_id, int version, const std::string& at,
                         const std::string& by) {
  auto s = tx_.prepare(
      "UPDATE memo_versions SET approved_at = $1, approved_by = $2 WHERE case_id = $3 AND version = $4");
  if (!s) return std::unexpected(s.error());
  s->bind(1, at).bind(2, by).bind(3, case_id).bind(4, version);
  return s->run();
}

Result<AgendaStatus> PgCasework::caseAgendaStatus(std::int64_t case_id) {
  auto s = tx_.prepare(
      "SELECT a.meeting_id, a.position, d.outcome, a.paragraph, m.date, m.attested_at,"
      " m.posted_on, m.appeal_until FROM agenda_items a"
      " JOIN meetings m ON m.id = a.meeting_id"
      " LEFT JOIN decisions d ON d.meeting_id = a.meeting_id AND d.position = a.position"
      " WHERE a.case_id = $1 ORDER BY m.date DESC, m.id DESC LIMIT 1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id);
  auto row = s->step();
  if (!row) return std::unexpected(row.error());
  AgendaStatus st;
  if (!*row) return st;
  st.meeting_id = s->i64(0);
  st.position = static_cast<int>(s->i64(1));
  st.outcome = s->optStr(2);
  if (!s->isNull(3)) st.paragraph = static_cast<int>(s->i64(3));
  st.meeting_date = s->str(4);
  st.attested = !s->isNull(5);
  st.posted_on = s->optStr(6);
  st.appeal_until = s->optStr(7);
  st.on_agenda = !st.outcome;
  return st;
}

Result<bool> PgCasework::documentKindExists(std::int64_t case_id, const std::string& kind) {
  auto s = tx_.prepare("SELECT 1 FROM documents WHERE case_id = $1 AND kind = $2 LIMIT 1");
  if (!s) return std::unexpected(s.error());
  s->bind(1, case_id).bind(2, kind);
  return s->step();
}

std::unique_ptr<CaseworkRepo> makePgCaseworkRepo(PgTx& tx) { return std::make_unique<PgCasework>(tx); }

}  // namespace kansli::store
