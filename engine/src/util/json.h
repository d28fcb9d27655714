// JSON the engine writes for itself (audit details, stored lists): objects
// that keep their keys in insertion order, and their text. Engine-private.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>

namespace kansli::json {

Poco::JSON::Object ordered();
std::string str(const Poco::JSON::Object& o);
std::string str(const Poco::JSON::Array& a);
// `s` as a JSON string literal, quotes included: "\"Zebra\"".
std::string quoted(std::string_view s);

}  // namespace kansli::json
