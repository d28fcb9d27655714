#include "util/json.h"

#include <sstream>

namespace kansli::json {

Poco::JSON::Object ordered() { return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string str(const Poco::JSON::Object& o) {
  std::ostringstream ss;
  o.stringify(ss);
  return ss.str();
}

std::string str(const Poco::JSON::Array& a) {
  std::ostringstream ss;
  a.stringify(ss);
  return ss.str();
}

std::string quoted(std::string_view s) {
  Poco::JSON::Array a;
  a.add(std::string(s));
  std::string j = str(a);
  return j.substr(1, j.size() - 2);  // the one element, without the brackets
}

}  // namespace kansli::json
