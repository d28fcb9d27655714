// Meetings: the secretary's steps from a new meeting to posted minutes, each
// one write transaction that moves the cases it concerns with it. Agenda
// changes are in agenda.cpp, corrections in corrections.cpp, the printed
// documents in render.cpp.
#include "kansli/meetings.h"

#include <algorithm>
#include <set>

#include "access/seen.h"
#include "kansli/calendar.h"
#include "kansli/text.h"
#include "meetings/records.h"
#include "meetings/rules.h"
#include "store/accounts_repo.h"
#include "store/casework_repo.h"
#include "store/diarium_repo.h"
#include "store/meetings_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

using meetings::attendanceJson;
using meetings::checkAdjusters;
using meetings::checkDecisionAt;
using meetings::checkDecisionShape;
using meetings::checkMeetingDay;
using meetings::decisionText;
using meetings::detailsJson;
using meetings::findTransition;
using meetings::loadMeeting;
using meetings::loadMeetings;
using meetings::memoPlainText;
using meetings::requireSecretaryOf;
using meetings::ruleBroken;

namespace {

std::string today(const Clock& clock) { return formatDate(stockholmDate(clock.now())); }

bool validTime(const std::optional<std::string>& t) {
  if (!t) return true;
  const std::string& s = *t;
  return s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) &&
         std::isdigit(static_cast<unsigned char>(s[1])) &&
         std::isdigit(static_cast<unsigned char>(s[3])) &&
         std::isdigit(static_cast<unsigned char>(s[4])) && s.substr(0, 2) < "24" &&
         s.substr(3, 2) < "60";
}

std::vector<FieldError> checkNewMeeting(const NewMeeting& nm, const Organisation& org) {
  std::vector<FieldError> errors;
  if (!org.committee(nm.committee)) errors.push_back({"committee", "okänd nämnd: " + nm.committee});
  std::chrono::year_month_day d;
  if (!parseDate(nm.date, d)) errors.push_back({"date", "måste vara ett datum ÅÅÅÅ-MM-DD"});
  if (!validTime(nm.time)) errors.push_back({"time", "skrivs TT:MM"});
  if (!validTime(nm.end_time)) errors.push_back({"end_time", "skrivs TT:MM"});
  if (nm.adjust_date && !parseDate(*nm.adjust_date, d)) {
    errors.push_back({"adjust_date", "måste vara ett datum ÅÅÅÅ-MM-DD"});
  }
  if (nm.adjust_date && *nm.adjust_date < nm.date) {
    errors.push_back({"adjust_date", "justeringen kan inte ligga före sammanträdet"});
  }
  if (nm.place && nm.place->size() > 200) errors.push_back({"place", "för lång"});
  if (nm.first_paragraph && (*nm.first_paragraph < 1 || *nm.first_paragraph > 100000)) {
    errors.push_back({"first_paragraph", "måste vara 1-100000"});
  }
  for (auto& e : meetings::checkAttendance(nm.attendance)) errors.push_back(std::move(e));
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
// one sequence across the years (year 0), or from § 1 in every meeting. A
// meeting's first_paragraph moves the sequence forward, never back.
Result<void> numberParagraphs(store::Tx& tx, const Meeting& m, const Committee* cm) {
  std::chrono::year_month_day d;
  parseDate(m.date, d);
  auto numbering = cm ? cm->paragraph_numbering : ParagraphNumbering::kPerYear;
  int year = numbering == ParagraphNumbering::kContinuous ? 0 : int(d.year());
  int per_meeting = m.first_paragraph && numbering == ParagraphNumbering::kPerMeeting
                        ? *m.first_paragraph - 1
                        : 0;
  if (m.first_paragraph && numbering != ParagraphNumbering::kPerMeeting) {
    KANSLI_ASSIGN_OR_RETURN(int last, tx.meetings().paragraphLast(m.committee, year));
    if (*m.first_paragraph <= last) {
      return std::unexpected(Error::unprocessable(
          "paragraf " + std::to_string(*m.first_paragraph) + " är redan använd (senast § " +
              std::to_string(last) + "); numreringen fortsätter från § " + std::to_string(last + 1),
          {{"first_paragraph", "ett nummer som redan är använt används aldrig igen"}}));
    }
    KANSLI_TRY(tx.meetings().paragraphSkipTo(m.committee, year, *m.first_paragraph));
  }
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
  static const std::vector<std::string> ids = {"bifall",       "avslag",     "delvis_bifall",
                                               "besvarad",     "aterremiss", "bordlaggning",
                                               "avskrivning",  "noteras"};
  return ids;
}

std::string outcomeText(std::string_view id) {
  if (id == "delvis_bifall") return "delvis bifall";
  if (id == "aterremiss") return "återremiss";
  if (id == "bordlaggning") return "bordläggning";
  if (id.empty()) return "inget utfall";
  return std::string(id);
}

const std::vector<std::string>& agendaItemKinds() {
  static const std::vector<std::string> kinds = {"arende", "val_av_justerare",
                                                 "delegationsbeslut", "information", "ovrigt"};
  return kinds;
}

std::string agendaItemKindLabel(std::string_view kind) {
  if (kind == "arende") return "Ärende";
  if (kind == "val_av_justerare") return "Val av justerare";
  if (kind == "delegationsbeslut") return "Anmälan av delegationsbeslut";
  if (kind == "information") return "Information";
  return "Övrigt";
}

Meetings::Meetings(store::Store& store, const Clock& clock, const Organisation& org,
                   Diarium& diarium, CaseFlow& flow, Memos& memos,
                   std::filesystem::path template_override_dir)
    : store_(store), clock_(clock), org_(org), diarium_(diarium), flow_(flow), memos_(memos),
      template_override_dir_(std::move(template_override_dir)) {}

Result<Meeting> Meetings::create(const NewMeeting& nm, const User& user) {
  auto errors = checkNewMeeting(nm, org_);
  if (user.committee && *user.committee != nm.committee) {
    return std::unexpected(Error::forbidden("du är sekreterare i en annan nämnd"));
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("sammanträdet är inte giltigt", errors));
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    Meeting draft;
    draft.committee = nm.committee;
    draft.chair = nm.chair;
    draft.adjusters = nm.adjusters;
    draft.attendance = nm.attendance;
    draft.created_by = user.username;
    KANSLI_TRY(checkAdjusters(tx, draft, false));
    store::MeetingRow r;
    r.committee = nm.committee;
    r.date = nm.date;
    r.time = nm.time;
    r.place = nm.place;
    r.chair = nm.chair;
    r.adjusters = text::joinList(nm.adjusters);
    r.attendance_json = attendanceJson(nm.attendance);
    r.end_time = nm.end_time;
    r.adjust_date = nm.adjust_date;
    r.adjust_place = nm.adjust_place;
    r.first_paragraph = nm.first_paragraph;
    r.created_at = formatInstant(clock_.now());
    r.created_by = user.username;
    KANSLI_ASSIGN_OR_RETURN(auto id, tx.meetings().meetingInsert(r));
    audit::Detail detail;
    detail.set("meeting", id);
    detail.set("committee", nm.committee);
    detail.set("date", nm.date);
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {user.actor(), "meeting.create", std::nullopt, detail.json()}));
    return loadMeeting(tx, id);
  });
}

Result<Meeting> Meetings::addItem(std::int64_t meeting_id, std::optional<std::int64_t> case_id,
                                  std::optional<std::string> title, const User& user,
                                  std::optional<std::string> kind, std::optional<int> position) {
  if (!case_id && (!title || text::trim(*title).empty())) {
    return std::unexpected(Error::invalid("ange ett ärende eller en rubrik",
                                          {{"case", "ange ärendets id"}, {"title", "eller en rubrik"}}));
  }
  if (kind) {
    const auto& kinds = agendaItemKinds();
    if (std::find(kinds.begin(), kinds.end(), *kind) == kinds.end() ||
        (case_id && *kind != "arende") || (!case_id && *kind == "arende")) {
      return std::unexpected(Error::invalid(
          "okänd sorts punkt", {{"kind", "ett ärende är arende; en stående punkt val_av_justerare, "
                                         "delegationsbeslut, information eller ovrigt"}}));
    }
  }
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är redan upprättat; dagordningen kan inte ändras"));
    }
    const int count = static_cast<int>(m.items.size());
    const int at = position.value_or(count + 1);
    if (at < 1 || at > count + 1) {
      return std::unexpected(Error::invalid(
          "platsen finns inte", {{"position", "mellan 1 och " + std::to_string(count + 1)}}));
    }
    store::AgendaRow row;
    row.meeting_id = meeting_id;
    row.position = count + 1;
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("position", at);
    std::string change;
    if (case_id) {
      KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*case_id));
      if (!c) return std::unexpected(Error::notFound("ärendet finns inte"));
      KANSLI_ASSIGN_OR_RETURN(auto t, readyForAgenda(tx, *c, m, flow_));
      row.case_id = *case_id;
      row.kind = "arende";
      // The agenda goes to members and the minutes to the notice board: a
      // secret subject is written as the public sees it (and so is never in
      // the decision search either).
      row.title = Diarium::maskForPublic(*c).subject;
      KANSLI_TRY(tx.meetings().agendaInsert(row));
      TransitionRequest tr;
      tr.transition = t->id;
      KANSLI_TRY(flow_.takeIn(tx, *case_id, tr, user, clock_.now()));
      detail.set("case", *case_id);
      change = "Punkt " + std::to_string(at) + " har lagts till: " + c->dnr + " " + row.title;
    } else {
      row.title = text::trim(*title);
      row.kind = kind.value_or(meetings::kindFromTitle(row.title));
      KANSLI_TRY(tx.meetings().agendaInsert(row));
      detail.set("title", row.title);
      change = "Punkt " + std::to_string(at) + " har lagts till: " + row.title;
    }
    detail.set("kind", row.kind);
    if (at != row.position) {
      // Into its place: the items from `at` on move one down.
      std::vector<std::pair<int, int>> moves;
      for (int p = at; p <= count; ++p) moves.push_back({p, p + 1});
      moves.push_back({row.position, at});
      KANSLI_TRY(tx.meetings().agendaRenumber(meeting_id, moves));
    }
    KANSLI_TRY(noteChange(tx, m, change));
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {user.actor(), "meeting.agenda_add", case_id, detail.json()}));
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
  if (c->secrecy) {
    // A decision in a case with secrecy is secret with it (seeDecisionsOf):
    // the index holds only its title as the public sees it.
    indexed.first = meetings::withoutWords(item.title, meetings::secretWords(*c, docs));
    return indexed;
  }
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
  auto errors = checkDecisionShape(d);
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
          ErrorCode::kConflict, "punkt " + std::to_string(position) +
                                    " har redan ett beslut; rätta det med en ny version (PUT) och ange varför"));
    }
    KANSLI_TRY(checkMeetingDay(m, today(clock_)));
    KANSLI_TRY(checkDecisionAt(d, m, *item, org_));
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
    KANSLI_TRY(checkMeetingDay(m, today(clock_)));
    KANSLI_TRY(checkAdjusters(tx, m, true));
    KANSLI_TRY(numberParagraphs(tx, m, org_.committee(m.committee)));
    // Rättelser of earlier minutes not yet reported are reported in these.
    KANSLI_ASSIGN_OR_RETURN(int reported,
                            tx.meetings().rectificationsReport(m.committee, m.date, m.id));
    KANSLI_TRY(tx.meetings().meetingSetMinutesDrawn(meeting_id));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    if (reported > 0) detail.set("rectifications_reported", reported);
    KANSLI_TRY(audit::appendAudit(tx, now, {user.actor(), "minutes.draw", std::nullopt, detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

Result<Meeting> Meetings::attest(std::int64_t meeting_id, const User& user,
                                 const std::optional<Confirmation>& confirmation) {
  const Instant now_t = clock_.now();
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    if (!m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är inte upprättat än"));
    }
    if (m.attested_at) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är redan justerat"));
    }
    KANSLI_ASSIGN_OR_RETURN(auto capacity, attestingCapacity(m, user));
    // Justering is a signature: the adjuster shows it is them, now.
    if (!confirmation || confirmation->at > now_t + std::chrono::seconds(5) ||
        now_t - confirmation->at > kConfirmationValidity) {
      return std::unexpected(Error::forbidden(
          "justeringen kräver att du bekräftar att det är du: ange ditt lösenord igen (det gäller i " +
          std::to_string(kConfirmationValidity.count()) + " minuter)"));
    }
    KANSLI_TRY(checkAdjusters(tx, m, true));
    const std::string now = formatInstant(now_t);
    store::AttestationRow att{user.username, capacity, now, confirmation->method,
                              formatInstant(confirmation->at)};
    KANSLI_TRY(tx.meetings().attestationInsert(meeting_id, att));
    std::set<std::string> done{user.username};
    for (const auto& a : m.attestations) done.insert(a.username);
    bool complete = (!m.chair || done.count(*m.chair)) &&
                    std::all_of(m.adjusters.begin(), m.adjusters.end(),
                                [&](const std::string& a) { return done.count(a) > 0; });
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("capacity", capacity);
    detail.set("method", confirmation->method);
    detail.set("confirmed_at", formatInstant(confirmation->at));
    detail.set("complete", complete);
    KANSLI_TRY(audit::appendAudit(tx, now_t, {user.actor(), "minutes.attest", std::nullopt,
                                            detail.json()}));
    if (complete) {
      KANSLI_TRY(tx.meetings().meetingSetAttested(meeting_id, now));
      KANSLI_TRY(moveCasesOnAttestation(tx, m, now_t));
    }
    // The chair and adjusters are members: they read the minutes' secret
    // decisions masked, as GET /meetings/{id} shows them.
    KANSLI_ASSIGN_OR_RETURN(auto attested, loadMeeting(tx, meeting_id));
    std::vector<std::int64_t> secret_reads;
    KANSLI_TRY(meetings::seeDecisionsOf(tx, attested, user, org_, secret_reads));
    KANSLI_TRY(recordSecretReadsIn(tx, now_t, user, secret_reads));
    return attested;
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
