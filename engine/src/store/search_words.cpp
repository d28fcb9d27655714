#include "store/search_words.h"

namespace kansli::store {
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

}  // namespace

std::optional<SearchWords> parseSearchWords(std::string_view input) {
  SearchWords out;
  int words = 0;
  std::string word;
  std::string phrase;
  bool in_quotes = false;
  // Ends the word being read: into the phrase when inside quotes, else as a
  // word of its own (a prefix when a * follows it).
  auto endWord = [&](bool star) {
    if (word.empty()) return;
    if (words < kMaxWords) {
      ++words;
      if (in_quotes) {
        phrase += (phrase.empty() ? "" : " ") + word;
      } else {
        out.words.push_back({word, star, false});
      }
    }
    word.clear();
  };
  auto endPhrase = [&] {
    if (!phrase.empty()) out.words.push_back({phrase, false, true});
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
  if (out.words.empty()) return std::nullopt;
  SearchWord& last = out.words.back();
  if (!last.phrase && characters(last.text) >= 2) last.prefix = true;
  return out;
}

}  // namespace kansli::store
