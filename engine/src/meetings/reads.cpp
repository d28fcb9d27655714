// Meetings as each viewer may see them: meetings, decisions and the notice
// board, each read from one snapshot. The printed documents (kallelse,
// protokoll, protokollsutdrag) are in render.cpp.
#include <algorithm>
#include <map>

#include "diarium/search_query.h"
#include "access/seen.h"
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
                                                 const Viewer& viewer, const Organisation& org,
                                                 std::vector<std::int64_t>& secret_reads) {
  KANSLI_ASSIGN_OR_RETURN(auto row, tx.meetings().decisionById(id));
  if (!row) return std::unexpected(decisionNotFound());
  KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, row->meeting_id));
  for (const auto& a : m.items) {
    if (!a.decision || a.decision->id != id) continue;
    if (!a.decision->attested && !seesCommitteeWork(viewer, m.committee, org)) break;
    KANSLI_TRY(meetings::seeDecisionsOf(tx, m, viewer, org, secret_reads));
    Decision d = *std::find_if(m.items.begin(), m.items.end(), [&](const AgendaItem& i) {
                   return i.decision && i.decision->id == id;
                 })->decision;
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

Result<Meeting> Meetings::get(std::int64_t id, const Viewer& viewer) const {
  std::vector<std::int64_t> secret_reads;
  KANSLI_ASSIGN_OR_RETURN(auto m, store_.read([&](store::Tx& tx) -> Result<Meeting> {
    KANSLI_ASSIGN_OR_RETURN(auto m, loadMeeting(tx, id));
    if (!seesCommitteeWork(viewer, m.committee, org_)) return std::unexpected(meetingNotFound());
    KANSLI_TRY(meetings::seeDecisionsOf(tx, m, viewer, org_, secret_reads));
    return m;
  }));
  KANSLI_TRY(recordSecretReads(store_, clock_.now(), viewer, secret_reads));
  return m;
}

Result<std::vector<Meeting>> Meetings::list(const std::optional<std::string>& committee,
                                            const Viewer& viewer) const {
  std::vector<std::int64_t> secret_reads;
  auto load = [&](store::Tx& tx) -> Result<std::vector<Meeting>> {
    KANSLI_ASSIGN_OR_RETURN(auto rows, tx.meetings().meetingList(committee));
    KANSLI_ASSIGN_OR_RETURN(auto all, loadMeetings(tx, rows));
    std::vector<Meeting> seen;
    for (auto& m : all) {
      if (!seesCommitteeWork(viewer, m.committee, org_)) continue;
      KANSLI_TRY(meetings::seeDecisionsOf(tx, m, viewer, org_, secret_reads));
      seen.push_back(std::move(m));
    }
    return seen;
  };
  KANSLI_ASSIGN_OR_RETURN(auto seen, store_.read(load));
  KANSLI_TRY(recordSecretReads(store_, clock_.now(), viewer, secret_reads));
  return seen;
}

Result<Decision> Meetings::decision(std::int64_t id, const Viewer& viewer) const {
  std::vector<std::int64_t> secret_reads;
  auto load = [&](store::Tx& tx) { return seeDecision(tx, id, viewer, org_, secret_reads); };
  KANSLI_ASSIGN_OR_RETURN(auto found, store_.read(load));
  KANSLI_TRY(recordSecretReads(store_, clock_.now(), viewer, secret_reads));
  return std::move(found.second);
}

Result<std::vector<Decision>> Meetings::decisions(const DecisionQuery& q,
                                                  const Viewer& viewer) const {
  KANSLI_ASSIGN_OR_RETURN(auto p, decisionParams(q, viewer, org_));
  std::vector<std::int64_t> secret_reads;
  auto load = [&](store::Tx& tx) -> Result<std::vector<Decision>> {
    KANSLI_ASSIGN_OR_RETURN(auto ids, tx.meetings().decisionSearch(p));
    std::vector<Decision> out;
    for (auto id : ids) {
      KANSLI_ASSIGN_OR_RETURN(auto found, seeDecision(tx, id, viewer, org_, secret_reads));
      out.push_back(std::move(found.second));
    }
    return out;
  };
  KANSLI_ASSIGN_OR_RETURN(auto out, store_.read(load));
  KANSLI_TRY(recordSecretReads(store_, clock_.now(), viewer, secret_reads));
  return out;
}

Result<std::vector<Meeting>> Meetings::noticeBoard() const {
  const std::string today = formatDate(stockholmDate(clock_.now()));
  return store_.read([&](store::Tx& tx) -> Result<std::vector<Meeting>> {
    KANSLI_ASSIGN_OR_RETURN(auto rows, tx.meetings().meetingsPostedSince(today));
    return loadMeetings(tx, rows);
  });
}

}  // namespace kansli
