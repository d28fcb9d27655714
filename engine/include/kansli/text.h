// Small text utilities shared by the engine and the API: the one UTF-8
// decoder, trimming, Swedish-aware folding for search, base64 and integers
// read from text without exceptions. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kansli::text {

// Decodes the code point at s[i] into `cp`; returns its length in bytes, or 0
// when the bytes there are not UTF-8 (overlong forms, surrogates, values past
// U+10FFFF, a cut-off sequence). U+0000 decodes like any other character.
std::size_t decodeUtf8(std::string_view s, std::size_t i, char32_t& cp);
// Appends the UTF-8 encoding of `cp` (at most U+10FFFF).
void appendUtf8(std::string& out, char32_t cp);
// Whether `s` is UTF-8 text we store: every character decodes and none is
// NUL (a NUL has no place in a name, a title or a username, and cut at it
// by C APIs, would show a different text than the one checked).
bool isValidUtf8(std::string_view s);
// `s` with every byte that does not belong to a character replaced by
// U+FFFD: safe to put into JSON or a header that promises UTF-8.
std::string toValidUtf8(std::string_view s);
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

// A whole decimal integer in [lo, hi]: digits only (a leading '-' when lo is
// negative), nothing before or after, no exceptions. nullopt otherwise, so
// "12abc", "", " 7" and numbers out of range are all "not a number here".
std::optional<std::int64_t> parseInteger(std::string_view s, std::int64_t lo, std::int64_t hi);

}  // namespace kansli::text
