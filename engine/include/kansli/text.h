// Small text utilities shared by the engine and the API: UTF-8 validation,
// trimming, Swedish-aware folding for search. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace kansli::text {

bool isValidUtf8(std::string_view s);
std::string trim(std::string_view s);
// Lower-cases ASCII and the Swedish letters Å Ä Ö É Ü (UTF-8), leaves the rest.
std::string lowerSv(std::string_view s);
// Folds diacritics away for accent-insensitive matching: "Människo" -> "manniskO"
// ... lower-cased: "manniskohandel". Used to build the search key.
std::string foldSv(std::string_view s);

}  // namespace kansli::text
