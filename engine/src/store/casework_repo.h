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

  virtual Result<AgendaStatus> caseAgendaStatus(std::int64_t case_id) = 0;
  virtual Result<bool> documentKindExists(std::int64_t case_id, const std::string& kind) = 0;
};

}  // namespace kansli::store
