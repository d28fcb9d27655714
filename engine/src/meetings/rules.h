// Engine-private: the secretary's rules that need more than one field
// (kansli/meetings.h lists them), each answering the Swedish reason a
// refusal names.
#pragma once

#include <string>
#include <vector>

#include "kansli/meetings.h"

namespace kansli::store {
class Tx;
}

namespace kansli::meetings {

// The decision's shape: an outcome the module knows, a text or clauses
// (unless a standing item's "noteras"), yrkanden with a mover and a text
// that are not the same, votes that add up. Field errors, empty when good.
std::vector<FieldError> checkDecisionShape(const DecisionInput& d);

// The rules that need the meeting: a standing item takes no outcome or
// "noteras" and a case an outcome; a decision proposes only to another
// committee; and when the attendance is recorded, those who move, vote and
// reserve themselves are members or serving substitutes present, and
// not disqualified (jäv); those disqualified were present. kUnprocessable
// naming each field.
Result<void> checkDecisionAt(const DecisionInput& d, const Meeting& m, const AgendaItem& item,
                             const Organisation& org);

// No decision before the meeting day (Europe/Stockholm).
Result<void> checkMeetingDay(const Meeting& m, const std::string& today);

// One person never attests alone: the chair and the adjusters named are
// distinct, each a ledamot user of the committee (never the secretary).
// `at_justering` (minutes drawn, attested) also requires a chair and at
// least one adjuster, each present at the meeting as a member or serving
// substitute. kUnprocessable naming "chair" / "adjusters".
Result<void> checkAdjusters(store::Tx& tx, const Meeting& m, bool at_justering);

// Whether `written` ("Lisa Larsson (M)") names attendee `a`.
bool names(const std::string& written, const Attendee& a);

}  // namespace kansli::meetings
