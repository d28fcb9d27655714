// What a person typed into a search box, as words: the dialect-neutral form
// of a full-text query. Each SQL dialect turns it into its own syntax (the
// SQLite store into an FTS5 MATCH expression), so no user text ever reaches
// a query language unquoted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kansli::store {

struct SearchWord {
  std::string text;     // letters, digits, '-' and '_' (and any non-ASCII byte)
  bool prefix = false;  // typed with a trailing '*': "människo*"
};

struct SearchWords {
  std::vector<SearchWord> words;  // all must match; at most 16
};

// Splits `input` into words (anything else separates them; a '*' right after
// a word makes it a prefix). nullopt when nothing searchable is left.
std::optional<SearchWords> parseSearchWords(std::string_view input);

}  // namespace kansli::store
