// Meetings as each viewer may see them: meetings, decisions and the notice
// board, and the printed documents (kallelse, protokoll, protokollsutdrag),
// each read from one snapshot.
#include <algorithm>
#include <map>

#include "diarium/search_query.h"
#include "kansli/access.h"
#include "kansli/meetings.h"
#include "kansli/text.h"
#include "meetings/records.h"
#include "store/accounts_repo.h"
#include "store/diarium_repo.h"
#include "store/meetings_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

using meetings::loadMeeting;
using meetings::loadMeetings;

namespace {

Error meetingNotFound() { return Error::notFound("sammanträdet finns inte"); }
Error decisionNotFound() { return Error::notFound("beslutet finns inte"); }

// A decision with its meeting, if the viewer may see it: as recorded to those
// who work for the committee, once attested to everyone.
Result<std::pair<Meeting, Decision>> seeDecision(store::Tx& tx, std::int64_t id,
                                                 const Viewer& viewer, const Organisation& org) {
  KANSLI_ASSIGN_OR_RETURN(auto row, tx.meetings().decisionById(id));
  if (!row) return std::unexpected(decisionNotFound());
  KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, row->meeting_id));
  for (const auto& a : m.items) {
    if (!a.decision || a.decision->id != id) continue;
    if (!a.decision->attested && !seesCommitteeWork(viewer, m.committee, org)) break;
    Decision d = *a.decision;
    return std::pair<Meeting, Decision>{std::move(m), std::move(d)};
  }
  return std::unexpected(decisionNotFound());
}

Result<store::DecisionListParams> decisionParams(const DecisionQuery& q, const Viewer& viewer,
                                                 const Organisation& org) {
  std::vector<FieldError> errors;
  store::DecisionListParams p;
  p.committee = q.committee;
  p.outcome = q.outcome;
  p.from = q.from;
  p.to = q.to;
  p.year = q.year;
  p.limit = std::clamp(q.limit, 1, 200);
  // Those who work for a committee see its decisions as recorded; the rest
  // (and admins, and the public) once the minutes are attested.
  CommitteeWork work = committeeWork(viewer, org);
  p.attested_only = !work.all;
  p.unattested_committee = work.committee;
  if (q.q) {
    if (q.q->size() > 500 || !text::isValidUtf8(*q.q)) {
      errors.push_back({"q", "sökfrågan är för lång eller inte giltig UTF-8"});
    } else {
      auto terms = parseSearch(*q.q, org);
      p.words = terms.words;
      if (terms.case_number) {
        p.case_number = store::CaseNumber{terms.case_number->number, terms.case_number->year,
                                          terms.case_number->dnr};
      }
    }
  }
  if (q.dnr) {
    auto m = org.findDnr(*q.dnr);
    if (!m) {
      errors.push_back({"dnr", m.error().message});
    } else {
      p.dnr = m->committee->formatDnr(m->parts.year, m->parts.number, m->parts.class_code);
    }
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("ogiltiga sökvillkor", errors));
  return p;
}

}  // namespace

// A meeting as the printed documents show it, read in one snapshot: the
// display names of the people it names, and the officer of each case item
// (none for a case with secrecy: the minutes are public).
struct Meetings::Printed {
  Meeting m;
  std::map<std::string, std::string> names;
  std::map<std::int64_t, std::string> officers;

  std::string name(const std::string& username) const {
    auto it = names.find(username);
    return it == names.end() ? username : it->second;
  }
};

Result<Meetings::Printed> Meetings::loadPrinted(store::Tx& tx, std::int64_t meeting_id) const {
  Printed p;
  KANSLI_ASSIGN_OR_RETURN(p.m, loadMeeting(tx, meeting_id));
  auto name = [&](const std::string& username) -> Result<void> {
    KANSLI_ASSIGN_OR_RETURN(auto u, tx.accounts().userByName(username));
    if (u) p.names[username] = u->display_name;
    return ok();
  };
  if (p.m.chair) KANSLI_TRY(name(*p.m.chair));
  for (const auto& a : p.m.adjusters) KANSLI_TRY(name(a));
  KANSLI_TRY(name(p.m.created_by));
  for (const auto& a : p.m.items) {
    if (!a.case_id) continue;
    KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*a.case_id));
    if (!c || !c->officer || c->secrecy) continue;
    KANSLI_TRY(name(*c->officer));
    p.officers[*a.case_id] = p.name(*c->officer);
  }
  return p;
}

Result<Meeting> Meetings::get(std::int64_t id, const Viewer& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto m, store_.read([&](store::Tx& tx) { return loadMeeting(tx, id); }));
  if (!seesCommitteeWork(viewer, m.committee, org_)) return std::unexpected(meetingNotFound());
  return m;
}

Result<std::vector<Meeting>> Meetings::list(const std::optional<std::string>& committee,
                                            const Viewer& viewer) const {
  auto load = [&](store::Tx& tx) -> Result<std::vector<Meeting>> {
    KANSLI_ASSIGN_OR_RETURN(auto rows, tx.meetings().meetingList(committee));
    return loadMeetings(tx, rows);
  };
  KANSLI_ASSIGN_OR_RETURN(auto all, store_.read(load));
  std::vector<Meeting> seen;
  for (auto& m : all) {
    if (seesCommitteeWork(viewer, m.committee, org_)) seen.push_back(std::move(m));
  }
  return seen;
}

Result<Decision> Meetings::decision(std::int64_t id, const Viewer& viewer) const {
  auto load = [&](store::Tx& tx) { return seeDecision(tx, id, viewer, org_); };
  KANSLI_ASSIGN_OR_RETURN(auto found, store_.read(load));
  return std::move(found.second);
}

Result<std::vector<Decision>> Meetings::decisions(const DecisionQuery& q,
                                                  const Viewer& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto p, decisionParams(q, viewer, org_));
  auto load = [&](store::Tx& tx) -> Result<std::vector<Decision>> {
    KANSLI_ASSIGN_OR_RETURN(auto ids, tx.meetings().decisionSearch(p));
    std::vector<Decision> out;
    for (auto id : ids) {
      KANSLI_ASSIGN_OR_RETURN(auto found, seeDecision(tx, id, viewer, org_));
      out.push_back(std::move(found.second));
    }
    return out;
  };
  return store_.read(load);
}

Result<std::vector<Meeting>> Meetings::noticeBoard() const {
  const std::string today = formatDate(stockholmDate(clock_.now()));
  return store_.read([&](store::Tx& tx) -> Result<std::vector<Meeting>> {
    KANSLI_ASSIGN_OR_RETURN(auto rows, tx.meetings().meetingsPostedSince(today));
    return loadMeetings(tx, rows);
  });
}

Result<Template> Meetings::templateNamed(const std::string& name) const {
  return cachedTemplate(name, template_override_dir_);
}

Value Meetings::meetingValues(const Printed& p, const std::vector<const AgendaItem*>& items) const {
  const Meeting& m = p.m;
  const Committee* cm = org_.committee(m.committee);
  Value meeting = Value::record();
  meeting.set("committee_id", m.committee);
  meeting.set("committee_name", cm ? cm->name : m.committee);
  meeting.set("date", m.date);
  if (m.time) meeting.set("start_time", *m.time);
  meeting.set("place", m.place.value_or(""));
  meeting.set("chair", m.chair ? p.name(*m.chair) : std::string());
  meeting.set("secretary", p.name(m.created_by));
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
  for (const auto& person : m.attendance) {
    Value v = Value::record().set("name", person.name).set("role", person.role);
    bool official = person.role.find("sekreterare") != std::string::npos ||
                    person.role.find("tjänsteperson") != std::string::npos;
    if (official) {
      v.set("title", person.role);
      officials.push(std::move(v));
    } else {
      members.push(std::move(v));
    }
  }
  if (!m.attendance.empty()) meeting.set("members", members);
  if (!officials.items().empty()) meeting.set("officials", officials);
  Value adjusters = Value::list();
  for (const auto& a : m.adjusters) adjusters.push(Value::record().set("name", p.name(a)));
  meeting.set("adjusters", adjusters);
  Value list = Value::list();
  for (const auto* a : items) {
    Value item = Value::record();
    item.set("number", std::to_string(a->position));
    if (a->paragraph) item.set("paragraph", paragraphLabel(*a->paragraph));
    item.set("title", a->title);
    if (a->dnr) item.set("dnr", *a->dnr);
    if (a->case_id) {
      auto officer = p.officers.find(*a->case_id);
      if (officer != p.officers.end()) item.set("officer", officer->second);
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

Result<doc::Document> Meetings::renderAgenda(std::int64_t meeting_id, const Viewer& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto p, store_.read([&](store::Tx& tx) {
    return loadPrinted(tx, meeting_id);
  }));
  if (!seesCommitteeWork(viewer, p.m.committee, org_)) return std::unexpected(meetingNotFound());
  KANSLI_ASSIGN_OR_RETURN(auto t, templateNamed("kallelse"));
  std::vector<const AgendaItem*> items;
  for (const auto& a : p.m.items) items.push_back(&a);
  return expand(t, meetingValues(p, items));
}

Result<doc::Document> Meetings::renderMinutes(std::int64_t meeting_id, const Viewer& viewer) const {
  auto load = [&](store::Tx& tx) { return loadPrinted(tx, meeting_id); };
  auto p = store_.read(load);
  if (viewer.isPublic()) {
    // The public reads the minutes on the notice board, once posted.
    if (!p || !p->m.posted_on) return std::unexpected(Error::notFound("protokollet är inte anslaget"));
  } else {
    if (!p) return std::unexpected(p.error());
    if (!seesCommitteeWork(viewer, p->m.committee, org_)) return std::unexpected(meetingNotFound());
  }
  if (!p->m.minutes_drawn) {
    return std::unexpected(Error::conflict("protokollet är inte upprättat än"));
  }
  KANSLI_ASSIGN_OR_RETURN(auto t, templateNamed("protokoll"));
  std::vector<const AgendaItem*> items;
  for (const auto& a : p->m.items) items.push_back(&a);
  return expand(t, meetingValues(*p, items));
}

Result<doc::Document> Meetings::renderExtract(std::int64_t decision_id,
                                              const Viewer& viewer) const {
  auto load = [&](store::Tx& tx) -> Result<Printed> {
    KANSLI_ASSIGN_OR_RETURN(auto found, seeDecision(tx, decision_id, viewer, org_));
    return loadPrinted(tx, found.first.id);
  };
  KANSLI_ASSIGN_OR_RETURN(auto p, store_.read(load));
  KANSLI_ASSIGN_OR_RETURN(auto t, templateNamed("protokollsutdrag"));
  std::vector<const AgendaItem*> items;
  for (const auto& a : p.m.items) {
    if (a.decision && a.decision->id == decision_id) items.push_back(&a);
  }
  Value v = meetingValues(p, items);
  Value extract = Value::record();
  extract.set("certifier", p.name(p.m.created_by));
  if (p.m.attested_at) {
    Instant at;
    if (parseInstant(*p.m.attested_at, at)) extract.set("date", formatDate(stockholmDate(at)));
  }
  v.set("extract", extract);
  return expand(t, v);
}

}  // namespace kansli
