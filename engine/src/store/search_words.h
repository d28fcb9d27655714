// What a person typed into a search box, as words: the dialect-neutral form
// of a full-text query. Each SQL dialect turns it into its own syntax (the
// SQLite store into an FTS5 MATCH expression), so no user text ever reaches
// a query language unquoted.
//
// The rules people search by: every word must match; text in double quotes
// is one phrase (its words next to each other, in that order); a word typed
// with a trailing * is a prefix; and the LAST word is a prefix too unless it
// is quoted, since that is the word someone is still typing ("hemlo" finds
// "hemlös"), as long as it has two characters or more (a one-letter prefix
// would read a large part of the index for little use; the SQLite store's
// prefix indexes cover 2 to 6 characters).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kansli::store {

struct SearchWord {
  // Letters, digits, '-' and '_' (and any non-ASCII byte); for a quoted
  // phrase its words separated by single blanks. Never a '"'.
  std::string text;
  bool prefix = false;  // matches words that start with it
  bool phrase = false;  // typed in double quotes
};

struct SearchWords {
  std::vector<SearchWord> words;  // all must match; at most 16 words in all
};

// Splits `input` into words and phrases by the rules above. nullopt when
// nothing searchable is left.
std::optional<SearchWords> parseSearchWords(std::string_view input);

}  // namespace kansli::store
