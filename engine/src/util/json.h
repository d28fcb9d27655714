// JSON the engine writes for itself (audit details, stored lists): objects
// that keep their keys in insertion order, and string literals. Their text:
// jsonText (kansli/json_text.h). Engine-private.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>

namespace kansli::json {

Poco::JSON::Object ordered();
// `s` as a JSON string literal, quotes included: "\"Zebra\"".
std::string quoted(std::string_view s);

}  // namespace kansli::json
