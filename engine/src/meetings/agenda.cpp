// Changing a meeting before it is over: the agenda (remove, reorder), the
// notice and its versions, time, place and attendance.
#include <algorithm>
#include <set>

#include "kansli/meetings.h"
#include "kansli/text.h"
#include "meetings/records.h"
#include "meetings/rules.h"
#include "store/diarium_repo.h"
#include "store/meetings_repo.h"
#include "store/store.h"
#include "store/tx.h"

namespace kansli {

using meetings::loadMeeting;
using meetings::requireSecretaryOf;
using meetings::ruleBroken;

Result<void> Meetings::noteChange(store::Tx& tx, const Meeting& m, const std::string& line) const {
  if (m.notice_version == 0) return ok();  // the notice is not sent: nothing to tell anyone
  auto pending = m.pending_changes;
  pending.push_back(line);
  return tx.meetings().meetingSetNoticePending(m.id, meetings::linesJson(pending));
}

Result<Meeting> Meetings::update(std::int64_t meeting_id, const MeetingChange& c,
                                 const User& user) {
  std::vector<FieldError> errors;
  auto time_ok = [](const std::optional<std::string>& t) {
    return !t || t->empty() || (t->size() == 5 && (*t)[2] == ':' && t->substr(0, 2) < "24" &&
                                t->substr(3, 2) < "60" &&
                                std::all_of(t->begin(), t->end(), [](char ch) {
                                  return ch == ':' || std::isdigit(static_cast<unsigned char>(ch));
                                }));
  };
  if (!time_ok(c.time)) errors.push_back({"time", "skrivs TT:MM"});
  if (!time_ok(c.end_time)) errors.push_back({"end_time", "skrivs TT:MM"});
  std::chrono::year_month_day day;
  if (c.adjust_date && !c.adjust_date->empty() && !parseDate(*c.adjust_date, day)) {
    errors.push_back({"adjust_date", "måste vara ett datum ÅÅÅÅ-MM-DD"});
  }
  if (c.place && c.place->size() > 200) errors.push_back({"place", "för lång"});
  if (c.first_paragraph && (*c.first_paragraph < 1 || *c.first_paragraph > 100000)) {
    errors.push_back({"first_paragraph", "måste vara 1-100000"});
  }
  if (c.attendance) {
    for (auto& e : meetings::checkAttendance(*c.attendance)) errors.push_back(std::move(e));
  }
  if (!errors.empty()) return std::unexpected(Error::invalid("ändringen är inte giltig", errors));
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.attested_at) {
      return std::unexpected(ruleBroken(
          ErrorCode::kConflict, "protokollet är justerat; sammanträdets uppgifter kan inte längre ändras"));
    }
    if (c.first_paragraph && m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                        "paragraferna är redan numrerade i det upprättade protokollet"));
    }
    auto opt = [](const std::optional<std::string>& v) -> std::optional<std::string> {
      if (v && v->empty()) return std::nullopt;
      return v;
    };
    Meeting after = m;
    std::vector<std::string> notice_lines;
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    auto changeText = [&](const char* field, const char* label, std::optional<std::string>& target,
                          const std::optional<std::string>& value, bool in_notice) {
      if (!value) return;
      auto v = opt(value);
      if (v == target) return;
      detail.set(std::string(field) + "_before", target.value_or(""));
      detail.set(field, v.value_or(""));
      if (in_notice) {
        notice_lines.push_back(std::string(label) + " är ändrad: " + v.value_or("(ingen)") +
                               (target ? " (var " + *target + ")" : ""));
      }
      target = v;
    };
    changeText("time", "Tiden", after.time, c.time, true);
    changeText("end_time", "Sluttiden", after.end_time, c.end_time, false);
    changeText("place", "Platsen", after.place, c.place, true);
    changeText("adjust_date", "Justeringsdagen", after.adjust_date, c.adjust_date, false);
    changeText("adjust_place", "Justeringsplatsen", after.adjust_place, c.adjust_place, false);
    changeText("chair", "Ordföranden", after.chair, c.chair, false);
    if (c.adjusters && *c.adjusters != m.adjusters) {
      after.adjusters = *c.adjusters;
      detail.set("adjusters", text::joinList(after.adjusters));
    }
    if (c.attendance) {
      after.attendance = *c.attendance;
      detail.set("attendance", meetings::attendanceJson(after.attendance));
    }
    if (c.first_paragraph) {
      after.first_paragraph = c.first_paragraph;
      detail.set("first_paragraph", *c.first_paragraph);
    }
    // Whoever is named must be allowed to attest (the minutes' own check of
    // presence comes when they are drawn and attested).
    KANSLI_TRY(meetings::checkAdjusters(tx, after, false));
    auto pending = m.pending_changes;
    if (m.notice_version > 0) {
      for (auto& l : notice_lines) pending.push_back(std::move(l));
    }
    store::MeetingRow r;
    r.id = m.id;
    r.time = after.time;
    r.end_time = after.end_time;
    r.place = after.place;
    r.chair = after.chair;
    r.adjusters = text::joinList(after.adjusters);
    r.attendance_json = meetings::attendanceJson(after.attendance);
    r.adjust_date = after.adjust_date;
    r.adjust_place = after.adjust_place;
    r.first_paragraph = after.first_paragraph;
    r.notice_pending = meetings::linesJson(pending);
    KANSLI_TRY(tx.meetings().meetingUpdate(r));
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {user.actor(), "meeting.update", std::nullopt, detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

Result<Meeting> Meetings::removeItem(std::int64_t meeting_id, int position, const User& user) {
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                        "protokollet är redan upprättat; dagordningen kan inte ändras"));
    }
    auto item = std::find_if(m.items.begin(), m.items.end(),
                             [&](const AgendaItem& a) { return a.position == position; });
    if (item == m.items.end()) {
      return std::unexpected(Error::notFound("punkt " + std::to_string(position) +
                                             " finns inte på dagordningen"));
    }
    if (item->decision) {
      return std::unexpected(ruleBroken(
          ErrorCode::kConflict, "punkt " + std::to_string(position) +
                                    " har ett beslut och kan inte strykas; ett ärende som inte ska "
                                    "avgöras nu bordläggs"));
    }
    KANSLI_TRY(tx.meetings().agendaDelete(meeting_id, position));
    std::vector<std::pair<int, int>> moves;
    for (const auto& a : m.items) {
      if (a.position > position) moves.push_back({a.position, a.position - 1});
    }
    if (!moves.empty()) KANSLI_TRY(tx.meetings().agendaRenumber(meeting_id, moves));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("position", position);
    detail.set("title", item->title);
    std::string line = "Punkt " + std::to_string(position) + " har strukits: " +
                       (item->dnr ? *item->dnr + " " : std::string()) + item->title;
    if (item->case_id) {
      // The case is ready for the committee again (its workflow's way off an agenda).
      detail.set("case", *item->case_id);
      KANSLI_ASSIGN_OR_RETURN(auto c, tx.diarium().caseById(*item->case_id));
      KANSLI_ASSIGN_OR_RETURN(auto wf, flow_.workflowOf(*c));
      const auto* t = meetings::findTransition(*wf, c->state, workflow::GuardKind::kOffAgenda);
      if (!t) {
        return std::unexpected(ruleBroken(
            ErrorCode::kConflict, "arbetsgången " + wf->id + " har ingen väg av dagordningen från " +
                                      c->state));
      }
      TransitionRequest tr;
      tr.transition = t->id;
      tr.comment = "Struken från dagordningen till sammanträdet " + m.date;
      KANSLI_TRY(flow_.takeIn(tx, *item->case_id, tr, user, clock_.now()));
    }
    KANSLI_TRY(noteChange(tx, m, line));
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {user.actor(), "meeting.agenda_remove", item->case_id, detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

Result<Meeting> Meetings::reorder(std::int64_t meeting_id, const std::vector<int>& order,
                                  const User& user) {
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                        "protokollet är redan upprättat; dagordningen kan inte ändras"));
    }
    std::set<int> given(order.begin(), order.end());
    std::set<int> have;
    for (const auto& a : m.items) have.insert(a.position);
    if (given != have || order.size() != m.items.size()) {
      return std::unexpected(Error::invalid(
          "ordningen ska nämna varje punkt en gång",
          {{"order", "punkterna 1–" + std::to_string(m.items.size()) + ", var och en en gång"}}));
    }
    std::vector<std::pair<int, int>> moves;
    for (size_t i = 0; i < order.size(); ++i) {
      int to = static_cast<int>(i) + 1;
      if (order[i] != to) moves.push_back({order[i], to});
    }
    if (moves.empty()) return m;
    KANSLI_TRY(tx.meetings().agendaRenumber(meeting_id, moves));
    std::string list;
    for (int p : order) list += (list.empty() ? "" : ", ") + std::to_string(p);
    KANSLI_TRY(noteChange(tx, m, "Punkterna har fått en ny ordning (tidigare " + list + ")"));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("order", list);
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {user.actor(), "meeting.agenda_reorder", std::nullopt, detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

Result<Meeting> Meetings::sendNotice(std::int64_t meeting_id, const User& user) {
  return store_.write([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, meeting_id));
    KANSLI_TRY(requireSecretaryOf(m, user));
    if (m.minutes_drawn) {
      return std::unexpected(ruleBroken(ErrorCode::kConflict,
                                        "protokollet är upprättat; sammanträdet har redan hållits"));
    }
    if (m.items.empty()) {
      return std::unexpected(ruleBroken(ErrorCode::kUnprocessable,
                                        "föredragningslistan är tom; lägg till punkter först"));
    }
    if (m.notice_version > 0 && m.pending_changes.empty()) {
      return std::unexpected(ruleBroken(
          ErrorCode::kConflict, "kallelsen (version " + std::to_string(m.notice_version) +
                                    ") är redan skickad och inget har ändrats sedan dess"));
    }
    store::NoticeRow n;
    n.version = m.notice_version + 1;
    n.sent_at = formatInstant(clock_.now());
    n.sent_by = user.username;
    n.changes_json = meetings::linesJson(m.pending_changes);
    KANSLI_TRY(tx.meetings().noticeInsert(meeting_id, n));
    audit::Detail detail;
    detail.set("meeting", meeting_id);
    detail.set("version", n.version);
    if (!m.pending_changes.empty()) detail.set("changes", n.changes_json);
    KANSLI_TRY(audit::appendAudit(tx, clock_.now(), {user.actor(), "meeting.notice", std::nullopt, detail.json()}));
    return loadMeeting(tx, meeting_id);
  });
}

}  // namespace kansli
