#include "kansli/json_text.h"

#include <Poco/JSON/Stringifier.h>

#include <charconv>
#include <sstream>
#include <typeinfo>

namespace kansli {

namespace {
// JSON text as Poco's compact stringify() writes it, byte for byte (the
// JsonWriter tests compare the two), without its per-character ostream
// writes and per-value string conversions: every answer's body and every
// audit event's detail is built here, and Poco's writer was the largest part
// of a read's and a search page's cost and a tenth of a registration's
// (issue #20). Types other than strings, integers, booleans,
// objects and arrays (doubles, dates) are written by Poco itself.
void appendString(std::string& out, std::string_view s) {
  out += '"';
  std::size_t plain = 0;  // start of the run of bytes that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 32 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        static const char* const kHex = "0123456789ABCDEF";
        const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(u, sizeof u);
      }
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

template <class T>
void appendInteger(std::string& out, T n) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  out.append(buf, static_cast<std::size_t>(end - buf));
}

void appendObject(std::string& out, const Poco::JSON::Object& o);
void appendArray(std::string& out, const Poco::JSON::Array& a);

void appendValue(std::string& out, const Poco::Dynamic::Var& v) {
  const std::type_info& t = v.type();
  if (t == typeid(std::string)) {
    appendString(out, v.extract<std::string>());
  } else if (t == typeid(Poco::JSON::Object)) {
    appendObject(out, v.extract<Poco::JSON::Object>());
  } else if (t == typeid(Poco::JSON::Array)) {
    appendArray(out, v.extract<Poco::JSON::Array>());
  } else if (t == typeid(Poco::JSON::Object::Ptr) && v.extract<Poco::JSON::Object::Ptr>()) {
    appendObject(out, *v.extract<Poco::JSON::Object::Ptr>());
  } else if (t == typeid(Poco::JSON::Array::Ptr) && v.extract<Poco::JSON::Array::Ptr>()) {
    appendArray(out, *v.extract<Poco::JSON::Array::Ptr>());
  } else if (t == typeid(bool)) {
    out += v.extract<bool>() ? "true" : "false";
  } else if (t == typeid(int)) {
    appendInteger(out, v.extract<int>());
  } else if (t == typeid(long)) {
    appendInteger(out, v.extract<long>());
  } else if (t == typeid(long long)) {
    appendInteger(out, v.extract<long long>());
  } else if (t == typeid(unsigned)) {
    appendInteger(out, v.extract<unsigned>());
  } else if (t == typeid(unsigned long)) {
    appendInteger(out, v.extract<unsigned long>());
  } else if (t == typeid(unsigned long long)) {
    appendInteger(out, v.extract<unsigned long long>());
  } else {
    std::ostringstream ss;
    Poco::JSON::Stringifier::stringify(v, ss, 0, 0, Poco::JSON_WRAP_STRINGS);
    out += ss.str();
  }
}

// (Nested objects and arrays are written with their parent's escaping, as
// Poco does; jsonText hands an object that escapes all non-ASCII, which
// Kansli never makes, to Poco whole.)
void appendObject(std::string& out, const Poco::JSON::Object& o) {
  Poco::JSON::Object::NameList names;
  o.getNames(names);  // in insertion order when the object keeps it (obj())
  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    appendString(out, names[i]);
    out += ':';
    appendValue(out, o.get(names[i]));
  }
  out += '}';
}

void appendArray(std::string& out, const Poco::JSON::Array& a) {
  out += '[';
  bool first = true;
  for (const auto& v : a) {
    if (!first) out += ',';
    first = false;
    appendValue(out, v);
  }
  out += ']';
}
}  // namespace

std::string jsonText(const Poco::JSON::Object& o) {
  if (o.getEscapeUnicode()) {
    std::ostringstream ss;
    o.stringify(ss);
    return ss.str();
  }
  std::string out;
  out.reserve(256);
  appendObject(out, o);
  return out;
}

std::string jsonText(const Poco::JSON::Array& a) {
  if (a.getEscapeUnicode()) {
    std::ostringstream ss;
    a.stringify(ss);
    return ss.str();
  }
  std::string out;
  out.reserve(256);
  appendArray(out, a);
  return out;
}

void JsonText::string(std::string_view s) {
  separate();
  appendString(out_, s);
}

void JsonText::integer(std::int64_t n) {
  separate();
  appendInteger(out_, n);
}

}  // namespace kansli
