// Fuzz target for the dnr pattern language (kansli/dnr.h).
//
// Input: a pattern, a newline, then a dnr ("{series} {year}/{number}\nSOCN 2020/262").
// Beyond "no crash, no sanitizer report" it checks the promises of dnr.h and
// traps when one breaks:
//   * what strict parse() accepts, format() writes back exactly (trimmed);
//   * parts that check() accepts format to text that parses back to them;
//   * normalize() yields text that strict parse() accepts and that normalizes
//     to itself;
//   * the round trip (#17): parts drawn from the input's bytes for every
//     field the pattern has, a class code and a document number included,
//     that check() accepts, format to text that parses back to them, strictly
//     and leniently; and parts without a required part (a {class} format
//     without its class) are refused by check(), never written unreadably.
//
// Built and run by `make fuzz` (scripts/fuzz, the fuzz preset).
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

  // Parts drawn from the input's bytes: whatever check() accepts must
  // round-trip; a part the pattern needs, left out, must be refused.
  {
    auto byte = [&](size_t i) -> unsigned { return i < size ? data[i] : 0u; };
    kansli::DnrParts parts;
    static const char* const letters[] = {"KS", "SOCN", "Å", "bun", "É", "x"};
    parts.series = letters[byte(0) % 6];
    parts.year = pattern->has(kansli::DnrField::kYy) ? 2000 + static_cast<int>(byte(1) % 100)
                                                      : 1000 + static_cast<int>((byte(1) << 8 | byte(2)) % 9000);
    parts.number = 1 + static_cast<int>((byte(3) << 16 | byte(4) << 8 | byte(5)) % 999999999u);
    static const char kClassChars[] = "0123456789.ABCKSabks";
    const size_t class_len = byte(6) % 9;  // 0: no class code at all
    for (size_t i = 0; i < class_len; ++i) parts.class_code += kClassChars[byte(7 + i) % (sizeof kClassChars - 1)];
    if (pattern->has(kansli::DnrField::kDoc) && (byte(16) & 1)) parts.doc = 1 + static_cast<int>(byte(17));
    if (pattern->check(parts)) {
      const std::string written = pattern->format(parts);
      auto back = pattern->parse(written);
      require(back.has_value());
      kansli::DnrParts want = parts;
      if (!pattern->has(kansli::DnrField::kSeries)) want.series.clear();
      if (!pattern->has(kansli::DnrField::kClass)) want.class_code.clear();
      require(*back == want);
      require(pattern->parse(written, kansli::DnrParseMode::kLenient).has_value());
    } else if (pattern->has(kansli::DnrField::kClass) && parts.class_code.empty()) {
      // The bug's shape: such parts are refused, whatever else they hold.
      require(!pattern->check(parts).has_value());
    }
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
