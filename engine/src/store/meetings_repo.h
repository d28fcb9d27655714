// Meetings and decisions (kansli/meetings.h): meetings, agenda items,
// paragraph numbers, decisions and their search index, attestations.
#pragma once

#include <array>
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
};

struct AgendaRow {
  std::int64_t meeting_id = 0;
  int position = 0;
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

  virtual Result<std::vector<AgendaRow>> agendaOf(std::int64_t meeting_id) = 0;
  virtual Result<void> agendaInsert(const AgendaRow& a) = 0;
  virtual Result<void> agendaSetParagraph(std::int64_t meeting_id, int position,
                                          int paragraph) = 0;
  // Draws the next paragraph number of (committee, year).
  virtual Result<int> paragraphDraw(const std::string& committee, int year) = 0;

  virtual Result<std::int64_t> decisionInsert(const DecisionRow& d) = 0;
  virtual Result<std::optional<DecisionRow>> decisionAt(std::int64_t meeting_id,
                                                        int position) = 0;
  virtual Result<std::optional<DecisionRow>> decisionById(std::int64_t id) = 0;
  virtual Result<std::vector<DecisionRow>> decisionsOfMeeting(std::int64_t meeting_id) = 0;
  // Replaces the decision's row in the decision search index.
  virtual Result<void> decisionIndex(std::int64_t decision_id, const std::string& text,
                                     const std::string& memo_text) = 0;
  // Decision ids matching, newest meeting first (or best match first with words).
  virtual Result<std::vector<std::int64_t>> decisionSearch(const DecisionListParams& p) = 0;

  virtual Result<void> attestationInsert(std::int64_t meeting_id, const std::string& username,
                                         const std::string& capacity, const std::string& at) = 0;
  // {username, capacity, at} of each attestation, in order.
  virtual Result<std::vector<std::array<std::string, 3>>> attestationsOf(
      std::int64_t meeting_id) = 0;
};

}  // namespace kansli::store
