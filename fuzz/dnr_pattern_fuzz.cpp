// Fuzz target for the dnr pattern language (kansli/dnr.h).
//
// Input: a pattern, a newline, then a dnr ("{series} {year}/{number}\nSOCN 2020/262").
// Beyond "no crash, no sanitizer report" it checks the promises of dnr.h and
// traps when one breaks:
//   * what strict parse() accepts, format() writes back exactly (trimmed);
//   * parts that check() accepts format to text that parses back to them;
//   * normalize() yields text that strict parse() accepts and that normalizes
//     to itself.
//
// Build (not wired into CMake yet), from the repository root:
//   clang++ -std=c++2b -g -O1 -fsanitize=fuzzer,address,undefined \
//     -D__cpp_concepts=202002L -Wno-builtin-macro-redefined -Wno-macro-redefined \
//     -Iengine/include fuzz/dnr_pattern_fuzz.cpp engine/src/diarium/dnr.cpp -o dnr_pattern_fuzz
//   ./dnr_pattern_fuzz fuzz/corpus/dnr_pattern
// (The -D is for clang 14 with GCC 12's libstdc++, whose <expected> wants
// C++20 concepts that clang 14 implements but does not announce.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kansli/dnr.h"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view pattern_text = input;
  std::string_view dnr;
  if (auto nl = input.find('\n'); nl != std::string_view::npos) {
    pattern_text = input.substr(0, nl);
    dnr = input.substr(nl + 1);
  }
  auto pattern = kansli::DnrPattern::compile(pattern_text);
  if (!pattern) return 0;

  auto strict = pattern->parse(dnr);
  if (strict) {
    require(pattern->check(*strict).has_value());
    require(pattern->format(*strict) == trim(dnr));
  }

  auto lenient = pattern->parse(dnr, kansli::DnrParseMode::kLenient);
  if (strict) require(lenient.has_value());

  auto normal = pattern->normalize(dnr);
  if (normal) {
    auto again = pattern->parse(*normal);
    require(again.has_value());
    require(pattern->format(*again) == *normal);
    auto twice = pattern->normalize(*normal);
    require(twice.has_value() && *twice == *normal);
  }

  // Parts made from the input: whatever check() accepts must round-trip.
  if (lenient) {
    kansli::DnrParts parts = *lenient;
    if (size > 0) parts.number = 1 + static_cast<int>(data[0]) * 3907;
    if (size > 1 && pattern->has(kansli::DnrField::kDoc)) {
      parts.doc = (data[1] & 1) ? std::optional<int>(data[1]) : std::nullopt;
    }
    if (pattern->check(parts)) {
      auto back = pattern->parse(pattern->format(parts));
      require(back.has_value() && *back == parts);
    }
  }
  return 0;
}
