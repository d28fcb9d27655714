#include "diarium/search_query.h"

namespace kansli {

std::optional<std::string> buildFtsQuery(std::string_view input) {
  std::string out;
  std::string word;
  int words = 0;
  auto flush = [&](bool prefix) {
    if (!word.empty() && words < 16) {
      if (!out.empty()) out += ' ';
      out += '"' + word + '"';
      if (prefix) out += '*';
      ++words;
    }
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
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace kansli
