#include "store/search_words.h"

namespace kansli::store {

std::optional<SearchWords> parseSearchWords(std::string_view input) {
  SearchWords out;
  std::string word;
  auto flush = [&](bool prefix) {
    if (!word.empty() && out.words.size() < 16) out.words.push_back({word, prefix});
    word.clear();
  };
  for (size_t i = 0; i < input.size(); ++i) {
    auto c = static_cast<unsigned char>(input[i]);
    bool wordChar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c >= 0x80 || c == '-' || c == '_';
    if (wordChar) {
      word += static_cast<char>(c);
    } else {
      flush(c == '*');
    }
  }
  flush(false);
  if (out.words.empty()) return std::nullopt;
  return out;
}

}  // namespace kansli::store
