// Meetings: the secretary's steps from a new meeting to posted minutes, each
// one write transaction that moves the cases it concerns with it.
#include "kansli/meetings.h"

#include <algorithm>
#include <set>

#include "access/seen.h"
#include "kansli/calendar.h"
#include "kansli/text.h"
#include "meetings/records.h"
#include "store/accounts_repo.h"
#include "store/casework_repo.h"
#include "store/diarium_repo.h"
#include "store/meetings_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

using meetings::attendanceJson;
using meetings::decisionText;
using meetings::detailsJson;
using meetings::findTransition;
using meetings::loadMeeting;
using meetings::requireSecretaryOf;
using meetings::ruleBroken;

namespace {

std::vector<FieldError> checkNewMeeting(const NewMeeting& nm, const Organisation& org) {
  std::vector<FieldError> errors;
  if (!org.committee(nm.committee)) errors.push_back({"committee", "okänd nämnd: " + nm.committee});
  std::chrono::year_month_day d;
  if (!parseDate(nm.date, d)) errors.push_back({"date", "måste vara ett datum ÅÅÅÅ-MM-DD"});
  if (nm.time && (nm.time->size() != 5 || (*nm.time)[2] != ':')) {
    errors.push_back({"time", "skrivs TT:MM"});
  }
  if (nm.place && nm.place->size() > 200) errors.push_back({"place", "för lång"});
  return errors;
}

std::vector<FieldError> checkDecision(const DecisionInput& d) {
  std::vector<FieldError> errors;
  const auto& outcomes = decisionOutcomeIds();
  if (std::find(outcomes.begin(), outcomes.end(), d.outcome) == outcomes.end()) {
    std::string list;
    for (const auto& o : outcomes) list += (list.empty() ? "" : ", ") + o;
    errors.push_back({"outcome", "okänt beslut " + d.outcome + " (kända: " + list + ")"});
  }
  if (d.clauses.empty() && (!d.text || text::trim(*d.text).empty())) {
    errors.push_back({"clauses", "skriv beslutet som att-satser eller som text"});
  }
  for (const auto& c : d.clauses) {
    if (text::trim(c).empty()) errors.push_back({"clauses", "en att-sats är tom"});
  }
  for (const auto& m : d.motions) {
    if (text::trim(m.mover).empty() || text::trim(m.text).empty()) {
      errors.push_back({"motions", "ett yrkande behöver både förslagsställare och text"});
    }
  }
  if (d.votes && (d.votes->yes < 0 || d.votes->no < 0 || d.votes->abstain < 0)) {
    errors.push_back({"votes", "rösterna kan inte vara negativa"});
  }
  return errors;
}

// A case goes on the agenda only if it is ready for the committee and the
// meeting is not before the day its memo was approved.
Result<const workflow::Transition*> readyForAgenda(store::Tx& tx, const Case& c,
                                                   const Meeting& m, const CaseFlow& flow) {
  if (c.committee != m.committee) {
    return std::unexpected(ruleBroken(ErrorCode::kUnprocessable,
                                      "ärendet hör till en annan nämnd (" + c.committee + ")"));
  }
  KANSLI_ASSIGN_OR_RETURN(auto wf, flow.workflowOf(c));
  const auto* t = findTransition(*wf, c.state, workflow::GuardKind::kOnAgenda);
  if (!t) {
    return std::unexpected(ruleBroken(
        ErrorCode::kConflict, "ärendet är inte klart för nämnden (tillstånd " + c.state + ")"));
  }
  KANSLI_ASSIGN_OR_RETURN(auto memo, tx.casework().memoLatest(c.id));
  Instant approved;
  if (memo && memo->approved_at && parseInstant(*memo->approved_at, approved) &&
      formatDate(stockholmDate(approved)) > m.date) {
    return std::unexpected(ruleBroken(
        ErrorCode::kUnprocessable,
        "sammanträdet (" + m.date + ") ligger före den dag ärendet blev klart för nämnden (" +
            formatDate(stockholmDate(approved)) + ")"));
  }
  return t;
}

// Paragraph numbers for every item, in agenda order: per year (the default),
// one sequence across the years (year 0), or from § 1 in every meeting.
Result<void> numberParagraphs(store::Tx& tx, const Meeting& m, const Committee* cm) {
  std::chrono::year_month_day d;
  parseDate(m.date, d);
  auto numbering = cm ? cm->paragraph_numbering : ParagraphNumbering::kPerYear;
  int year = numbering == ParagraphNumbering::kContinuous ? 0 : int(d.year());
  int per_meeting = 0;
  for (const auto& a : m.items) {
    if (numbering == ParagraphNumbering::kPerMeeting) {
      KANSLI_TRY(tx.meetings().agendaSetParagraph(m.id, a.position, ++per_meeting));
      continue;
    }
    KANSLI_ASSIGN_OR_RETURN(auto n, tx.meetings().paragraphDraw(m.committee, year));
    KANSLI_TRY(tx.meetings().agendaSetParagraph(m.id, a.position, n));
  }
  return ok();
}

// The capacity `user` attests in: chair or adjuster (kForbidden otherwise),
// once.
Result<std::string> attestingCapacity(const Meeting& m, const User& user) {
  std::string capacity;
  if (m.chair && *m.chair == user.username) {
    capacity = "ordforande";
  } else if (std::find(m.adjusters.begin(), m.adjusters.end(), user.username) !=
             m.adjusters.end()) {
    capacity = "justerare";
  } else {
    return std::unexpected(
        Error::forbidden("du är inte ordförande eller utsedd justerare för sammanträdet"));
  }
  for (const auto& a : m.attestations) {
    if (a.username == user.username) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "du har redan justerat protokollet"));
    }
  }
  return capacity;
}

}  // namespace

const std::vector<std::string>& decisionOutcomeIds() {
  static const std::vector<std::string> ids = {"bifall",     "avslag",       "delvis_bifall",
                                               "besvarad",   "aterremiss",   "bordlaggning",
                                               "avskrivning"};
  return ids;
}

std::string outcomeText(std::string_view id) {
  if (id == "delvis_bifall") return "delvis bifall";
  if (id == "aterremiss") return "återremiss";
  if (id == "bordlaggning") return "bordläggning";
  return std::string(id);
}

Meetings::Meetings(store::Store& store, const Clock& clock, const Organisation& org,
                   CaseFlow& flow, std::filesystem::path template_override_dir)
    : store_(store),
      clock_(clock),
      org_(org),
      flow_(flow),
      template_override_dir_(std::move(template_override_dir)) {}

Result<Meeting> Meetings::create(const NewMeeting& nm, const User& user) {
  auto errors = checkNewMeeting(nm, org_);
  if (user.committee && *user.committee != nm.committee) {
    return std::unexpected(Error::forbidden("du är sekreterare i en annan nämnd"));
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("sammanträdet är inte giltigt", errors));
  const Instant now = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    std::vector<FieldError> users;
    auto known = [&](const std::string& field, const std::string& name) -> Result<void> {
      KANSLI_ASSIGN_OR_RETURN(auto u, tx.accounts().userByName(name));
      if (!u) users.push_back({field, "ingen användare " + name});
      return ok();
    };
    if (nm.chair) KANSLI_TRY(known("chair", *nm.chair));
    for (const auto& a : nm.adjusters) KANSLI_TRY(known("adjusters", a));
    if (!users.empty()) return std::unexpected(Error::invalid("okända personer", users));
    store::MeetingRow r;
    r.committee = nm.committee;
    r.date = nm.date;
    r.time = nm.time;
    r.place = nm.place;
    r.chair = nm.chair;
    r.adjusters = text::joinList(nm.adjusters);
    r.attendance_json = attendanceJson(nm.attendance);
    r.created_at = formatInstant(now);
    r.created_by = user.username;
    KANSLI_ASSIGN_OR_RETURN(auto id, tx.meetings().meetingInsert(r));
    audit::Detail detail;
    detail.set("meeting", id);
    detail.set("committee", nm.committee);
    detail.set("date", nm.date);
    KANSLI_TRY(audit::appendAudit(tx, now, {user.actor(), "meeting.create", std::nullopt,
                                            detail.json()}));
    return loadMeeting(tx, id);
  });
}

Result<Meeting> Meetings::addItem(std::int64_t meeting_id, std::optional<std::int64_t> case_id,
                                  std::optional<std::string> title, const User& user) {
  if (!case_id && (!title || text::trim(*title).empty())) {
    return std::unexpected(Error::invalid(
        "ange ett ärende eller en rubrik", {{"case", "ange ärendets id"}, {"title", "eller en rubrik"}}));
  }
  const Instant now = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.minutes_drawn) {
      return std::unexpected(ruleBroken(
          ErrorCode::kConflict, "protokollet är redan upprättat; dagordningen kan inte ändras"));
    }
    store::AgendaRow row;
    row.meeting_id = meeting_id;
    row.position = static_cast<int>(m.items.size()) + 1;
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("position", row.position);
    if (case_id) {
      KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*case_id));
      if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
      KANSLI_ASSIGN_OR_RETURN(auto t, readyForAgenda(tx, *c, m, flow_));
      row.case_id = *case_id;
      // The agenda goes to members and the minutes to the notice board: a
      // secret subject is written as the public sees it (and so is never in
      // the decision search either).
      row.title = Diarium::maskForPublic(*c).subject;
      KANSLI_TRY(tx.meetings().agendaInsert(row));
      TransitionRequest tr;
      tr.transition = t->id;
      KANSLI_TRY(flow_.takeIn(tx, *case_id, tr, user, now));
      detail.set("case", *case_id);
    } else {
      row.title = text::trim(*title);
      KANSLI_TRY(tx.meetings().agendaInsert(row));
      detail.set("title", row.title);
    }
    KANSLI_TRY(audit::appendAudit(tx, now, {user.actor(), "meeting.agenda_add", case_id,
                                            detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

Result<void> Meetings::moveCaseOnDecision(store::Tx& tx, const AgendaItem& item,
                                          const DecisionInput& d, const std::string& text,
                                          const User& user, Instant now) {
  KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*item.case_id));
  if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
  KANSLI_ASSIGN_OR_RETURN(auto wf, flow_.workflowOf(*c));
  const workflow::Transition* t =
      findTransition(*wf, c->state, workflow::GuardKind::kDecisionOutcome, d.outcome);
  if (!t && d.outcome == "avskrivning") t = wf->transition("avskriv");
  if (!t) {
    return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                      "arbetsgången " + wf->id + " tar inte emot beslutet " +
                                          outcomeText(d.outcome) + " i tillståndet " + c->state));
  }
  TransitionRequest tr;
  tr.transition = t->id;
  tr.comment = text;
  KANSLI_TRY(flow_.takeIn(tx, *item.case_id, tr, user, now));
  return ok();
}

Result<std::pair<std::string, std::string>> Meetings::decisionIndexText(
    store::Tx& tx, const AgendaItem& item, const std::string& decision_text) const {
  std::pair<std::string, std::string> indexed{item.title + "\n" + decision_text, ""};
  if (!item.case_id) return indexed;
  KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*item.case_id));
  if (!c) return indexed;
  KANSLI_ASSIGN_OR_RETURN(auto docs, tx.diarium().documentsOf(c->id));
  if (holdsSecret(*c, docs)) {
    // The public searches this index: a secret case lends it no word of its
    // secret parts, and not its memo (the content of a secret document).
    indexed.first = meetings::withoutWords(indexed.first, meetings::secretWords(*c, docs));
    return indexed;
  }
  KANSLI_ASSIGN_OR_RETURN(auto memo, tx.casework().memoLatest(c->id));
  if (memo && memo->approved_at) {
    // The memo's words are searchable with the decision ("människohandelssektionen").
    if (auto parsed = parseMemo(memo->xml, "memo")) indexed.second = meetings::memoPlainText(*parsed);
  }
  return indexed;
}

Result<Decision> Meetings::recordDecision(std::int64_t meeting_id, int position,
                                          const DecisionInput& d, const User& user) {
  auto errors = checkDecision(d);
  if (!errors.empty()) return std::unexpected(Error::invalid("beslutet är inte giltigt", errors));
  const Instant now = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<Decision> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.attested_at) {
      return std::unexpected(
          ruleBroken(ErrorCode::kConflict, "protokollet är justerat och kan inte ändras"));
    }
    auto item = std::find_if(m.items.begin(), m.items.end(),
                             [&](const AgendaItem& a) { return a.position == position; });
    if (item == m.items.end()) {
      return std::unexpected(ruleBroken(
          ErrorCode::kNotFound, "punkt " + std::to_string(position) + " finns inte på dagordningen"));
    }
    if (item->decision) {
      return std::unexpected(ruleBroken(
          ErrorCode::kConflict, "punkt " + std::to_string(position) + " har redan ett beslut"));
    }
    const Committee* cm = org_.committee(m.committee);
    store::DecisionRow row;
    row.meeting_id = meeting_id;
    row.position = position;
    row.case_id = item->case_id;
    row.outcome = d.outcome;
    row.text = decisionText(d, cm ? cm->name : m.committee);
    row.details_json = detailsJson(d);
    row.recorded_at = formatInstant(now);
    row.recorded_by = user.username;
    KANSLI_ASSIGN_OR_RETURN(auto id, tx.meetings().decisionInsert(row));
    if (item->case_id) KANSLI_TRY(moveCaseOnDecision(tx, *item, d, row.text, user, now));
    KANSLI_ASSIGN_OR_RETURN(auto indexed, decisionIndexText(tx, *item, row.text));
    KANSLI_TRY(tx.meetings().decisionIndex(id, indexed.first, indexed.second));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("position", position);
    detail.set("outcome", d.outcome);
    detail.set("text", row.text);
    KANSLI_TRY(audit::appendAudit(tx, now, {user.actor(), "decision.record", item->case_id,
                                            detail.json()}));
    KANSLI_ASSIGN_OR_RETURN(auto reloaded, loadMeeting(tx, meeting_id));
    for (const auto& a : reloaded.items) {
      if (a.position == position && a.decision) return *a.decision;
    }
    return std::unexpected(Error::internal("beslutet försvann"));
  });
}

Result<Meeting> Meetings::drawMinutes(std::int64_t meeting_id, const User& user) {
  const Instant now = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är redan upprättat"));
    }
    if (m.items.empty()) {
      return std::unexpected(ruleBroken(ErrorCode::kUnprocessable, "dagordningen är tom"));
    }
    for (const auto& a : m.items) {
      if (a.case_id && !a.decision) {
        return std::unexpected(ruleBroken(
            ErrorCode::kUnprocessable, "punkt " + std::to_string(a.position) + " saknar beslut"));
      }
    }
    KANSLI_TRY(numberParagraphs(tx, m, org_.committee(m.committee)));
    KANSLI_TRY(tx.meetings().meetingSetMinutesDrawn(meeting_id));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    KANSLI_TRY(audit::appendAudit(tx, now, {user.actor(), "minutes.draw", std::nullopt,
                                            detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

Result<Meeting> Meetings::attest(std::int64_t meeting_id, const User& user) {
  const Instant now = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    if (!m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är inte upprättat än"));
    }
    KANSLI_ASSIGN_OR_RETURN(auto capacity, attestingCapacity(m, user));
    KANSLI_TRY(tx.meetings().attestationInsert(meeting_id, user.username, capacity,
                                               formatInstant(now)));
    std::set<std::string> done{user.username};
    for (const auto& a : m.attestations) done.insert(a.username);
    bool complete = (!m.chair || done.count(*m.chair)) &&
                    std::all_of(m.adjusters.begin(), m.adjusters.end(),
                                [&](const std::string& a) { return done.count(a) > 0; });
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("capacity", capacity);
    detail.set("complete", complete);
    KANSLI_TRY(audit::appendAudit(tx, now, {user.actor(), "minutes.attest", std::nullopt,
                                            detail.json()}));
    if (complete) {
      KANSLI_TRY(tx.meetings().meetingSetAttested(meeting_id, formatInstant(now)));
      KANSLI_TRY(moveCasesOnAttestation(tx, m, now));
    }
    return loadMeeting(tx, meeting_id);
  });
}

Result<void> Meetings::moveCasesOnAttestation(store::Tx& tx, const Meeting& m, Instant now) {
  const User system = meetings::systemUser();
  for (const auto& a : m.items) {
    if (!a.case_id || !a.decision) continue;
    KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*a.case_id));
    if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
    KANSLI_ASSIGN_OR_RETURN(auto wf, flow_.workflowOf(*c));
    if (const auto* t = findTransition(*wf, c->state, workflow::GuardKind::kMinutesAttested)) {
      TransitionRequest tr;
      tr.transition = t->id;
      tr.comment = "Protokollet justerat";
      KANSLI_TRY(flow_.takeIn(tx, *a.case_id, tr, system, now));
    }
  }
  return ok();
}

Result<Meeting> Meetings::post(std::int64_t meeting_id, const User& user) {
  const Instant now = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (!m.attested_at) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                        "protokollet är inte justerat och kan inte anslås"));
    }
    if (m.posted_on) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är redan anslaget"));
    }
    auto posted = stockholmDate(now);
    std::string appeal = formatDate(lastDayOfAppeal(posted));
    KANSLI_TRY(tx.meetings().meetingSetPosted(meeting_id, formatDate(posted), appeal));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("posted_on", formatDate(posted));
    detail.set("appeal_until", appeal);
    KANSLI_TRY(audit::appendAudit(tx, now, {user.actor(), "minutes.post", std::nullopt,
                                            detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

}  // namespace kansli
