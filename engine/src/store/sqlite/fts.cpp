#include "store/sqlite/sqlite.h"

namespace kansli::store {

std::string ftsMatch(const SearchWords& words) {
  // Words hold no '"' (parseSearchWords), so quoting them is enough to keep
  // FTS5 operators and column filters out of what a person typed. A quoted
  // string of several words is an FTS5 phrase: "barn som" matches the two
  // words next to each other.
  std::string out;
  for (const auto& w : words.words) {
    if (!out.empty()) out += ' ';
    out += '"' + w.text + '"';
    if (w.prefix) out += '*';
  }
  return out;
}

}  // namespace kansli::store
