#include "kansli/meetings.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "diarium/search_query.h"
#include "kansli/calendar.h"
#include "kansli/text.h"
#include "store/accounts_repo.h"
#include "store/casework_repo.h"
#include "store/diarium_repo.h"
#include "store/meetings_repo.h"
#include "store/store.h"
#include "store/tx.h"
#include "util/json.h"

namespace kansli {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;


std::string attendanceJson(const std::vector<Attendee>& a) {
  Array arr;
  for (const auto& p : a) {
    auto o = json::ordered();
    o.set("name", p.name);
    o.set("role", p.role);
    arr.add(o);
  }
  return json::str(arr);
}

std::vector<Attendee> attendanceFrom(const std::string& json) {
  std::vector<Attendee> out;
  try {
    Poco::JSON::Parser p;
    auto arr = p.parse(json).extract<Array::Ptr>();
    for (size_t i = 0; i < arr->size(); ++i) {
      auto o = arr->getObject(static_cast<unsigned>(i));
      out.push_back({o->optValue<std::string>("name", ""), o->optValue<std::string>("role", "")});
    }
  } catch (...) {
  }
  return out;
}

std::string detailsJson(const DecisionInput& d) {
  auto o = json::ordered();
  Array clauses;
  for (const auto& c : d.clauses) clauses.add(c);
  o.set("clauses", clauses);
  if (d.text) o.set("text", *d.text);
  Array motions;
  for (const auto& m : d.motions) {
    auto mo = json::ordered();
    mo.set("mover", m.mover);
    mo.set("text", m.text);
    motions.add(mo);
  }
  o.set("motions", motions);
  if (d.proposition) o.set("proposition", *d.proposition);
  if (d.votes) {
    auto v = json::ordered();
    v.set("yes", d.votes->yes);
    v.set("no", d.votes->no);
    v.set("abstain", d.votes->abstain);
    o.set("votes", v);
  }
  Array res;
  for (const auto& r : d.reservations) {
    auto ro = json::ordered();
    ro.set("name", r.name);
    if (r.reason) ro.set("reason", *r.reason);
    res.add(ro);
  }
  o.set("reservations", res);
  Array dq;
  for (const auto& x : d.disqualified) dq.add(x);
  o.set("disqualified", dq);
  Array st;
  for (const auto& x : d.send_to) st.add(x);
  o.set("send_to", st);
  return json::str(o);
}

DecisionInput detailsFrom(const std::string& outcome, const std::string& json) {
  DecisionInput d;
  d.outcome = outcome;
  try {
    Poco::JSON::Parser p;
    auto o = p.parse(json).extract<Object::Ptr>();
    auto strings = [&](const char* key) {
      std::vector<std::string> out;
      if (auto a = o->getArray(key)) {
        for (size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
      }
      return out;
    };
    d.clauses = strings("clauses");
    if (o->has("text")) d.text = o->getValue<std::string>("text");
    if (auto a = o->getArray("motions")) {
      for (size_t i = 0; i < a->size(); ++i) {
        auto m = a->getObject(static_cast<unsigned>(i));
        d.motions.push_back({m->getValue<std::string>("mover"), m->getValue<std::string>("text")});
      }
    }
    if (o->has("proposition")) d.proposition = o->getValue<std::string>("proposition");
    if (auto v = o->getObject("votes")) {
      d.votes = Votes{v->getValue<int>("yes"), v->getValue<int>("no"), v->getValue<int>("abstain")};
    }
    if (auto a = o->getArray("reservations")) {
      for (size_t i = 0; i < a->size(); ++i) {
        auto r = a->getObject(static_cast<unsigned>(i));
        Reservation res{r->getValue<std::string>("name"), std::nullopt};
        if (r->has("reason")) res.reason = r->getValue<std::string>("reason");
        d.reservations.push_back(res);
      }
    }
    d.disqualified = strings("disqualified");
    d.send_to = strings("send_to");
  } catch (...) {
  }
  return d;
}

// The decision as the minutes write it: "Socialnämnden beslutar\n\natt ...".
std::string decisionText(const DecisionInput& d, const std::string& committee_name) {
  std::string out = d.text.value_or("");
  if (!d.clauses.empty()) {
    if (!out.empty()) out += "\n\n";
    out += committee_name + " beslutar";
    for (const auto& c : d.clauses) {
      std::string clause = text::trim(c);
      if (clause.rfind("att ", 0) != 0) clause = "att " + clause;
      out += "\n\n" + clause;
    }
  }
  return out;
}

std::string today(const Clock& clock) { return formatDate(stockholmDate(clock.now())); }

// The workflow transition a meeting step takes for a case: the first from the
// case's state whose guards include `guard` (and, for decision-outcome, this
// outcome).
const workflow::Transition* findTransition(const workflow::Workflow& wf, const std::string& state,
                                           workflow::GuardKind guard,
                                           const std::string& outcome = "") {
  for (const auto* t : wf.transitionsFrom(state)) {
    for (const auto& g : t->guards) {
      if (g.kind != guard) continue;
      if (guard != workflow::GuardKind::kDecisionOutcome ||
          std::find(g.args.begin(), g.args.end(), outcome) != g.args.end()) {
        return t;
      }
    }
  }
  return nullptr;
}

// Automatic case moves after justering are the meeting module's, not a
// person's: recorded as such in the audit log.
User meetingSystemUser() {
  User u;
  u.username = "system";
  u.display_name = "Kansli (sammanträde)";
  u.role = Role::kNamndsekreterare;
  return u;
}

// The words of a memo, for the search index.
std::string memoPlainText(const Memo& memo) {
  std::string out = memo.title + "\n";
  auto inlines = [&](const MemoInlines& content) {
    for (const auto& in : content) {
      if (const auto* t = std::get_if<MemoText>(&in)) {
        out += t->text + " ";
      } else if (const auto* f = std::get_if<MemoFootnote>(&in)) {
        for (const auto& fi : f->content) {
          if (const auto* ft = std::get_if<MemoText>(&fi)) out += ft->text + " ";
        }
      }
    }
    out += "\n";
  };
  for (const auto& section : memo.sections) {
    out += section.heading + "\n";
    for (const auto& block : section.blocks) {
      if (const auto* p = std::get_if<MemoParagraph>(&block)) {
        inlines(p->content);
      } else if (const auto* l = std::get_if<MemoList>(&block)) {
        for (const auto& item : l->items) inlines(item);
      } else if (const auto* h = std::get_if<MemoSubheading>(&block)) {
        out += h->text + "\n";
      }
    }
  }
  return out;
}

Error ruleBroken(ErrorCode code, const std::string& msg) { return Error{code, msg, {}, {}}; }

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
                   Diarium& diarium, CaseFlow& flow, Memos& memos,
                   std::filesystem::path template_override_dir)
    : store_(store), clock_(clock), org_(org), diarium_(diarium), flow_(flow), memos_(memos),
      template_override_dir_(std::move(template_override_dir)) {}

namespace {

Result<Meeting> loadMeeting(store::Tx& tx, std::int64_t id) {
  KANSLI_ASSIGN_OR_RETURN(auto row, tx.meetings().meetingById(id));
  if (!row) return std::unexpected(Error::notFound("sammanträdet finns inte"));
  const auto& r = *row;
  Meeting m;
  m.id = r.id;
  m.committee = r.committee;
  m.date = r.date;
  m.time = r.time;
  m.place = r.place;
  m.chair = r.chair;
  m.adjusters = text::splitList(r.adjusters);
  m.attendance = attendanceFrom(r.attendance_json);
  m.minutes_drawn = r.minutes_drawn;
  m.attested_at = r.attested_at;
  m.posted_on = r.posted_on;
  m.appeal_until = r.appeal_until;
  m.created_by = r.created_by;
  KANSLI_ASSIGN_OR_RETURN(auto items, tx.meetings().agendaOf(id));
  KANSLI_ASSIGN_OR_RETURN(auto decisions, tx.meetings().decisionsOfMeeting(id));
  for (const auto& a : items) {
    AgendaItem item{a.position, a.case_id, a.dnr, a.title, a.paragraph, std::nullopt};
    for (const auto& d : decisions) {
      if (d.position != a.position) continue;
      Decision dec;
      dec.id = d.id;
      dec.meeting_id = d.meeting_id;
      dec.position = d.position;
      dec.case_id = d.case_id;
      dec.dnr = a.dnr;
      dec.committee = m.committee;
      dec.meeting_date = m.date;
      dec.paragraph = a.paragraph;
      dec.title = a.title;
      dec.outcome = d.outcome;
      dec.text = d.text;
      dec.input = detailsFrom(d.outcome, d.details_json);
      dec.recorded_at = d.recorded_at;
      dec.recorded_by = d.recorded_by;
      dec.attested = m.attested_at.has_value();
      dec.posted_on = m.posted_on;
      dec.appeal_until = m.appeal_until;
      item.decision = dec;
    }
    m.items.push_back(std::move(item));
  }
  KANSLI_ASSIGN_OR_RETURN(auto att, tx.meetings().attestationsOf(id));
  for (const auto& a : att) m.attestations.push_back({a[0], a[1], a[2]});
  return m;
}

Result<std::vector<Meeting>> loadMeetings(store::Tx& tx,
                                          const Result<std::vector<store::MeetingRow>>& rows) {
  if (!rows) return std::unexpected(rows.error());
  std::vector<Meeting> out;
  for (const auto& r : *rows) {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, r.id));
    out.push_back(std::move(m));
  }
  return out;
}

Result<void> requireSecretaryOf(const Meeting& m, const User& user) {
  if (user.role != Role::kNamndsekreterare) {
    return std::unexpected(Error::forbidden("bara nämndsekreteraren gör detta"));
  }
  if (user.committee && *user.committee != m.committee) {
    return std::unexpected(Error::forbidden("du är sekreterare i en annan nämnd"));
  }
  return ok();
}

}  // namespace

Result<Meeting> Meetings::create(const NewMeeting& nm, const User& user) {
  std::vector<FieldError> errors;
  if (!org_.committee(nm.committee)) errors.push_back({"committee", "okänd nämnd: " + nm.committee});
  std::chrono::year_month_day d;
  if (!parseDate(nm.date, d)) errors.push_back({"date", "måste vara ett datum ÅÅÅÅ-MM-DD"});
  if (nm.time && (nm.time->size() != 5 || (*nm.time)[2] != ':')) {
    errors.push_back({"time", "skrivs TT:MM"});
  }
  if (nm.place && nm.place->size() > 200) errors.push_back({"place", "för lång"});
  if (user.committee && *user.committee != nm.committee) {
    return std::unexpected(Error::forbidden("du är sekreterare i en annan nämnd"));
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("sammanträdet är inte giltigt", errors));
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
    r.created_at = formatInstant(clock_.now());
    r.created_by = user.username;
    KANSLI_ASSIGN_OR_RETURN(auto id, tx.meetings().meetingInsert(r));
    audit::Detail detail;
    detail.set("meeting", id);
    detail.set("committee", nm.committee);
    detail.set("date", nm.date);
    KANSLI_TRY(audit::appendAudit(tx, clock_, {user.actor(), "meeting.create", std::nullopt, detail.json()}));
    return loadMeeting(tx, id);
  });
}

Result<Meeting> Meetings::get(std::int64_t id) const {
  return store_.read([&](store::Tx& tx) { return loadMeeting(tx, id); });
}

Result<std::vector<Meeting>> Meetings::list(const std::optional<std::string>& committee) const {
  return store_.read([&](store::Tx& tx) {
    return loadMeetings(tx, tx.meetings().meetingList(committee));
  });
}

Result<Meeting> Meetings::addItem(std::int64_t meeting_id, std::optional<std::int64_t> case_id,
                                  std::optional<std::string> title, const User& user) {
  if (!case_id && (!title || text::trim(*title).empty())) {
    return std::unexpected(Error::invalid("ange ett ärende eller en rubrik",
                                          {{"case", "ange ärendets id"}, {"title", "eller en rubrik"}}));
  }
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är redan upprättat; dagordningen kan inte ändras"));
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
      if (c->committee != m.committee) {
        return std::unexpected(ruleBroken(ErrorCode::kUnprocessable,
                                          "ärendet hör till en annan nämnd (" + c->committee + ")"));
      }
      KANSLI_ASSIGN_OR_RETURN(auto wf, flow_.workflowOf(*c));
      const auto* t = findTransition(*wf, c->state, workflow::GuardKind::kOnAgenda);
      if (!t) {
        return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                          "ärendet är inte klart för nämnden (tillstånd " + c->state + ")"));
      }
      KANSLI_ASSIGN_OR_RETURN(auto memo, tx.casework().memoLatest(*case_id));
      if (memo && memo->approved_at) {
        Instant approved;
        if (parseInstant(*memo->approved_at, approved) &&
            formatDate(stockholmDate(approved)) > m.date) {
          return std::unexpected(ruleBroken(
              ErrorCode::kUnprocessable,
              "sammanträdet (" + m.date + ") ligger före den dag ärendet blev klart för nämnden (" +
                  formatDate(stockholmDate(approved)) + ")"));
        }
      }
      row.case_id = *case_id;
      // The agenda goes to members and the minutes to the notice board: a
      // secret subject is written as the public sees it (and so is never in
      // the decision search either).
      row.title = Diarium::maskForPublic(*c).subject;
      KANSLI_TRY(tx.meetings().agendaInsert(row));
      TransitionRequest tr;
      tr.transition = t->id;
      KANSLI_TRY(flow_.takeIn(tx, *case_id, tr, user));
      detail.set("case", *case_id);
    } else {
      row.title = text::trim(*title);
      KANSLI_TRY(tx.meetings().agendaInsert(row));
      detail.set("title", row.title);
    }
    KANSLI_TRY(audit::appendAudit(tx, clock_, {user.actor(), "meeting.agenda_add", case_id, detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

Result<Decision> Meetings::recordDecision(std::int64_t meeting_id, int position,
                                          const DecisionInput& d, const User& user) {
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
  if (!errors.empty()) return std::unexpected(Error::invalid("beslutet är inte giltigt", errors));

  return store_.write([&](store::Tx& tx) -> Result<Decision> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.attested_at) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är justerat och kan inte ändras"));
    }
    auto item = std::find_if(m.items.begin(), m.items.end(),
                             [&](const AgendaItem& a) { return a.position == position; });
    if (item == m.items.end()) {
      return std::unexpected(ruleBroken(ErrorCode::kNotFound,
                                        "punkt " + std::to_string(position) + " finns inte på dagordningen"));
    }
    if (item->decision) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                        "punkt " + std::to_string(position) + " har redan ett beslut"));
    }
    const Committee* cm = org_.committee(m.committee);
    store::DecisionRow row;
    row.meeting_id = meeting_id;
    row.position = position;
    row.case_id = item->case_id;
    row.outcome = d.outcome;
    row.text = decisionText(d, cm ? cm->name : m.committee);
    row.details_json = detailsJson(d);
    row.recorded_at = formatInstant(clock_.now());
    row.recorded_by = user.username;
    KANSLI_ASSIGN_OR_RETURN(auto id, tx.meetings().decisionInsert(row));

    std::string memo_text;
    if (item->case_id) {
      KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*item->case_id));
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
      tr.comment = row.text;
      KANSLI_TRY(flow_.takeIn(tx, *item->case_id, tr, user));
      KANSLI_ASSIGN_OR_RETURN(auto memo, tx.casework().memoLatest(*item->case_id));
      if (memo && memo->approved_at) {
        // The memo's words are searchable with the decision ("människohandelssektionen").
        auto parsed = parseMemo(memo->xml, "memo");
        if (parsed) memo_text = memoPlainText(*parsed);
      }
    }
    KANSLI_TRY(tx.meetings().decisionIndex(id, item->title + "\n" + row.text, memo_text));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("position", position);
    detail.set("outcome", d.outcome);
    detail.set("text", row.text);
    KANSLI_TRY(audit::appendAudit(tx, clock_, {user.actor(), "decision.record", item->case_id, detail.json()}));
    KANSLI_ASSIGN_OR_RETURN(auto reloaded, loadMeeting(tx, meeting_id));
    for (const auto& a : reloaded.items) {
      if (a.position == position && a.decision) return *a.decision;
    }
    return std::unexpected(Error::internal("beslutet försvann"));
  });
}

Result<Meeting> Meetings::drawMinutes(std::int64_t meeting_id, const User& user) {
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
        return std::unexpected(ruleBroken(ErrorCode::kUnprocessable,
                                          "punkt " + std::to_string(a.position) + " saknar beslut"));
      }
    }
    const Committee* cm = org_.committee(m.committee);
    std::chrono::year_month_day d;
    parseDate(m.date, d);
    // Continuous numbering keeps one sequence (year 0) across the years;
    // per-meeting numbering starts at § 1 in every set of minutes.
    auto numbering = cm ? cm->paragraph_numbering : ParagraphNumbering::kPerYear;
    int year = numbering == ParagraphNumbering::kContinuous ? 0 : int(d.year());
    int per_meeting = 0;
    for (const auto& a : m.items) {
      if (numbering == ParagraphNumbering::kPerMeeting) {
        KANSLI_TRY(tx.meetings().agendaSetParagraph(meeting_id, a.position, ++per_meeting));
        continue;
      }
      KANSLI_ASSIGN_OR_RETURN(auto n, tx.meetings().paragraphDraw(m.committee, year));
      KANSLI_TRY(tx.meetings().agendaSetParagraph(meeting_id, a.position, n));
    }
    KANSLI_TRY(tx.meetings().meetingSetMinutesDrawn(meeting_id));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    KANSLI_TRY(audit::appendAudit(tx, clock_, {user.actor(), "minutes.draw", std::nullopt, detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

Result<Meeting> Meetings::attest(std::int64_t meeting_id, const User& user) {
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    if (!m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är inte upprättat än"));
    }
    std::string capacity;
    if (m.chair && *m.chair == user.username) {
      capacity = "ordforande";
    } else if (std::find(m.adjusters.begin(), m.adjusters.end(), user.username) != m.adjusters.end()) {
      capacity = "justerare";
    } else {
      return std::unexpected(Error::forbidden("du är inte ordförande eller utsedd justerare för sammanträdet"));
    }
    for (const auto& a : m.attestations) {
      if (a.username == user.username) {
        return std::unexpected(ruleBroken(ErrorCode::kConflict, "du har redan justerat protokollet"));
      }
    }
    std::string now = formatInstant(clock_.now());
    KANSLI_TRY(tx.meetings().attestationInsert(meeting_id, user.username, capacity, now));
    std::set<std::string> done{user.username};
    for (const auto& a : m.attestations) done.insert(a.username);
    bool complete = (!m.chair || done.count(*m.chair)) &&
                    std::all_of(m.adjusters.begin(), m.adjusters.end(),
                                [&](const std::string& a) { return done.count(a) > 0; });
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("capacity", capacity);
    detail.set("complete", complete);
    KANSLI_TRY(audit::appendAudit(tx, clock_, {user.actor(), "minutes.attest", std::nullopt, detail.json()}));
    if (complete) {
      KANSLI_TRY(tx.meetings().meetingSetAttested(meeting_id, now));
      User system = meetingSystemUser();
      for (const auto& a : m.items) {
        if (!a.case_id || !a.decision) continue;
        KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*a.case_id));
        KANSLI_ASSIGN_OR_RETURN(auto wf, flow_.workflowOf(*c));
        if (const auto* t = findTransition(*wf, c->state, workflow::GuardKind::kMinutesAttested)) {
          TransitionRequest tr;
          tr.transition = t->id;
          tr.comment = "Protokollet justerat";
          KANSLI_TRY(flow_.takeIn(tx, *a.case_id, tr, system));
        }
      }
    }
    return loadMeeting(tx, meeting_id);
  });
}

Result<Meeting> Meetings::post(std::int64_t meeting_id, const User& user) {
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (!m.attested_at) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är inte justerat och kan inte anslås"));
    }
    if (m.posted_on) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict, "protokollet är redan anslaget"));
    }
    auto posted = stockholmDate(clock_.now());
    std::string appeal = formatDate(lastDayOfAppeal(posted));
    KANSLI_TRY(tx.meetings().meetingSetPosted(meeting_id, formatDate(posted), appeal));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("posted_on", formatDate(posted));
    detail.set("appeal_until", appeal);
    KANSLI_TRY(audit::appendAudit(tx, clock_, {user.actor(), "minutes.post", std::nullopt, detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

Result<Decision> Meetings::decision(std::int64_t id) const {
  return store_.read([&](store::Tx& tx) -> Result<Decision> {
    KANSLI_ASSIGN_OR_RETURN(auto d, tx.meetings().decisionById(id));
    if (!d) return std::unexpected(Error::notFound("beslutet finns inte"));
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, d->meeting_id));
    for (const auto& a : m.items) {
      if (a.decision && a.decision->id == id) return *a.decision;
    }
    return std::unexpected(Error::notFound("beslutet finns inte"));
  });
}

Result<std::vector<Decision>> Meetings::decisions(const DecisionQuery& q) const {
  std::vector<FieldError> errors;
  store::DecisionListParams p;
  p.committee = q.committee;
  p.outcome = q.outcome;
  p.from = q.from;
  p.to = q.to;
  p.year = q.year;
  p.attested_only = q.attested_only;
  p.unattested_committee = q.unattested_committee;
  p.limit = std::clamp(q.limit, 1, 200);
  if (q.q) {
    if (q.q->size() > 500 || !text::isValidUtf8(*q.q)) {
      errors.push_back({"q", "sökfrågan är för lång eller inte giltig UTF-8"});
    } else {
      auto terms = parseSearch(*q.q, org_);
      p.words = terms.words;
      if (terms.case_number) {
        p.case_number = store::CaseNumber{terms.case_number->number, terms.case_number->year,
                                          terms.case_number->dnr};
      }
    }
  }
  if (q.dnr) {
    auto m = org_.findDnr(*q.dnr);
    if (!m) {
      errors.push_back({"dnr", m.error().message});
    } else {
      p.dnr = m->committee->formatDnr(m->parts.year, m->parts.number, m->parts.class_code);
    }
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("ogiltiga sökvillkor", errors));
  KANSLI_ASSIGN_OR_RETURN(auto ids, store_.read([&](store::Tx& tx) { return tx.meetings().decisionSearch(p); }));
  std::vector<Decision> out;
  for (auto id : ids) {
    KANSLI_ASSIGN_OR_RETURN(auto d, decision(id));
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<Meeting>> Meetings::noticeBoard() const {
  std::string day = today(clock_);
  return store_.read([&](store::Tx& tx) {
    return loadMeetings(tx, tx.meetings().meetingsPostedSince(day));
  });
}

Result<Template> Meetings::templateNamed(const std::string& name) const {
  return cachedTemplate(name, template_override_dir_);
}

Value Meetings::meetingValues(const Meeting& m, const std::vector<const AgendaItem*>& items) const {
  const Committee* cm = org_.committee(m.committee);
  auto displayName = [&](const std::string& username) {
    auto u = store_.read([&](store::Tx& tx) { return tx.accounts().userByName(username); });
    return u && *u ? (*u)->display_name : username;
  };
  Value meeting = Value::record();
  meeting.set("committee_id", m.committee);
  meeting.set("committee_name", cm ? cm->name : m.committee);
  meeting.set("date", m.date);
  if (m.time) meeting.set("start_time", *m.time);
  meeting.set("place", m.place.value_or(""));
  meeting.set("chair", m.chair ? displayName(*m.chair) : std::string());
  meeting.set("secretary", displayName(m.created_by));
  std::vector<int> paragraphs;
  for (const auto* a : items) {
    if (a->paragraph) paragraphs.push_back(*a->paragraph);
  }
  std::chrono::year_month_day held;
  parseDate(m.date, held);
  auto paragraphLabel = [&](int n) {
    return cm ? cm->formatParagraph(n, int(held.year())) : "§ " + std::to_string(n);
  };
  if (!paragraphs.empty()) {
    auto [lo, hi] = std::minmax_element(paragraphs.begin(), paragraphs.end());
    meeting.set("paragraphs", *lo == *hi ? paragraphLabel(*lo)
                                         : paragraphLabel(*lo) + "–" + paragraphLabel(*hi));
  }
  if (m.attested_at) {
    Instant at;
    if (parseInstant(*m.attested_at, at)) meeting.set("adjust_date", formatDate(stockholmDate(at)));
  }
  if (m.posted_on) meeting.set("posted_date", *m.posted_on);
  if (m.appeal_until) meeting.set("appeal_until", *m.appeal_until);
  Value members = Value::list();
  Value officials = Value::list();
  for (const auto& p : m.attendance) {
    Value person = Value::record().set("name", p.name).set("role", p.role);
    bool official = p.role.find("sekreterare") != std::string::npos ||
                    p.role.find("tjänsteperson") != std::string::npos;
    if (official) {
      person.set("title", p.role);
      officials.push(std::move(person));
    } else {
      members.push(std::move(person));
    }
  }
  if (!m.attendance.empty()) meeting.set("members", members);
  if (!officials.items().empty()) meeting.set("officials", officials);
  Value adjusters = Value::list();
  for (const auto& a : m.adjusters) adjusters.push(Value::record().set("name", displayName(a)));
  meeting.set("adjusters", adjusters);
  Value list = Value::list();
  for (const auto* a : items) {
    Value item = Value::record();
    item.set("number", std::to_string(a->position));
    if (a->paragraph) item.set("paragraph", paragraphLabel(*a->paragraph));
    item.set("title", a->title);
    if (a->dnr) item.set("dnr", *a->dnr);
    if (a->case_id) {
      auto c = diarium_.getCase(*a->case_id);
      if (c && c->officer) item.set("officer", displayName(*c->officer));
    }
    if (a->decision) {
      const Decision& d = *a->decision;
      item.set("decision", d.text);
      std::string reservations;
      for (const auto& r : d.input.reservations) {
        reservations += (reservations.empty() ? "" : " ") + r.name + " reserverar sig mot beslutet" +
                        (r.reason ? " (" + *r.reason + ")" : "") + ".";
      }
      if (!reservations.empty()) item.set("reservations", reservations);
      if (!d.input.send_to.empty()) {
        Value to = Value::list();
        for (const auto& s : d.input.send_to) to.push(Value::record().set("name", s));
        item.set("send_to", to);
      }
    }
    list.push(std::move(item));
  }
  meeting.set("items", list);
  return Value::record().set("meeting", meeting).set("org", orgValues(orgFactsOf(org_)));
}

Result<doc::Document> Meetings::renderWhole(std::int64_t meeting_id, const std::string& tmpl,
                                            bool needs_minutes) const {
  KANSLI_ASSIGN_OR_RETURN(auto m, get(meeting_id));
  if (needs_minutes && !m.minutes_drawn) {
    return std::unexpected(Error::conflict("protokollet är inte upprättat än"));
  }
  KANSLI_ASSIGN_OR_RETURN(auto t, templateNamed(tmpl));
  std::vector<const AgendaItem*> items;
  for (const auto& a : m.items) items.push_back(&a);
  return expand(t, meetingValues(m, items));
}

Result<doc::Document> Meetings::renderAgenda(std::int64_t meeting_id) const {
  return renderWhole(meeting_id, "kallelse", false);
}

Result<doc::Document> Meetings::renderMinutes(std::int64_t meeting_id) const {
  return renderWhole(meeting_id, "protokoll", true);
}

Result<doc::Document> Meetings::renderExtract(std::int64_t decision_id) const {
  KANSLI_ASSIGN_OR_RETURN(auto d, decision(decision_id));
  KANSLI_ASSIGN_OR_RETURN(auto m, get(d.meeting_id));
  KANSLI_ASSIGN_OR_RETURN(auto t, templateNamed("protokollsutdrag"));
  std::vector<const AgendaItem*> items;
  for (const auto& a : m.items) {
    if (a.decision && a.decision->id == decision_id) items.push_back(&a);
  }
  Value v = meetingValues(m, items);
  Value extract = Value::record();
  auto u = store_.read([&](store::Tx& tx) { return tx.accounts().userByName(m.created_by); });
  extract.set("certifier", u && *u ? (*u)->display_name : m.created_by);
  if (m.attested_at) {
    Instant at;
    if (parseInstant(*m.attested_at, at)) extract.set("date", formatDate(stockholmDate(at)));
  }
  v.set("extract", extract);
  return expand(t, v);
}

}  // namespace kansli
