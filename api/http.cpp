#include "http.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/UTF8Encoding.h>

#include <unistd.h>

#include <string_view>
#include <typeinfo>

#include "kansli/text.h"
#include "problem.h"

namespace kansli::api {

BodyFile::~BodyFile() {
  if (fd >= 0) ::close(fd);
}

Poco::JSON::Object obj() { return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }


Response Response::json(int status, const Poco::JSON::Object& o) {
  Response r;
  r.status = status;
  r.body = jsonText(o);
  return r;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::json(int status, const Poco::JSON::Array& a) {
  Response r;
  r.status = status;
  r.body = jsonText(a);
  return r;
}

Response Response::problem(const Error& e, const std::string& instance) {
  Response r;
  r.status = httpStatus(e.code);
  r.content_type = "application/problem+json; charset=utf-8";
  r.body = problemJson(e, instance);
  return r;
}

Response Response::problem(int status, const std::string& detail) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json; charset=utf-8";
  auto o = obj();
  o.set("type", "about:blank");
  o.set("status", status);
  o.set("title", statusTitle(status));
  o.set("detail", text::toValidUtf8(hideServerPaths(detail)));
  r.body = jsonText(o);
  return r;
}

namespace {
// Poco's parser names the byte it stopped at, which may be one byte of a
// multi-byte UTF-8 character; quoted as is it would make the problem+json
// answer itself invalid UTF-8. Bytes outside printable ASCII are written \xNN.
std::string printableMessage(const std::string& m) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : m) {
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}
}  // namespace

Result<Poco::JSON::Object::Ptr> parseJsonBody(const Request& r) {
  // JSON is expected; curl's default form type is tolerated (the body must
  // still parse as JSON), anything else that names a type is refused.
  std::string ct = r.header("content-type");
  if (!ct.empty() && ct.find("json") == std::string::npos &&
      ct.find("application/x-www-form-urlencoded") == std::string::npos) {
    return std::unexpected(Error{ErrorCode::kInvalidInput,
                                 "innehållet måste vara JSON (Content-Type: application/json)",
                                 {{"Content-Type", "förväntade application/json"}},
                                 {}});
  }
  if (r.body.empty()) return std::unexpected(Error::invalid("begäran saknar innehåll (JSON)"));
  if (!text::isValidUtf8(r.body)) {
    return std::unexpected(Error::invalid("innehållet är inte giltig UTF-8"));
  }
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(32);
    Poco::Dynamic::Var v = parser.parse(r.body);
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
      return std::unexpected(Error::invalid("JSON-innehållet måste vara ett objekt"));
    }
    return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return std::unexpected(Error::invalid("ogiltig JSON: " + printableMessage(e.message())));
  } catch (const std::exception& e) {
    return std::unexpected(Error::invalid("ogiltig JSON: " + printableMessage(e.what())));
  }
}

Result<std::int64_t> pathId(const Request& r, const std::string& name, const std::string& what) {
  auto it = r.params.find(name);
  auto n = it == r.params.end() ? std::nullopt
                                : text::parseInteger(it->second, 0, 999'999'999'999'999'999);
  if (!n) return std::unexpected(Error::notFound(what + " finns inte"));
  return *n;
}

std::optional<std::int64_t> queryInteger(const Request& r, const std::string& name,
                                         std::int64_t lo, std::int64_t hi,
                                         const std::string& message,
                                         std::vector<FieldError>& errors) {
  auto v = r.queryParam(name);
  if (!v || v->empty()) return std::nullopt;
  auto n = text::parseInteger(*v, lo, hi);
  if (!n) errors.push_back({name, message});
  return n;
}

std::optional<std::string> stringField(const Poco::JSON::Object::Ptr& o, const std::string& field,
                                       std::vector<FieldError>& errors, bool required,
                                       std::size_t max_len) {
  if (!o->has(field) || o->isNull(field)) {
    if (required) errors.push_back({field, "fältet krävs"});
    return std::nullopt;
  }
  Poco::Dynamic::Var v = o->get(field);
  if (!v.isString()) {
    errors.push_back({field, "måste vara en sträng"});
    return std::nullopt;
  }
  std::string s = v.convert<std::string>();
  if (s.size() > max_len) {
    errors.push_back({field, "är för långt (högst " + std::to_string(max_len) + " byte)"});
    return std::nullopt;
  }
  if (required && text::trim(s).empty()) {
    errors.push_back({field, "får inte vara tomt"});
    return std::nullopt;
  }
  return s;
}

std::optional<bool> boolField(const Poco::JSON::Object::Ptr& o, const std::string& field,
                              std::vector<FieldError>& errors, bool required) {
  if (!o->has(field) || o->isNull(field)) {
    if (required) errors.push_back({field, "fältet krävs (true eller false)"});
    return std::nullopt;
  }
  Poco::Dynamic::Var v = o->get(field);
  if (!v.isBoolean()) {
    errors.push_back({field, "måste vara true eller false"});
    return std::nullopt;
  }
  return v.extract<bool>();
}

}  // namespace kansli::api
