// Small text utilities shared by the engine and the API: UTF-8 validation,
// trimming, Swedish-aware folding for search. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kansli::text {

bool isValidUtf8(std::string_view s);
std::string trim(std::string_view s);
// Lower-cases ASCII and the Swedish letters Å Ä Ö É Ü (UTF-8), leaves the rest.
std::string lowerSv(std::string_view s);
// Folds diacritics away for accent-insensitive matching: "Människo" -> "manniskO"
// ... lower-cased: "manniskohandel". Used to build the search key.
std::string foldSv(std::string_view s);

// "a,b,c" <-> {"a","b","c"}; empty items are dropped when splitting. For the
// short lists the store keeps in one column (secret fields, adjusters).
std::string joinList(const std::vector<std::string>& items, char sep = ',');
std::vector<std::string> splitList(std::string_view s, char sep = ',');

// Base64 (RFC 4648; `url`: the URL alphabet without padding) to bytes, or
// nullopt when the text is not base64. Never throws: the one decoder for
// request bodies, cursors and stored hashes.
std::optional<std::string> decodeBase64(std::string_view s, bool url = false);

}  // namespace kansli::text
