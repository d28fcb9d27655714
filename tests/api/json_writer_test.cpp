// jsonText (kansli/json_text.h) writes every answer's JSON itself (issue #20:
// Poco's stringify was the largest part of a read's cost). What it writes must be what Poco's
// stringify writes, byte for byte, for every value the handlers build: these
// tests compare the two on the escapes, the types, nesting, key order, and on
// many generated objects.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <random>
#include <sstream>
#include <string>

#include "http.h"

namespace kansli::api {
namespace {

std::string pocoJson(const Poco::JSON::Object& o) {
  std::ostringstream ss;
  o.stringify(ss);
  return ss.str();
}

std::string pocoJson(const Poco::JSON::Array& a) {
  std::ostringstream ss;
  a.stringify(ss);
  return ss.str();
}

TEST(JsonWriter, EscapesEveryControlByteQuoteAndBackslashAsPocoDoes) {
  std::string all;
  for (int c = 0; c < 128; ++c) all += static_cast<char>(c);
  all += "åäö \xE2\x82\xAC \xF0\x9F\x98\x80 \xFF\xC3";  // UTF-8, and bytes that are not
  auto o = obj();
  o.set("text", all);
  o.set(all, "a key with every byte");
  o.set("empty", "");
  EXPECT_EQ(jsonText(o), pocoJson(o));
  EXPECT_NE(jsonText(o).find("\\u001F"), std::string::npos);
}

TEST(JsonWriter, WritesNumbersBooleansNullAndNestingAsPocoDoes) {
  auto inner = obj();
  inner.set("provision", "OSL 26 kap. 1 §");
  inner.set("fields", Poco::JSON::Array());
  Poco::JSON::Array list;
  list.add(1);
  list.add("två");
  list.add(inner);
  list.add(Poco::JSON::Object::Ptr(new Poco::JSON::Object(inner)));
  list.add(Poco::Dynamic::Var());
  auto o = obj();
  o.set("int", -42);
  o.set("int64", std::int64_t{9'007'199'254'740'993});
  o.set("uint64", std::uint64_t{18'446'744'073'709'551'615ull});
  o.set("unsigned", 7u);
  o.set("double", 0.125);
  o.set("ms", 12.345678);
  o.set("yes", true);
  o.set("no", false);
  o.set("null", Poco::Dynamic::Var());
  o.set("object", inner);
  o.set("array", list);
  o.set("array_ptr", Poco::JSON::Array::Ptr(new Poco::JSON::Array(list)));
  EXPECT_EQ(jsonText(o), pocoJson(o));
  EXPECT_EQ(jsonText(list), pocoJson(list));
}

TEST(JsonWriter, KeepsInsertionOrderAndTheLastValueOfAKeySetTwice) {
  auto o = obj();
  o.set("zeta", 1);
  o.set("alpha", 2);
  o.set("mid", 3);
  o.set("alpha", 4);
  EXPECT_EQ(jsonText(o), pocoJson(o));
  Poco::JSON::Object sorted;  // without insertion order: Poco sorts the keys
  sorted.set("b", 1);
  sorted.set("a", 2);
  EXPECT_EQ(jsonText(sorted), pocoJson(sorted));
  EXPECT_EQ(jsonText(sorted), R"({"a":2,"b":1})");
}

TEST(JsonWriter, GeneratedObjectsAreWrittenAsPocoWritesThem) {
  std::mt19937 rng(20261130);
  auto randomText = [&] {
    std::string s;
    const int n = static_cast<int>(rng() % 24);
    for (int i = 0; i < n; ++i) {
      switch (rng() % 6) {
        case 0: s += static_cast<char>(rng() % 32); break;   // control bytes
        case 1: s += "\"\\/"[rng() % 3]; break;
        case 2: s += "ÅÄÖé€"; break;
        case 3: s += static_cast<char>(0x80 + rng() % 128); break;  // stray bytes
        default: s += static_cast<char>('a' + rng() % 26);
      }
    }
    return s;
  };
  std::function<Poco::JSON::Object(int)> randomObject = [&](int depth) {
    auto o = obj();
    const int n = static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
      std::string key = randomText();
      switch (rng() % (depth > 0 ? 7 : 5)) {
        case 0: o.set(key, randomText()); break;
        case 1: o.set(key, static_cast<std::int64_t>(rng()) - (1ll << 31)); break;
        case 2: o.set(key, rng() % 2 == 0); break;
        case 3: o.set(key, Poco::Dynamic::Var()); break;
        case 4: o.set(key, static_cast<int>(rng() % 1000)); break;
        case 5: o.set(key, randomObject(depth - 1)); break;
        default: {
          Poco::JSON::Array a;
          for (int k = static_cast<int>(rng() % 4); k > 0; --k) a.add(randomObject(depth - 1));
          a.add(randomText());
          o.set(key, a);
        }
      }
    }
    return o;
  };
  for (int i = 0; i < 2000; ++i) {
    auto o = randomObject(3);
    ASSERT_EQ(jsonText(o), pocoJson(o)) << "object " << i;
  }
}

}  // namespace
}  // namespace kansli::api
