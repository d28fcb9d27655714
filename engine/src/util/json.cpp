#include "util/json.h"

#include "kansli/json_text.h"

namespace kansli::json {

Poco::JSON::Object ordered() { return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string quoted(std::string_view s) {
  std::string out;
  JsonText(out).string(s);
  return out;
}

}  // namespace kansli::json
