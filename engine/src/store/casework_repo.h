// Case work (kansli/casework.h): memo versions, and where a case stands with
// its committee (what the workflow's guards ask).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kansli/error.h"

namespace kansli::store {

struct MemoRow {
  std::int64_t case_id = 0;
  int version = 0;
  std::string xml;
  std::string sha256;
  std::string created_at;
  std::string created_by;
  std::optional<std::string> approved_at;
  std::optional<std::string> approved_by;
  // Kept at approval (migration 0009): the template it was approved with
  // (kept_templates) and its running number, when the template gives one.
  std::optional<std::string> template_sha256;
  std::optional<std::string> number;
};

// Where a case stands with the committee: its latest agenda item.
struct AgendaStatus {
  bool on_agenda = false;  // on an agenda, not yet decided
  std::optional<std::int64_t> meeting_id;
  std::optional<int> position;
  std::optional<std::string> outcome;  // the decision's, when recorded
  std::optional<int> paragraph;
  std::optional<std::string> meeting_date;
  bool attested = false;
  std::optional<std::string> posted_on;
  std::optional<std::string> appeal_until;
};

class CaseworkRepo {
 public:
  virtual ~CaseworkRepo() = default;
  virtual Result<std::optional<MemoRow>> memoLatest(std::int64_t case_id) = 0;
  virtual Result<std::optional<MemoRow>> memoVersion(std::int64_t case_id, int version) = 0;
  virtual Result<std::vector<MemoRow>> memoVersions(std::int64_t case_id) = 0;  // without xml
  virtual Result<void> memoInsert(const MemoRow& m) = 0;
  virtual Result<void> memoApprove(std::int64_t case_id, int version, const std::string& at,
                                   const std::string& by) = 0;
  // What approval keeps: the template's files once per content (a second
  // keep of the same sha256 is a no-op), and on the version its template and
  // running number. keptTemplate answers the files kept under `sha256`.
  virtual Result<void> templateKeep(const std::string& sha256, const std::string& name,
                                    const std::string& files) = 0;
  virtual Result<std::optional<std::string>> keptTemplate(const std::string& sha256) = 0;
  virtual Result<void> memoApprovalKeep(std::int64_t case_id, int version, const std::string& template_sha256,
                                        const std::optional<std::string>& number) = 0;
  // The next running number of a template's <numbering series> in `year`,
  // drawn in the caller's transaction (no gaps: a rolled-back approval draws nothing).
  virtual Result<int> memoNumberDraw(const std::string& series, int year) = 0;

  virtual Result<AgendaStatus> caseAgendaStatus(std::int64_t case_id) = 0;
  virtual Result<bool> documentKindExists(std::int64_t case_id, const std::string& kind) = 0;
};

}  // namespace kansli::store
