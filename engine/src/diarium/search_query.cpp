#include "diarium/search_query.h"

#include "kansli/text.h"

namespace kansli {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// A run of 1-9 digits as a number >= 1 (leading zeros allowed), or nullopt.
std::optional<int> positiveNumber(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  long long n = 0;
  int significant = 0;
  for (char c : s) {
    if (!isDigit(c)) return std::nullopt;
    if (n > 0 || c != '0') ++significant;
    n = n * 10 + (c - '0');
  }
  if (significant > 9 || n < 1) return std::nullopt;
  return static_cast<int>(n);
}

}  // namespace

std::optional<CaseNumberQuery> parseCaseNumber(std::string_view input, const Organisation& org) {
  std::string s = text::trim(input);
  if (s.empty() || s.size() > 100) return std::nullopt;
  bool has_digit = false;
  for (char c : s) has_digit = has_digit || isDigit(c);
  if (!has_digit) return std::nullopt;  // every dnr format has {number}

  // A dnr of one committee's series, as people type it.
  if (auto m = org.findDnr(s)) {
    CaseNumberQuery q;
    q.number = m->parts.number;
    if (m->parts.year > 0) q.year = m->parts.year;
    q.dnr = m->committee->formatDnr(m->parts.year, m->parts.number, m->parts.class_code);
    return q;
  }
  // A number alone: that number in any series and year.
  if (auto n = positiveNumber(s)) return CaseNumberQuery{*n, std::nullopt, std::nullopt};
  // year/number ("2020/262", "20/262"): that year in any series.
  auto slash = s.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string year_text = text::trim(std::string_view(s).substr(0, slash));
  std::string number_text = text::trim(std::string_view(s).substr(slash + 1));
  if (year_text.size() != 2 && year_text.size() != 4) return std::nullopt;
  auto year = positiveNumber(year_text);
  auto number = positiveNumber(number_text);
  if (!number || (!year && year_text != "00")) return std::nullopt;
  int y = year.value_or(0);
  if (year_text.size() == 2) y += 2000;
  return CaseNumberQuery{*number, y, std::nullopt};
}

SearchTerms parseSearch(std::string_view input, const Organisation& org) {
  return {store::parseSearchWords(input), parseCaseNumber(input, org)};
}

}  // namespace kansli
