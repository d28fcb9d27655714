// Engine-private: how the meetings module stores and reads its records
// (attendance and decision details as JSON, a meeting with its agenda,
// decisions, attestations, notices and rättelser), and the helpers its steps
// share.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "kansli/access.h"
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
std::string linesJson(const std::vector<std::string>& lines);
std::vector<std::string> linesFrom(const std::string& json);

// The decision as the minutes write it: "Socialnämnden beslutar\n\natt ...".
// A clause that starts with a lower-case letter is an att-sats ("att ..."
// is added); one that starts with a capital is a sentence of its own.
std::string decisionText(const DecisionInput& d, const std::string& committee_name);
// "Socialnämnden beslutar" / "Kommunstyrelsen föreslår kommunfullmäktige besluta följande:"
std::string decisionIntro(const DecisionInput& d, const Organisation& org,
                          const std::string& committee);
// A clause as printed: "att ..." added to an att-sats.
std::string clauseText(const std::string& clause);
// "Joakim Jonsson (S) med instämmande av Dira Lindström (V) yrkar bifall till motionen."
std::string motionLine(const Motion& m);
// "Lisa Larsson (M) reserverar sig mot beslutet till förmån för ... : skäl".
std::string reservationLine(const Reservation& r);
// "Med 8 ja-röster mot 5 nej-röster, 1 avstår, ..." when the result was not written.
std::string votingResultLine(const Voting& v, const std::string& committee_name);
// Names joined as Swedish prose: "A, B och C".
std::string joinNames(const std::vector<std::string>& names);
// "Socialnämndens" from "Socialnämnden".
std::string genitive(const std::string& name);

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

// The decisions of `m` as `viewer` may read them. A decision is written in
// its case, so in a case with secrecy it is secret with the case (#14): to
// a viewer whose sight of the case is not full (the public, members,
// registrators, admins) its text, clauses, motions, proposition and
// reasons for reservations read as a note naming the provision. The cases
// whose secret decisions the viewer does read are added to `secret_reads`
// (the caller logs them as case.secret_read before showing anything).
Result<void> seeDecisionsOf(store::Tx& tx, Meeting& m, const Viewer& viewer,
                            const Organisation& org, std::vector<std::int64_t>& secret_reads);

Result<Meeting> loadMeeting(store::Tx& tx, std::int64_t id);
Result<std::vector<Meeting>> loadMeetings(store::Tx& tx,
                                          const std::vector<store::MeetingRow>& rows);
Result<void> requireSecretaryOf(const Meeting& m, const User& user);
Error ruleBroken(ErrorCode code, const std::string& msg);

// The kind a standing item's title names ("Val av justerare" ->
// val_av_justerare), or "ovrigt".
std::string kindFromTitle(const std::string& title);

// The people rules of a meeting that the store cannot check: attendance
// well formed (no one twice, a substitute serves for a member who is not
// there), chair and adjusters distinct. Field errors, empty when good.
std::vector<FieldError> checkAttendance(const std::vector<Attendee>& attendance);

}  // namespace kansli::meetings
