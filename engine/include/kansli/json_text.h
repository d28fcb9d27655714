// JSON text without Poco's writer (issue #20): the compact text of a Poco
// object or array, byte for byte what Poco's stringify() writes, and a
// writer (JsonText) for text on hot paths that needs no Poco object at all.
// The engine writes its audit details with these and the API its answers.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace kansli {

// What o.stringify() / a.stringify() write (compact), faster. An object or
// array that escapes all non-ASCII is handed to Poco whole.
std::string jsonText(const Poco::JSON::Object& o);
std::string jsonText(const Poco::JSON::Array& a);

// JSON written straight into a string, for the answers on hot paths (a case,
// a page of cases) and the registration's audit detail (issue #20), that
// would otherwise build a Poco object per case only to write it out. What it
// writes is what jsonText writes for the same object built with an
// insertion-ordered Poco object, byte for byte (compact, strings escaped as
// Poco escapes them, UTF-8 as is); the caller writes the keys in the order
// the object would have had them, each once. Commas are placed by looking at
// the last byte written, so nesting needs no bookkeeping: after '{', '[' or
// ':' (or at the start) none is needed, after anything else one is.
class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}
  void beginObject() { separate(); out_ += '{'; }
  void endObject() { out_ += '}'; }
  void beginArray() { separate(); out_ += '['; }
  void endArray() { out_ += ']'; }
  // A member's name; its value follows. Names are the handlers' own literals
  // (letters, digits, '_'), written as they are: none needs an escape.
  void key(std::string_view name) {
    separate();
    out_ += '"';
    out_ += name;
    out_ += "\":";
  }
  void string(std::string_view s);
  void integer(std::int64_t n);
  void boolean(bool b) { separate(); out_ += b ? "true" : "false"; }
  void null() { separate(); out_ += "null"; }
  // name: value members.
  void member(std::string_view name, std::string_view s) { key(name); string(s); }
  void member(std::string_view name, const std::string& s) { key(name); string(s); }
  void member(std::string_view name, const char* s) { key(name); string(s); }
  void member(std::string_view name, std::int64_t n) { key(name); integer(n); }
  void member(std::string_view name, int n) { key(name); integer(n); }
  void memberBool(std::string_view name, bool b) { key(name); boolean(b); }

 private:
  void separate() {
    if (out_.empty()) return;
    const char last = out_.back();
    if (last != '{' && last != '[' && last != ':') out_ += ',';
  }
  std::string& out_;
};

}  // namespace kansli
