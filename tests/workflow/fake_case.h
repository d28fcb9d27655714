// A case held in plain fields, standing in for the diarium's GuardContext, and
// a helper that applies a Step's effects to it the way the diarium will.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "kansli/workflow.h"

namespace kansli::workflow::testing {

struct FakeCase : GuardContext {
  std::string state;
  std::set<std::string, std::less<>> fields;   // set on the case: "unit", "officer"
  std::set<std::string, std::less<>> request;  // carried by the request: "unit", "comment"
  bool draft = false;
  bool approved = false;
  bool agenda = false;
  std::optional<std::string> outcome;
  bool attested = false;
  bool posted = false;
  bool laga_kraft = false;
  std::set<std::string, std::less<>> documents;
  bool has_deadline = false;

  bool fieldSet(std::string_view f) const override { return fields.contains(f); }
  bool requestHas(std::string_view f) const override { return request.contains(f); }
  bool memoHasDraft() const override { return draft; }
  bool memoApproved() const override { return approved; }
  bool onAgenda() const override { return agenda; }
  bool decisionRecorded() const override { return outcome.has_value(); }
  std::optional<std::string> decisionOutcome() const override { return outcome; }
  bool minutesAttested() const override { return attested; }
  bool minutesPosted() const override { return posted; }
  bool appealPeriodOver() const override { return laga_kraft; }
  bool documentRegistered(std::string_view kind) const override { return documents.contains(kind); }

  // What the diarium does with a Step, reduced to these fields.
  void apply(const Step& step) {
    for (const auto& e : step.effects) {
      switch (e.kind) {
        case EffectKind::kAssign:
          fields.insert(e.arg);
          break;
        case EffectKind::kSetDeadline:
          has_deadline = true;
          break;
        case EffectKind::kClearDeadline:
          has_deadline = false;
          break;
        case EffectKind::kRegisterDocument:
          documents.insert(e.arg);
          break;
        case EffectKind::kApproveMemo:
          approved = true;
          break;
      }
    }
    state = step.to;
    request.clear();
  }
};

// A context in which every guard holds.
inline FakeCase everythingHolds() {
  FakeCase c;
  c.fields = {"unit", "officer"};
  c.request = {"unit", "officer", "comment"};
  c.draft = c.approved = c.agenda = c.attested = c.posted = c.laga_kraft = true;
  c.outcome = "bifall";
  c.documents = {"tjansteskrivelse", "yttrande", "protokollsutdrag", "skrivelse", "aterkallelse"};
  return c;
}

}  // namespace kansli::workflow::testing
