// Meetings and decisions as JSON: what the API answers (meetingJson,
// decisionJson) and what it reads (a new meeting, a change, a decision).
// Readers collect every bad field into `errors`, named as the client sent it
// ("motions[0].mover", "votings[1].ballots[3].vote"), with sizes bounded.
#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http.h"
#include "kansli/meetings.h"
#include "kansli/organisation.h"

namespace kansli::api {

// `masked`: the reader may not see the secret case the decision is in: its
// text and everything said (yrkanden, votes, reservations ...) are left out
// and `secrecy` says why.
Poco::JSON::Object decisionJson(const Decision& d, const Organisation& org,
                                const std::optional<std::string>& masked = std::nullopt);
// `masked(decision)`: the provision when that item is masked for the reader.
Poco::JSON::Object meetingJson(
    const Meeting& m, const Organisation& org,
    const std::function<std::optional<std::string>(const Decision&)>& masked = {});

NewMeeting readNewMeeting(const Poco::JSON::Object::Ptr& body, std::vector<FieldError>& errors);
MeetingChange readMeetingChange(const Poco::JSON::Object::Ptr& body,
                                std::vector<FieldError>& errors);
DecisionInput readDecision(const Poco::JSON::Object::Ptr& body, std::vector<FieldError>& errors);

// A JSON list of strings (each at most 2000 bytes, at most 100 of them).
std::vector<std::string> stringList(const Poco::JSON::Object::Ptr& o, const std::string& key,
                                    std::vector<FieldError>& errors);

}  // namespace kansli::api
