// One JSON object per line on stdout (access log) or stderr (errors). Lines
// from concurrent threads never interleave. Never pass a password, token or
// secret content here.
#pragma once

#include <Poco/JSON/Object.h>

namespace kansli::api {
void logLine(const Poco::JSON::Object& o, bool error = false);
}
