// Engine-private: how the meetings module stores and reads its records
// (attendance and decision details as JSON, a meeting with its agenda,
// decisions and attestations), and the helpers its steps share.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "kansli/meetings.h"

namespace kansli::store {
class Tx;
struct MeetingRow;
}  // namespace kansli::store

namespace kansli::meetings {

std::string attendanceJson(const std::vector<Attendee>& a);
// kInternal when the stored list is damaged: never read as an empty one.
Result<std::vector<Attendee>> attendanceFrom(const std::string& json, std::int64_t meeting_id);
std::string detailsJson(const DecisionInput& d);
// kInternal when the stored details are damaged: never read as empty ones.
Result<DecisionInput> detailsFrom(const std::string& outcome, const std::string& json,
                                  std::int64_t decision_id);

// The decision as the minutes write it: "Socialnämnden beslutar\n\natt ...".
std::string decisionText(const DecisionInput& d, const std::string& committee_name);
// The words of a memo, for the decision search index.
std::string memoPlainText(const Memo& memo);

// The words of a secret case's secret parts (its secret subject or senders,
// its secret documents' titles and counterparts), folded as the search
// index folds them; and `text` without them. So the decision index, which
// the public searches, never holds a word only a secret part has.
std::set<std::string> secretWords(const Case& c, const std::vector<Document>& docs);
std::string withoutWords(const std::string& text, const std::set<std::string>& words);

// The workflow transition a meeting step takes for a case: the first from the
// case's state whose guards include `guard` (and, for decision-outcome, this
// outcome).
const workflow::Transition* findTransition(const workflow::Workflow& wf, const std::string& state,
                                           workflow::GuardKind guard,
                                           const std::string& outcome = "");

// Automatic case moves after justering are the meeting module's, not a
// person's: recorded as the actor "system".
User systemUser();

Result<Meeting> loadMeeting(store::Tx& tx, std::int64_t id);
Result<std::vector<Meeting>> loadMeetings(store::Tx& tx, const std::vector<store::MeetingRow>& rows);
Result<void> requireSecretaryOf(const Meeting& m, const User& user);
Error ruleBroken(ErrorCode code, const std::string& msg);

}  // namespace kansli::meetings
