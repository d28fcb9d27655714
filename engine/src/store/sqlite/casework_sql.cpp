#include "store/casework_repo.h"
#include "store/sqlite/sqlite.h"

namespace kansli::store {
namespace {
MemoRow memoFrom(const Stmt& s) {
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
Result<std::optional<MemoRow>> oneMemo(Stmt& s) {
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  if (!row) return std::optional<MemoRow>{};
  return std::optional<MemoRow>{memoFrom(s)};
}
class SqliteCasework final : public CaseworkRepo {
 public:
  explicit SqliteCasework(SqliteTx& tx) : tx_(tx) {}
  Result<std::optional<MemoRow>> memoLatest(std::int64_t case_id) override;
  Result<std::optional<MemoRow>> memoVersion(std::int64_t case_id, int version) override;
  Result<std::vector<MemoRow>> memoVersions(std::int64_t case_id) override;
  Result<void> memoInsert(const MemoRow& m) override;
  Result<void> memoApprove(std::int64_t case_id, int version, const std::string& at, const std::string& by) override;
  Result<AgendaStatus> caseAgendaStatus(std::int64_t case_id) override;
  Result<bool> documentKindExists(std::int64_t case_id, const std::string& kind) override;

 private:
  SqliteTx& tx_;
};

}  // namespace

Result<std::optional<MemoRow>> SqliteCasework::memoLatest(std::int64_t case_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT case_id, version, xml, sha256, created_at, created_by, approved_at, approved_by"
      " FROM memo_versions WHERE case_id = ? ORDER BY version DESC LIMIT 1"));
  s.bind(1, case_id);
  return oneMemo(s);
}

Result<std::optional<MemoRow>> SqliteCasework::memoVersion(std::int64_t case_id, int version) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT case_id, version, xml, sha256, created_at, created_by, approved_at, approved_by"
      " FROM memo_versions WHERE case_id = ? AND version = ?"));
  s.bind(1, case_id).bind(2, version);
  return oneMemo(s);
}

Result<std::vector<MemoRow>> SqliteCasework::memoVersions(std::int64_t case_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT case_id, version, '', sha256, created_at, created_by, approved_at, approved_by"
      " FROM memo_versions WHERE case_id = ? ORDER BY version"));
  s.bind(1, case_id);
  std::vector<MemoRow> out;
  while (true) {
    KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
    if (!row) return out;
    out.push_back(memoFrom(s));
  }
}

Result<void> SqliteCasework::memoInsert(const MemoRow& m) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "INSERT INTO memo_versions(case_id, version, xml, sha256, created_at, created_by)"
      " VALUES(?,?,?,?,?,?)"));
  s.bind(1, m.case_id).bind(2, m.version).bind(3, m.xml).bind(4, m.sha256);
  s.bind(5, m.created_at).bind(6, m.created_by);
  return s.run();
}

Result<void> SqliteCasework::memoApprove(std::int64_t case_id, int version, const std::string& at,
                         const std::string& by) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "UPDATE memo_versions SET approved_at = ?, approved_by = ? WHERE case_id = ? AND version = ?"));
  s.bind(1, at).bind(2, by).bind(3, case_id).bind(4, version);
  return s.run();
}

Result<AgendaStatus> SqliteCasework::caseAgendaStatus(std::int64_t case_id) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare(
      "SELECT a.meeting_id, a.position, d.outcome, a.paragraph, m.date, m.attested_at,"
      " m.posted_on, m.appeal_until FROM agenda_items a"
      " JOIN meetings m ON m.id = a.meeting_id"
      " LEFT JOIN decisions d ON d.meeting_id = a.meeting_id AND d.position = a.position"
      " WHERE a.case_id = ? ORDER BY m.date DESC, m.id DESC LIMIT 1"));
  s.bind(1, case_id);
  KANSLI_ASSIGN_OR_RETURN(auto row, s.step());
  AgendaStatus st;
  if (!row) return st;
  st.meeting_id = s.i64(0);
  st.position = static_cast<int>(s.i64(1));
  st.outcome = s.optStr(2);
  if (!s.isNull(3)) st.paragraph = static_cast<int>(s.i64(3));
  st.meeting_date = s.str(4);
  st.attested = !s.isNull(5);
  st.posted_on = s.optStr(6);
  st.appeal_until = s.optStr(7);
  st.on_agenda = !st.outcome;
  return st;
}

Result<bool> SqliteCasework::documentKindExists(std::int64_t case_id, const std::string& kind) {
  KANSLI_ASSIGN_OR_RETURN(auto s, tx_.prepare("SELECT 1 FROM documents WHERE case_id = ? AND kind = ? LIMIT 1"));
  s.bind(1, case_id).bind(2, kind);
  return s.step();
}

std::unique_ptr<CaseworkRepo> makeCaseworkRepo(SqliteTx& tx) { return std::make_unique<SqliteCasework>(tx); }

}  // namespace kansli::store
