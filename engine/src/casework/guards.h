// Internal: the workflow's GuardContext answered from the store, inside the
// transaction that takes (or lists) transitions.
#pragma once

#include "kansli/casework.h"
#include "kansli/diarium.h"
#include "kansli/workflow.h"
#include "store/casework_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

class StoreGuardContext final : public workflow::GuardContext {
 public:
  StoreGuardContext(store::Tx& tx, const Case& c, const TransitionRequest* req,
                    std::string today);
  bool fieldSet(std::string_view field) const override;
  bool requestHas(std::string_view field) const override;
  bool memoHasDraft() const override;
  bool memoApproved() const override;
  bool onAgenda() const override;
  bool decisionRecorded() const override;
  std::optional<std::string> decisionOutcome() const override;
  bool minutesAttested() const override;
  bool minutesPosted() const override;
  bool appealPeriodOver() const override;
  bool documentRegistered(std::string_view kind) const override;
  // A store error while answering: the guards said "no", but the caller must
  // report the error instead of the guard.
  const std::optional<Error>& failure() const { return failure_; }

 private:
  const store::AgendaStatus& agenda() const;
  store::Tx& tx_;
  const Case& case_;
  const TransitionRequest* req_;
  std::string today_;
  mutable std::optional<store::AgendaStatus> agenda_;
  mutable std::optional<std::optional<store::MemoRow>> memo_;
  mutable std::optional<Error> failure_;
  const std::optional<store::MemoRow>& memo() const;
};

}  // namespace kansli
