#include "diarium/search_query.h"

#include <vector>

#include "kansli/text.h"

namespace kansli {
namespace {

constexpr int kMaxWords = 16;

bool isWordChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c >= 0x80 || c == '-' || c == '_';
}

std::size_t characters(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

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

std::optional<std::string> buildFtsQuery(std::string_view input) {
  struct Token {
    std::string text;  // one word, or the words of a phrase separated by blanks
    bool quoted = false;
    bool prefix = false;
  };
  std::vector<Token> tokens;
  int words = 0;
  std::string word;
  std::string phrase;
  bool in_quotes = false;
  // Ends the word being read: into the phrase when inside quotes, else as a
  // token of its own (a prefix when a * follows it).
  auto endWord = [&](bool star) {
    if (word.empty()) return;
    if (words < kMaxWords) {
      ++words;
      if (in_quotes) {
        phrase += (phrase.empty() ? "" : " ") + word;
      } else {
        tokens.push_back({word, false, star});
      }
    }
    word.clear();
  };
  auto endPhrase = [&] {
    if (!phrase.empty()) tokens.push_back({phrase, true, false});
    phrase.clear();
  };
  for (char ch : input) {
    auto c = static_cast<unsigned char>(ch);
    if (isWordChar(c)) {
      word += ch;
    } else if (ch == '"') {
      endWord(false);
      if (in_quotes) endPhrase();
      in_quotes = !in_quotes;
    } else {
      endWord(ch == '*' && !in_quotes);
    }
  }
  endWord(false);
  endPhrase();  // an unclosed quote still makes a phrase
  if (tokens.empty()) return std::nullopt;
  Token& last = tokens.back();
  if (!last.quoted && characters(last.text) >= 2) last.prefix = true;
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    out += '"' + t.text + '"';
    if (t.prefix) out += '*';
  }
  return out;
}

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
  return {buildFtsQuery(input), parseCaseNumber(input, org)};
}

}  // namespace kansli
