// Correcting the record, the right way: a new version of a decision until
// the minutes are attested (the old one kept with who replaced it and why);
// after justering only a rättelse, reported in the committee's next protocol.
#include <algorithm>

#include "kansli/calendar.h"
#include "kansli/meetings.h"
#include "kansli/text.h"
#include "meetings/records.h"
#include "meetings/rules.h"
#include "store/casework_repo.h"
#include "store/diarium_repo.h"
#include "store/meetings_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

using meetings::loadMeeting;
using meetings::requireSecretaryOf;
using meetings::ruleBroken;

namespace {

Result<AgendaItem> itemAt(const Meeting& m, int position) {
  for (const auto& a : m.items) {
    if (a.position == position) return a;
  }
  return std::unexpected(
      Error::notFound("punkt " + std::to_string(position) + " finns inte på dagordningen"));
}

Result<Decision> decisionAt(store::Tx& tx, std::int64_t meeting_id, int position) {
  KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
  KANSLI_ASSIGN_OR_RETURN(auto item, itemAt(m, position));
  if (!item.decision) return std::unexpected(Error::internal("beslutet försvann"));
  return *item.decision;
}

Result<void> checkReason(const std::string& reason) {
  if (text::trim(reason).empty()) {
    return std::unexpected(Error::invalid("ange varför", {{"reason", "skälet sparas i beslutets historik"}}));
  }
  if (reason.size() > 2000) return std::unexpected(Error::invalid("för långt", {{"reason", "högst 2000 tecken"}}));
  return ok();
}

}  // namespace

Result<Decision> Meetings::correctDecision(std::int64_t meeting_id, int position,
                                           const DecisionInput& d, const std::string& reason,
                                           const User& user) {
  auto errors = meetings::checkDecisionShape(d);
  if (auto r = checkReason(reason); !r) {
    for (const auto& f : r.error().fields) errors.push_back(f);
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("rättelsen är inte giltig", errors));
  return store_.write([&](store::Tx& tx) -> Result<Decision> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    KANSLI_ASSIGN_OR_RETURN(auto item, itemAt(m, position));
    if (!item.decision) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                        "punkt " + std::to_string(position) +
                                            " har inget beslut att rätta; registrera det först"));
    }
    if (m.attested_at) {
      return std::unexpected(ruleBroken(
          ErrorCode::kConflict,
          "protokollet är justerat: beslutet kan inte ändras, bara rättas genom en rättelse som "
          "anmäls i nästa protokoll"));
    }
    KANSLI_TRY(meetings::checkDecisionAt(d, m, item, org_));
    const Decision& old = *item.decision;
    // The case already moved with the first version; a correction may not
    // move it somewhere else (that is a new decision: återremiss, bordläggning).
    if (item.case_id && d.outcome != old.outcome) {
      KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*item.case_id));
      KANSLI_ASSIGN_OR_RETURN(auto wf, flow_.workflowOf(*c));
      // From the state the case was in when the decision was recorded: the
      // state its first version's transition came from.
      const workflow::Transition* before = nullptr;
      const workflow::Transition* now = nullptr;
      for (const auto& t : wf->transitions) {
        for (const auto& g : t.guards) {
          if (g.kind != workflow::GuardKind::kDecisionOutcome || t.to != c->state) continue;
          if (std::find(g.args.begin(), g.args.end(), old.outcome) != g.args.end()) before = &t;
        }
      }
      if (before) {
        for (const auto& from : before->from) {
          now = meetings::findTransition(*wf, from, workflow::GuardKind::kDecisionOutcome, d.outcome);
          if (now) break;
        }
      }
      if (!before || !now || now->to != before->to) {
        return std::unexpected(ruleBroken(
            ErrorCode::kConflict, "utfallet kan inte rättas från " + outcomeText(old.outcome) +
                                      " till " + outcomeText(d.outcome) +
                                      ": ärendet skulle hamna i ett annat läge. Det är ett nytt "
                                      "beslut, inte en rättelse."));
      }
    }
    const std::string now = formatInstant(clock_.now());
    store::DecisionVersionRow v;
    v.decision_id = old.id;
    v.version = old.version;
    v.outcome = old.outcome;
    v.text = old.text;
    v.details_json = meetings::detailsJson(old.input);
    v.recorded_at = old.recorded_at;
    v.recorded_by = old.recorded_by;
    v.replaced_at = now;
    v.replaced_by = user.username;
    v.reason = text::trim(reason);
    KANSLI_TRY(tx.meetings().decisionVersionInsert(v));
    const Committee* cm = org_.committee(m.committee);
    store::DecisionRow row;
    row.id = old.id;
    row.meeting_id = meeting_id;
    row.position = position;
    row.case_id = item.case_id;
    row.outcome = d.outcome;
    row.text = meetings::decisionText(d, cm ? cm->name : m.committee);
    row.details_json = meetings::detailsJson(d);
    row.recorded_at = now;
    row.recorded_by = user.username;
    row.version = old.version + 1;
    KANSLI_TRY(tx.meetings().decisionUpdate(row));
    bool secret_case = false;
    std::string memo_text;
    if (item.case_id) {
      KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*item.case_id));
      secret_case = c && c->secrecy;
      KANSLI_ASSIGN_OR_RETURN(auto memo, tx.casework().memoLatest(*item.case_id));
      if (!secret_case && memo && memo->approved_at) {
        if (auto parsed = parseMemo(memo->xml, "memo")) memo_text = meetings::memoPlainText(*parsed);
      }
    }
    KANSLI_TRY(tx.meetings().decisionIndex(
        old.id, secret_case ? item.title : item.title + "\n" + row.text, memo_text));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("position", position);
    detail.set("version", row.version);
    detail.set("reason", v.reason);
    detail.set("outcome_before", old.outcome);
    detail.set("outcome", d.outcome);
    detail.set("text_before", old.text);
    detail.set("text", row.text);
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {user.actor(), "decision.correct", item.case_id, detail.json()}));
    return decisionAt(tx, meeting_id, position);
  });
}

Result<Decision> Meetings::rectify(std::int64_t meeting_id, int position, const std::string& txt,
                                   const std::string& reason, const User& user) {
  std::vector<FieldError> errors;
  if (text::trim(txt).empty()) errors.push_back({"text", "skriv den riktiga lydelsen"});
  if (txt.size() > 20000) errors.push_back({"text", "för lång"});
  if (auto r = checkReason(reason); !r) {
    for (const auto& f : r.error().fields) errors.push_back(f);
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("rättelsen är inte giltig", errors));
  return store_.write([&](store::Tx& tx) -> Result<Decision> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    KANSLI_ASSIGN_OR_RETURN(auto item, itemAt(m, position));
    if (!item.decision) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                        "punkt " + std::to_string(position) + " har inget beslut"));
    }
    if (!m.attested_at) {
      return std::unexpected(ruleBroken(
          ErrorCode::kConflict,
          "protokollet är inte justerat: rätta beslutet med en ny version (PUT) i stället"));
    }
    store::RectificationRow r;
    r.decision_id = item.decision->id;
    r.text = text::trim(txt);
    r.reason = text::trim(reason);
    r.recorded_at = formatInstant(clock_.now());
    r.recorded_by = user.username;
    KANSLI_ASSIGN_OR_RETURN(auto id, tx.meetings().rectificationInsert(r));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("position", position);
    detail.set("rectification", id);
    detail.set("text", r.text);
    detail.set("reason", r.reason);
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {user.actor(), "decision.rectify", item.case_id, detail.json()}));
    return decisionAt(tx, meeting_id, position);
  });
}

}  // namespace kansli
