// Turns what a person types into a safe FTS5 MATCH expression: every word is
// quoted (so FTS5 operators and punctuation in the input are just text), a
// trailing * keeps prefix search ("människo*"), words are ANDed. Returns
// nullopt when nothing searchable is left.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kansli {
std::optional<std::string> buildFtsQuery(std::string_view input);
}
