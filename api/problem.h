// RFC 9457 problem+json: the one place Error codes become HTTP statuses.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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

// Folders of this server (the data dir, the home of templates and workflows)
// whose names never appear in a problem: an error from a template file says
// "templates/x.xml:3: ...", not where the server keeps it. Set once at start;
// every problem text (detail, field messages) passes through hideServerPaths.
void setServerPaths(std::vector<std::string> folders);
std::string hideServerPaths(std::string_view text);

}  // namespace kansli::api
