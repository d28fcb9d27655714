// RFC 9457 problem+json: the one place Error codes become HTTP statuses.
#pragma once

#include <string>
#include <string_view>

#include "kansli/error.h"

namespace kansli::api {

int httpStatus(ErrorCode code);
// The Swedish title for a status ("Ogiltig begäran").
std::string statusTitle(int status);
// {"type":"about:blank","status":..,"title":..,"detail":..,"errors":[{field,message}],
//  "allowed":[..]} as a JSON string. Every text in it is made valid UTF-8
// (text::toValidUtf8): problem texts echo what the client sent (a path, a
// committee), and the body must stay valid JSON.
std::string problemJson(const Error& e, const std::string& instance = "");

}  // namespace kansli::api
