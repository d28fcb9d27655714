// Meetings and decisions (kansli/meetings.h): meetings, agenda items,
// paragraph numbers, decisions and their search index, attestations.
#pragma once

#include <array>
#include <utility>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kansli/error.h"
#include "store/diarium_repo.h"
#include "store/search_words.h"

namespace kansli::store {

struct MeetingRow {
  std::int64_t id = 0;
  std::string committee, date;
  std::optional<std::string> time, place, chair;
  std::string adjusters;        // comma separated usernames
  std::string attendance_json;  // [{name, role}]
  bool minutes_drawn = false;
  std::optional<std::string> attested_at, posted_on, appeal_until;
  std::string created_at, created_by;
  std::optional<std::string> end_time = {}, adjust_date = {}, adjust_place = {};
  std::optional<int> first_paragraph = {};
  int notice_version = 0;
  std::string notice_pending = "[]";  // JSON list of lines
};

struct NoticeRow {
  int version = 0;
  std::string sent_at, sent_by;
  std::string changes_json;  // JSON list of lines
};

struct AgendaRow {
  std::int64_t meeting_id = 0;
  int position = 0;
  std::string kind = "arende";
  std::optional<std::int64_t> case_id;
  std::optional<std::string> dnr;
  std::string title;
  std::optional<int> paragraph;
};

struct DecisionRow {
  std::int64_t id = 0;
  std::int64_t meeting_id = 0;
  int position = 0;
  std::optional<std::int64_t> case_id;
  std::string outcome, text, details_json, recorded_at, recorded_by;
  int version = 1;
};

struct DecisionVersionRow {
  std::int64_t decision_id = 0;
  int version = 0;
  std::string outcome, text, details_json, recorded_at, recorded_by;
  std::string replaced_at, replaced_by, reason;
};

struct RectificationRow {
  std::int64_t id = 0;
  std::int64_t decision_id = 0;
  std::string text, reason, recorded_at, recorded_by;
  std::optional<std::int64_t> reported_meeting_id;
  std::optional<std::string> reported_date;  // that meeting's date (read only)
};

struct AttestationRow {
  std::string username, capacity, at;
  std::string method = "inloggning";
  std::optional<std::string> confirmed_at;
};

struct DecisionListParams {
  std::optional<SearchWords> words;
  std::optional<std::string> committee, outcome, dnr, from, to;
  std::optional<int> year;
  bool attested_only = false;
  std::optional<std::string> unattested_committee;  // exempt from attested_only
  int limit = 50;
  // A search by case number: the decisions on the cases it names come first
  // (newest meeting first), then the full-text hits (words) without them.
  std::optional<CaseNumber> case_number;
};

class MeetingsRepo {
 public:
  virtual ~MeetingsRepo() = default;
  virtual Result<std::int64_t> meetingInsert(const MeetingRow& m) = 0;
  virtual Result<std::optional<MeetingRow>> meetingById(std::int64_t id) = 0;
  virtual Result<std::vector<MeetingRow>> meetingList(
      const std::optional<std::string>& committee) = 0;
  // Posted minutes whose appeal period runs on `appeal_from` or later.
  virtual Result<std::vector<MeetingRow>> meetingsPostedSince(const std::string& appeal_from) = 0;
  virtual Result<void> meetingSetMinutesDrawn(std::int64_t id) = 0;
  virtual Result<void> meetingSetAttested(std::int64_t id, const std::string& at) = 0;
  virtual Result<void> meetingSetPosted(std::int64_t id, const std::string& posted_on,
                                        const std::string& appeal_until) = 0;
  // Writes the changeable fields: time, end_time, place, chair, adjusters,
  // attendance, adjust_date, adjust_place, first_paragraph, notice_pending.
  virtual Result<void> meetingUpdate(const MeetingRow& m) = 0;
  virtual Result<void> meetingSetNoticePending(std::int64_t id, const std::string& json) = 0;
  // Records version `n.version` of the notice as sent and clears the pending changes.
  virtual Result<void> noticeInsert(std::int64_t meeting_id, const NoticeRow& n) = 0;
  virtual Result<std::vector<NoticeRow>> noticesOf(std::int64_t meeting_id) = 0;

  virtual Result<std::vector<AgendaRow>> agendaOf(std::int64_t meeting_id) = 0;
  virtual Result<void> agendaInsert(const AgendaRow& a) = 0;
  virtual Result<void> agendaDelete(std::int64_t meeting_id, int position) = 0;
  // Gives the items (and their decisions) new positions: {from, to} pairs,
  // a permutation of the positions they name.
  virtual Result<void> agendaRenumber(std::int64_t meeting_id,
                                      const std::vector<std::pair<int, int>>& moves) = 0;
  virtual Result<void> agendaSetParagraph(std::int64_t meeting_id, int position,
                                          int paragraph) = 0;
  // Draws the next paragraph number of (committee, year).
  virtual Result<int> paragraphDraw(const std::string& committee, int year) = 0;
  // The last number drawn (0 when none).
  virtual Result<int> paragraphLast(const std::string& committee, int year) = 0;
  // The next number drawn will be `next` (which must be above the last).
  virtual Result<void> paragraphSkipTo(const std::string& committee, int year, int next) = 0;

  virtual Result<std::int64_t> decisionInsert(const DecisionRow& d) = 0;
  virtual Result<std::optional<DecisionRow>> decisionAt(std::int64_t meeting_id,
                                                        int position) = 0;
  virtual Result<std::optional<DecisionRow>> decisionById(std::int64_t id) = 0;
  virtual Result<std::vector<DecisionRow>> decisionsOfMeeting(std::int64_t meeting_id) = 0;
  // Replaces the decision's outcome, text, details, recorded_at/by and version.
  virtual Result<void> decisionUpdate(const DecisionRow& d) = 0;
  virtual Result<void> decisionVersionInsert(const DecisionVersionRow& v) = 0;
  virtual Result<std::vector<DecisionVersionRow>> decisionVersionsOf(std::int64_t decision_id) = 0;
  virtual Result<std::int64_t> rectificationInsert(const RectificationRow& r) = 0;
  virtual Result<std::vector<RectificationRow>> rectificationsOf(std::int64_t decision_id) = 0;
  virtual Result<std::optional<RectificationRow>> rectificationById(std::int64_t id) = 0;
  virtual Result<std::vector<RectificationRow>> rectificationsReportedAt(std::int64_t meeting_id) = 0;
  // Rättelser of `committee`'s decisions at meetings before `before_date`
  // not yet reported: they are reported at `meeting_id`.
  virtual Result<int> rectificationsReport(const std::string& committee,
                                           const std::string& before_date,
                                           std::int64_t meeting_id) = 0;
  // Replaces the decision's row in the decision search index.
  virtual Result<void> decisionIndex(std::int64_t decision_id, const std::string& text,
                                     const std::string& memo_text) = 0;
  // Decision ids matching, newest meeting first (or best match first with words).
  virtual Result<std::vector<std::int64_t>> decisionSearch(const DecisionListParams& p) = 0;

  virtual Result<void> attestationInsert(std::int64_t meeting_id, const AttestationRow& a) = 0;
  // Each attestation, in order.
  virtual Result<std::vector<AttestationRow>> attestationsOf(std::int64_t meeting_id) = 0;
};

}  // namespace kansli::store
