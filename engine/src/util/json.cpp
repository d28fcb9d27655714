#include "util/json.h"

#include "kansli/json_text.h"

namespace kansli::json {

Poco::JSON::Object ordered() { return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string str(const Poco::JSON::Object& o) { return jsonText(o); }

std::string str(const Poco::JSON::Array& a) { return jsonText(a); }

std::string quoted(std::string_view s) {
  Poco::JSON::Array a;
  a.add(std::string(s));
  std::string j = str(a);
  return j.substr(1, j.size() - 2);  // the one element, without the brackets
}

}  // namespace kansli::json
