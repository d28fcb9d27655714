#include "kansli/text.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <charconv>
#include <cstdint>
#include <sstream>

namespace kansli::text {

std::size_t decodeUtf8(std::string_view s, std::size_t i, char32_t& cp) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  std::size_t n = 0;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (b(k) & 0x3Fu);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  const char32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool isValidUtf8(std::string_view s) {
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = decodeUtf8(s, i, cp);
    if (n == 0 || cp == 0) return false;  // NUL has no place in text we store
    i += n;
  }
  return true;
}

std::string toValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = decodeUtf8(s, i, cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for each byte that is not part of a character
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  size_t b = 0, e = s.size();
  while (b < e && ws(s[b])) ++b;
  while (e > b && ws(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string lowerSv(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < s.size()) {
      auto d = static_cast<unsigned char>(s[i + 1]);
      // Latin-1 supplement capitals U+00C0..U+00DE (except ×) lower by +0x20.
      if (d >= 0x80 && d <= 0x9E && d != 0x97) d = static_cast<unsigned char>(d + 0x20);
      out += static_cast<char>(c);
      out += static_cast<char>(d);
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string foldSv(std::string_view s) {
  std::string lower = lowerSv(s);
  std::string out;
  out.reserve(lower.size());
  for (size_t i = 0; i < lower.size(); ++i) {
    auto c = static_cast<unsigned char>(lower[i]);
    if (c == 0xC3 && i + 1 < lower.size()) {
      auto d = static_cast<unsigned char>(lower[i + 1]);
      char base = 0;
      if (d >= 0xA0 && d <= 0xA5) base = 'a';        // à á â ã ä å
      else if (d >= 0xA8 && d <= 0xAB) base = 'e';   // è é ê ë
      else if (d >= 0xAC && d <= 0xAF) base = 'i';
      else if ((d >= 0xB2 && d <= 0xB6) || d == 0xB8) base = 'o';  // ò..ö ø
      else if (d >= 0xB9 && d <= 0xBC) base = 'u';
      if (base) {
        out += base;
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string joinList(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::vector<std::string> splitList(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<std::string> decodeBase64(std::string_view s, bool url) {
  // Poco's decoder forgives a truncated last group and stray padding; the
  // form is checked here first, so "a" or "aGVqYQ=x" is not base64.
  std::size_t padding = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    bool ok = alnum || (url ? (c == '-' || c == '_') : (c == '+' || c == '/'));
    if (!url && c == '=' && i + 2 >= s.size()) {
      ++padding;
      continue;
    }
    if (!ok || padding > 0) return std::nullopt;
  }
  if (url ? s.size() % 4 == 1 : s.size() % 4 != 0) return std::nullopt;
  // Read in blocks through the stream: a bad character makes Poco's decoder
  // throw inside the stream buffer, which istream::read turns into badbit.
  // (Building a string from istreambuf_iterators let that exception escape
  // mid-construction, and the fuzzer found the string's buffer leaked.)
  std::istringstream in{std::string(s)};
  Poco::Base64Decoder dec(in, url ? Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING : 0);
  std::string out;
  char buf[4096];
  while (true) {
    dec.read(buf, sizeof buf);
    out.append(buf, static_cast<std::size_t>(dec.gcount()));
    if (dec.bad()) return std::nullopt;
    if (!dec) break;
  }
  return out;
}

std::optional<std::int64_t> parseInteger(std::string_view s, std::int64_t lo, std::int64_t hi) {
  if (s.empty() || s.size() > 20 || (s[0] == '-' && lo >= 0) || s[0] == '+') return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

}  // namespace kansli::text
