#include "casework/guards.h"

namespace kansli {

StoreGuardContext::StoreGuardContext(store::Tx& tx, const Case& c, const TransitionRequest* req,
                                     std::string today)
    : tx_(tx), case_(c), req_(req), today_(std::move(today)) {}

bool StoreGuardContext::fieldSet(std::string_view field) const {
  if (field == "unit") return case_.unit.has_value() && !case_.unit->empty();
  if (field == "officer") return case_.officer.has_value() && !case_.officer->empty();
  return false;
}

bool StoreGuardContext::requestHas(std::string_view field) const {
  if (!req_) return false;
  auto has = [](const std::optional<std::string>& v) { return v && !v->empty(); };
  if (field == "unit") return has(req_->unit);
  if (field == "officer") return has(req_->officer);
  if (field == "comment") return has(req_->comment);
  return false;
}

const std::optional<store::MemoRow>& StoreGuardContext::memo() const {
  if (!memo_) {
    auto m = tx_.casework().memoLatest(case_.id);
    if (!m) {
      failure_ = m.error();
      memo_.emplace(std::nullopt);
    } else {
      memo_.emplace(std::move(*m));
    }
  }
  return *memo_;
}

bool StoreGuardContext::memoHasDraft() const { return memo().has_value(); }

bool StoreGuardContext::memoApproved() const {
  return memo().has_value() && memo()->approved_at.has_value();
}

const store::AgendaStatus& StoreGuardContext::agenda() const {
  if (!agenda_) {
    auto a = tx_.casework().caseAgendaStatus(case_.id);
    if (!a) {
      failure_ = a.error();
      agenda_.emplace();
    } else {
      agenda_ = std::move(*a);
    }
  }
  return *agenda_;
}

bool StoreGuardContext::onAgenda() const { return agenda().on_agenda; }
bool StoreGuardContext::decisionRecorded() const { return agenda().outcome.has_value(); }
std::optional<std::string> StoreGuardContext::decisionOutcome() const { return agenda().outcome; }
bool StoreGuardContext::minutesAttested() const {
  return agenda().outcome.has_value() && agenda().attested;
}
bool StoreGuardContext::minutesPosted() const {
  return minutesAttested() && agenda().posted_on.has_value();
}
bool StoreGuardContext::appealPeriodOver() const {
  // The appeal may come in on the last day itself; laga kraft the day after.
  return minutesPosted() && agenda().appeal_until && *agenda().appeal_until < today_;
}

bool StoreGuardContext::documentRegistered(std::string_view kind) const {
  auto r = tx_.casework().documentKindExists(case_.id, std::string(kind));
  if (!r) {
    failure_ = r.error();
    return false;
  }
  return *r;
}

}  // namespace kansli
