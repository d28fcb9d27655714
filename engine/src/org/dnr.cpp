#include "kansli/dnr.h"

#include <algorithm>
#include <bitset>
#include <cstdint>

#include "kansli/text.h"

namespace kansli {
namespace {

constexpr std::size_t kMaxPatternBytes = 200;
constexpr std::size_t kMaxDnrBytes = 256;
constexpr std::size_t kMaxSeriesBytes = 32;
constexpr std::size_t kMaxClassBytes = 32;
constexpr int kMaxNumber = 999'999'999;  // nine digits: fits an int
constexpr std::size_t kMaxNumberDigits = 9;

using Bytes = std::bitset<256>;

unsigned bit(DnrField f) { return 1u << static_cast<unsigned>(f); }

bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isAsciiLetter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool isClassChar(unsigned char c) { return isDigit(c) || isAsciiLetter(c) || c == '.'; }
bool isBlank(unsigned char c) { return c == ' ' || c == '\t'; }
bool isSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The bytes a field's text may contain. Series letters outside ASCII are UTF-8,
// so every byte >= 0x80 may belong to a series: the ambiguity check is
// deliberately conservative there.
Bytes classOf(DnrField f) {
  Bytes b;
  for (int c = 0; c < 256; ++c) {
    auto u = static_cast<unsigned char>(c);
    switch (f) {
      case DnrField::kSeries: b[c] = isAsciiLetter(u) || u >= 0x80; break;
      case DnrField::kClass: b[c] = isClassChar(u); break;
      default: b[c] = isDigit(u);
    }
  }
  return b;
}

bool isFixedLength(DnrField f) { return f == DnrField::kYear || f == DnrField::kYy; }

std::string_view token(DnrField f) {
  switch (f) {
    case DnrField::kSeries: return "{series}";
    case DnrField::kYear: return "{year}";
    case DnrField::kYy: return "{yy}";
    case DnrField::kNumber: return "{number}";
    case DnrField::kClass: return "{class}";
    case DnrField::kDoc: return "{doc}";
  }
  return "{?}";
}

std::string_view expectation(DnrField f) {
  switch (f) {
    case DnrField::kSeries: return "serien (bokstäver)";
    case DnrField::kYear: return "årtal med fyra siffror";
    case DnrField::kYy: return "årtal med två siffror";
    case DnrField::kNumber: return "löpnummer (siffror)";
    case DnrField::kClass: return "klassificeringskod (bokstäver, siffror och punkter)";
    case DnrField::kDoc: return "handlingsnummer (siffror)";
  }
  return "?";
}

std::string padded(long long v, int width) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return v < 0 ? "-" + digits : digits;
}

// Letters a series may hold: ASCII and the Latin-1 and Latin Extended-A
// letters (Å, Ä, Ö, É, Ü, ...).
bool isSeriesLetter(char32_t cp) {
  if (cp < 0x80) return isAsciiLetter(static_cast<unsigned char>(cp));
  if (cp >= 0xC0 && cp <= 0xFF) return cp != 0xD7 && cp != 0xF7;
  return cp >= 0x100 && cp <= 0x17F;
}

// Upper case for ASCII and Latin-1 letters (å -> Å), as series are written.
// Other letters are kept as typed.
char32_t upper(char32_t cp) {
  if (cp >= 'a' && cp <= 'z') return cp - 0x20;
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 0x20;
  return cp;
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string position(std::size_t index) { return "vid tecken " + std::to_string(index + 1); }

}  // namespace

std::string_view dnrFieldName(DnrField field) {
  switch (field) {
    case DnrField::kSeries: return "serien";
    case DnrField::kYear: return "årtalet";
    case DnrField::kYy: return "årtalet";
    case DnrField::kNumber: return "löpnumret";
    case DnrField::kClass: return "klassificeringskoden";
    case DnrField::kDoc: return "handlingsnumret";
  }
  return "fältet";
}

bool DnrPattern::has(DnrField field) const { return (fields_ & bit(field)) != 0; }

// ---------------------------------------------------------------- compile

// Compiling a pattern, in named steps: the text as a whole, then item by
// item (literals, fields, the optional part), then the pattern's ends, then
// whether every dnr it writes reads back as one. Each step answers the
// reason a pattern is refused, or nothing.
struct DnrPattern::Compiler {
  std::string_view pattern;
  DnrPattern out;
  std::vector<Item>* seq = &out.items_;  // where items go: the pattern, or the optional part
  Item* group = nullptr;                 // the optional part being read
  std::size_t group_start = 0;

  using Refusal = std::optional<std::string>;

  Refusal checkText() const;
  Refusal readItems();
  Refusal openGroup(std::size_t i);
  Refusal closeGroup(std::size_t i);
  // The field at pattern[i] ('{'); on success `next` is past its '}'.
  Refusal readField(std::size_t i, std::size_t& next);
  Refusal checkFieldPlace(DnrField field, std::size_t i) const;
  Refusal checkComplete() const;
  Refusal checkEnds() const;
  Refusal checkAmbiguity() const;

  static std::string describe(const Item& it);
  static Bytes firstBytes(const Item& it);
  static Bytes lenientFirst(const std::string& lit);
  static std::vector<const Item*> followers(const std::vector<Item>& s, std::size_t i,
                                            const std::vector<Item>* outer, std::size_t outer_i);
  static Refusal fieldAmbiguity(const std::vector<Item>& s, std::size_t k,
                                const std::vector<Item>* outer, std::size_t outer_i);
  static Refusal optionalAmbiguity(const std::vector<Item>& s, std::size_t k);
  static Refusal sequenceAmbiguity(const std::vector<Item>& s, const std::vector<Item>* outer,
                                   std::size_t outer_i);

  void appendLiteral(char c) {
    if (seq->empty() || seq->back().kind != Item::Kind::kLiteral) seq->push_back(Item{});
    seq->back().literal += c;
  }
};

DnrPattern::Compiler::Refusal DnrPattern::Compiler::checkText() const {
  if (pattern.empty()) return "mönstret är tomt";
  if (pattern.size() > kMaxPatternBytes) {
    return "mönstret är för långt (högst " + std::to_string(kMaxPatternBytes) + " byte)";
  }
  if (!text::isValidUtf8(pattern)) return "mönstret är inte giltig UTF-8";
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    auto c = static_cast<unsigned char>(pattern[i]);
    if (c < 0x20 || c == 0x7F) return "otillåtet styrtecken " + position(i);
  }
  if (isSpace(static_cast<unsigned char>(pattern.front())) ||
      isSpace(static_cast<unsigned char>(pattern.back()))) {
    return "mönstret får inte börja eller sluta med blanksteg";
  }
  return std::nullopt;
}

DnrPattern::Compiler::Refusal DnrPattern::Compiler::readItems() {
  for (std::size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    char next = i + 1 < pattern.size() ? pattern[i + 1] : '\0';
    if ((c == '{' || c == '}' || c == '[' || c == ']') && next == c) {
      appendLiteral(c);
      i += 2;
      continue;
    }
    Refusal why;
    if (c == '}') {
      why = "ensam } " + position(i) + " (skriv }} för en klammer)";
    } else if (c == '[') {
      why = openGroup(i++);
    } else if (c == ']') {
      why = closeGroup(i++);
    } else if (c == '{') {
      why = readField(i, i);
    } else {
      appendLiteral(c);
      ++i;
    }
    if (why) return why;
  }
  return std::nullopt;
}

DnrPattern::Compiler::Refusal DnrPattern::Compiler::openGroup(std::size_t i) {
  if (group) return "valfria delar [ ] kan inte nästlas (" + position(i) + ")";
  out.items_.push_back(Item{Item::Kind::kOptional, {}, DnrField::kNumber, 0, {}});
  group = &out.items_.back();
  group_start = i;
  seq = &group->items;
  return std::nullopt;
}

DnrPattern::Compiler::Refusal DnrPattern::Compiler::closeGroup(std::size_t i) {
  if (!group) return "ensam ] " + position(i) + " (skriv ]] för en hakparentes)";
  bool has_doc = std::any_of(group->items.begin(), group->items.end(), [](const Item& it) {
    return it.kind == Item::Kind::kField && it.field == DnrField::kDoc;
  });
  if (!has_doc) {
    return "den valfria delen " + position(group_start) + " måste innehålla {doc}, t.ex. [-{doc}]";
  }
  if (group->items.front().kind != Item::Kind::kLiteral) {
    return "den valfria delen " + position(group_start) +
           " måste börja med fast text, t.ex. [-{doc}]";
  }
  group = nullptr;
  seq = &out.items_;
  return std::nullopt;
}

DnrPattern::Compiler::Refusal DnrPattern::Compiler::readField(std::size_t i, std::size_t& next) {
  std::size_t close = pattern.find('}', i + 1);
  if (close == std::string_view::npos) {
    return "klammern " + position(i) + " stängs aldrig (skriv {{ för en klammer)";
  }
  std::string_view inner = pattern.substr(i + 1, close - i - 1);
  std::string_view name = inner;
  std::optional<std::string_view> width_text;
  if (auto colon = inner.find(':'); colon != std::string_view::npos) {
    name = inner.substr(0, colon);
    width_text = inner.substr(colon + 1);
  }
  static const std::pair<std::string_view, DnrField> kFields[] = {
      {"series", DnrField::kSeries}, {"year", DnrField::kYear},   {"yy", DnrField::kYy},
      {"number", DnrField::kNumber}, {"class", DnrField::kClass}, {"doc", DnrField::kDoc}};
  auto known = std::find_if(std::begin(kFields), std::end(kFields),
                            [&](const auto& f) { return f.first == name; });
  if (known == std::end(kFields)) {
    return "okänt fält {" + std::string(inner) + "} " + position(i) +
           "; kända fält är {series}, {year}, {yy}, {number}, {class} och {doc}";
  }
  const DnrField field = known->second;
  int width = 0;
  if (width_text) {
    if (field != DnrField::kNumber && field != DnrField::kDoc) {
      return "fältet " + std::string(token(field)) + " " + position(i) +
             " kan inte ha en bredd; bara {number:N} och {doc:N} fylls ut med nollor";
    }
    if (width_text->size() != 1 || (*width_text)[0] < '1' || (*width_text)[0] > '9') {
      return "bredden i {" + std::string(inner) + "} " + position(i) + " måste vara en siffra 1–9";
    }
    width = (*width_text)[0] - '0';
  }
  if (auto why = checkFieldPlace(field, i)) return why;
  out.fields_ |= bit(field);
  seq->push_back(Item{Item::Kind::kField, {}, field, width, {}});
  next = close + 1;
  return std::nullopt;
}

DnrPattern::Compiler::Refusal DnrPattern::Compiler::checkFieldPlace(DnrField field,
                                                                    std::size_t i) const {
  if (field == DnrField::kDoc && !group) {
    return "{doc} " + position(i) +
           " måste stå inom [ ] eftersom handlingsnumret är valfritt, t.ex. [-{doc}]";
  }
  if (group && field != DnrField::kDoc) {
    return "den valfria delen " + position(group_start) +
           " får bara innehålla {doc} och fast text, inte " + std::string(token(field));
  }
  bool is_year = field == DnrField::kYear || field == DnrField::kYy;
  if (is_year && (out.has(DnrField::kYear) || out.has(DnrField::kYy))) {
    return "årtalet förekommer mer än en gång " + position(i) +
           " ({year} och {yy} kan inte båda användas)";
  }
  if (out.has(field)) {
    return "fältet " + std::string(token(field)) + " förekommer mer än en gång " + position(i);
  }
  return std::nullopt;
}

DnrPattern::Compiler::Refusal DnrPattern::Compiler::checkComplete() const {
  if (group) {
    return "den valfria delen " + position(group_start) +
           " stängs aldrig (skriv [[ för en hakparentes)";
  }
  if (!out.has(DnrField::kNumber)) return "mönstret saknar löpnummer {number}";
  if (!out.has(DnrField::kYear) && !out.has(DnrField::kYy)) {
    return "mönstret saknar årtal ({year} eller {yy})";
  }
  return std::nullopt;
}

// parse() ignores surrounding whitespace, so no dnr may begin or end with a
// blank, whether the optional part is written or not ("{year}/{number} [-{doc}]").
DnrPattern::Compiler::Refusal DnrPattern::Compiler::checkEnds() const {
  for (bool with_optional : {true, false}) {
    std::vector<const Item*> flat;
    for (const Item& it : out.items_) {
      if (it.kind != Item::Kind::kOptional) {
        flat.push_back(&it);
      } else if (with_optional) {
        for (const Item& inner : it.items) flat.push_back(&inner);
      }
    }
    auto blank = [](const Item* it, bool front) {
      if (it->kind != Item::Kind::kLiteral) return false;
      return isSpace(static_cast<unsigned char>(front ? it->literal.front() : it->literal.back()));
    };
    if (!flat.empty() && (blank(flat.front(), true) || blank(flat.back(), false))) {
      return std::string("diarienumret skulle ") + (with_optional ? "med" : "utan") +
             " den valfria delen börja eller sluta med blanksteg";
    }
  }
  return std::nullopt;
}

std::string DnrPattern::Compiler::describe(const Item& it) {
  if (it.kind == Item::Kind::kField) return std::string(token(it.field));
  if (it.kind == Item::Kind::kLiteral) return "texten " + quote(it.literal);
  return "den valfria delen som börjar med " + quote(it.items.front().literal);
}

Bytes DnrPattern::Compiler::firstBytes(const Item& it) {
  Bytes b;
  if (it.kind == Item::Kind::kField) return classOf(it.field);
  const std::string& lit = it.kind == Item::Kind::kLiteral ? it.literal : it.items.front().literal;
  b[static_cast<unsigned char>(lit.front())] = true;
  return b;
}

// The bytes a literal may start with when read leniently: leading blanks may
// be absent and letters may be of either case.
Bytes DnrPattern::Compiler::lenientFirst(const std::string& lit) {
  Bytes b;
  for (char ch : lit) {
    auto c = static_cast<unsigned char>(ch);
    b[c] = true;
    if (isAsciiLetter(c)) b[c ^ 0x20u] = true;
    if (!isBlank(c)) break;
  }
  return b;
}

// The items that can come right after s[i]: up to and including the first
// that cannot be skipped; `outer` continues past the end of an optional part.
std::vector<const DnrPattern::Item*> DnrPattern::Compiler::followers(
    const std::vector<Item>& s, std::size_t i, const std::vector<Item>* outer,
    std::size_t outer_i) {
  std::vector<const Item*> out_items;
  auto walk = [&](const std::vector<Item>& items, std::size_t from) {
    for (std::size_t k = from; k < items.size(); ++k) {
      out_items.push_back(&items[k]);
      if (items[k].kind != Item::Kind::kOptional) return true;
    }
    return false;
  };
  if (!walk(s, i) && outer) walk(*outer, outer_i);
  return out_items;
}

// A variable-length field takes every byte of its class, so what may follow
// it must never start with such a byte.
DnrPattern::Compiler::Refusal DnrPattern::Compiler::fieldAmbiguity(
    const std::vector<Item>& s, std::size_t k, const std::vector<Item>* outer,
    std::size_t outer_i) {
  const Item& it = s[k];
  Bytes mine = classOf(it.field);
  for (const Item* f : followers(s, k + 1, outer, outer_i)) {
    if ((firstBytes(*f) & mine).none()) continue;
    if (f->kind == Item::Kind::kField) {
      return "fälten " + std::string(token(it.field)) + " och " + describe(*f) +
             " står intill varandra utan skiljetecken, så diarienumret kan inte tolkas tillbaka";
    }
    return "fältet " + std::string(token(it.field)) + " följs av " + describe(*f) +
           " som kan ingå i fältet, så diarienumret kan inte tolkas tillbaka";
  }
  return std::nullopt;
}

// An optional part is taken when its first byte is next, so what follows it
// must never start so; decided by its first character also when read
// leniently (any case, blanks optional), so both modes read a dnr the same way.
DnrPattern::Compiler::Refusal DnrPattern::Compiler::optionalAmbiguity(const std::vector<Item>& s,
                                                                      std::size_t k) {
  const Item& it = s[k];
  Bytes mine = lenientFirst(it.items.front().literal);
  for (std::size_t f = k + 1; f < s.size(); ++f) {
    const Item& next = s[f];
    Bytes theirs =
        next.kind == Item::Kind::kLiteral ? lenientFirst(next.literal) : classOf(next.field);
    if ((theirs & mine).any()) {
      return describe(it) + " följs av " + describe(next) +
             " som kan börja likadant, så diarienumret kan inte tolkas tillbaka";
    }
    bool all_blank = next.kind == Item::Kind::kLiteral &&
                     std::all_of(next.literal.begin(), next.literal.end(),
                                 [](char c) { return isBlank(static_cast<unsigned char>(c)); });
    if (!all_blank) break;
  }
  return std::nullopt;
}

DnrPattern::Compiler::Refusal DnrPattern::Compiler::sequenceAmbiguity(
    const std::vector<Item>& s, const std::vector<Item>* outer, std::size_t outer_i) {
  for (std::size_t k = 0; k < s.size(); ++k) {
    const Item& it = s[k];
    if (it.kind == Item::Kind::kField && !isFixedLength(it.field)) {
      if (auto why = fieldAmbiguity(s, k, outer, outer_i)) return why;
    }
    if (it.kind == Item::Kind::kOptional) {
      if (auto why = optionalAmbiguity(s, k)) return why;
    }
  }
  return std::nullopt;
}

DnrPattern::Compiler::Refusal DnrPattern::Compiler::checkAmbiguity() const {
  if (auto why = sequenceAmbiguity(out.items_, nullptr, 0)) return why;
  for (std::size_t k = 0; k < out.items_.size(); ++k) {
    if (out.items_[k].kind != Item::Kind::kOptional) continue;
    if (auto why = sequenceAmbiguity(out.items_[k].items, &out.items_, k + 1)) return why;
  }
  return std::nullopt;
}

Result<DnrPattern> DnrPattern::compile(std::string_view pattern) {
  Compiler c{pattern, {}};
  c.out.source_ = std::string(pattern);
  Compiler::Refusal why = c.checkText();
  if (!why) why = c.readItems();
  if (!why) why = c.checkComplete();
  if (!why) why = c.checkEnds();
  if (!why) why = c.checkAmbiguity();
  if (why) {
    std::string shown = pattern.size() > 80 ? std::string(pattern.substr(0, 80)) + "…"
                                            : std::string(pattern);
    if (!text::isValidUtf8(shown)) shown = "(ogiltig UTF-8)";
    return std::unexpected(Error::invalid("dnr-mönstret " + quote(shown) + ": " + *why));
  }
  return std::move(c.out);
}

// ----------------------------------------------------------------- format

std::string DnrPattern::format(const DnrParts& parts) const {
  std::string out;
  auto write = [&](const std::vector<Item>& items, auto& self) -> void {
    for (const Item& it : items) {
      switch (it.kind) {
        case Item::Kind::kLiteral: out += it.literal; break;
        case Item::Kind::kOptional:
          if (parts.doc) self(it.items, self);
          break;
        case Item::Kind::kField:
          switch (it.field) {
            case DnrField::kSeries: out += parts.series; break;
            case DnrField::kYear: out += padded(parts.year, 4); break;
            case DnrField::kYy: out += padded(((parts.year % 100) + 100) % 100, 2); break;
            case DnrField::kNumber: out += padded(parts.number, it.width); break;
            case DnrField::kClass: out += parts.class_code; break;
            case DnrField::kDoc: out += padded(parts.doc.value_or(0), it.width); break;
          }
          break;
      }
    }
  };
  write(items_, write);
  return out;
}

Result<void> DnrPattern::check(const DnrParts& parts) const {
  auto refuse = [](std::string why) -> Result<void> {
    return std::unexpected(Error::invalid(std::move(why)));
  };
  if (items_.empty()) return refuse("inget dnr-mönster är angivet");
  if (has(DnrField::kSeries)) {
    if (parts.series.empty()) return refuse("serien saknas");
    if (parts.series.size() > kMaxSeriesBytes) return refuse("serien är för lång");
    char32_t cp = 0;
    for (std::size_t i = 0; i < parts.series.size();) {
      std::size_t n = text::decodeUtf8(parts.series, i, cp);
      if (n == 0 || !isSeriesLetter(cp)) {
        return refuse("serien " + quote(text::isValidUtf8(parts.series) ? parts.series : "?") +
                      " får bara innehålla bokstäver");
      }
      i += n;
    }
  }
  if (has(DnrField::kYear) && (parts.year < 1000 || parts.year > 9999)) {
    return refuse("årtalet " + std::to_string(parts.year) + " har inte fyra siffror");
  }
  if (has(DnrField::kYy) && (parts.year < 2000 || parts.year > 2099)) {
    return refuse("årtalet " + std::to_string(parts.year) +
                  " kan inte skrivas med två siffror (bara 2000–2099)");
  }
  if (parts.number < 1 || parts.number > kMaxNumber) {
    return refuse("löpnumret " + std::to_string(parts.number) + " ska vara mellan 1 och " +
                  std::to_string(kMaxNumber));
  }
  if (has(DnrField::kClass)) {
    if (parts.class_code.empty()) return refuse("klassificeringskoden saknas");
    if (parts.class_code.size() > kMaxClassBytes) return refuse("klassificeringskoden är för lång");
    if (!std::all_of(parts.class_code.begin(), parts.class_code.end(),
                     [](char c) { return isClassChar(static_cast<unsigned char>(c)); })) {
      return refuse("klassificeringskoden " +
                    quote(text::isValidUtf8(parts.class_code) ? parts.class_code : "?") +
                    " får bara innehålla bokstäver, siffror och punkter");
    }
  }
  if (parts.doc) {
    if (!has(DnrField::kDoc)) return refuse("dnr-mönstret har inget handlingsnummer {doc}");
    if (*parts.doc < 1 || *parts.doc > kMaxNumber) {
      return refuse("handlingsnumret " + std::to_string(*parts.doc) + " ska vara mellan 1 och " +
                    std::to_string(kMaxNumber));
    }
  }
  return ok();
}

// ------------------------------------------------------------------ parse

struct DnrPattern::Matcher {
  std::string_view in;
  DnrParseMode mode = DnrParseMode::kStrict;
  std::size_t pos = 0;
  DnrParts parts;
  // The failure that got furthest: the most useful one to report.
  std::size_t fail_pos = 0;
  std::string fail_why;
  bool failed = false;

  bool lenient() const { return mode == DnrParseMode::kLenient; }

  bool fail(std::size_t at, std::string why) {
    if (!failed || at >= fail_pos) {
      fail_pos = at;
      fail_why = std::move(why);
      failed = true;
    }
    return false;
  }

  bool literal(const std::string& lit) {
    std::size_t start = pos;
    for (std::size_t k = 0; k < lit.size(); ++k) {
      auto want = static_cast<unsigned char>(lit[k]);
      if (lenient() && isBlank(want)) {
        while (pos < in.size() && isBlank(static_cast<unsigned char>(in[pos]))) ++pos;
        continue;
      }
      auto got = pos < in.size() ? static_cast<unsigned char>(in[pos]) : 0;
      bool same = pos < in.size() &&
                  (got == want || (lenient() && want < 0x80 && got < 0x80 &&
                                   isAsciiLetter(want) && (got | 0x20) == (want | 0x20)));
      if (!same) return fail(pos, "väntade " + quote(lit) + " " + position(start));
      ++pos;
    }
    return true;
  }

  // Digits at pos: [start, end) and their value, or false.
  bool digits(DnrField f, int width, int& value) {
    std::size_t start = pos;
    while (pos < in.size() && isDigit(static_cast<unsigned char>(in[pos]))) ++pos;
    std::size_t n = pos - start;
    if (n == 0) return fail(start, "väntade " + std::string(expectation(f)) + " " + position(start));
    std::string_view text = in.substr(start, n);
    std::size_t first = text.find_first_not_of('0');
    std::string_view significant = first == std::string_view::npos ? "" : text.substr(first);
    if (significant.size() > kMaxNumberDigits) {
      return fail(start, std::string(dnrFieldName(f)) + " " + position(start) + " är för långt");
    }
    long long v = 0;
    for (char c : significant) v = v * 10 + (c - '0');
    if (v < 1) {
      return fail(start, std::string(dnrFieldName(f)) + " " + position(start) +
                             " måste vara minst 1");
    }
    if (!lenient() && text != padded(v, width)) {
      std::string how = width > 0 ? " ska skrivas med " + std::to_string(width) + " siffror"
                                  : " ska skrivas utan inledande nollor";
      return fail(start, std::string(dnrFieldName(f)) + " " + quote(text) + " " +
                             position(start) + how + ", som " + quote(padded(v, width)));
    }
    value = static_cast<int>(v);
    return true;
  }

  bool field(const Item& it) {
    std::size_t start = pos;
    switch (it.field) {
      case DnrField::kSeries: {
        std::string value;
        char32_t cp = 0;
        while (pos < in.size()) {
          std::size_t n = text::decodeUtf8(in, pos, cp);
          if (n == 0 || !isSeriesLetter(cp)) break;
          text::appendUtf8(value, lenient() ? upper(cp) : cp);
          pos += n;
        }
        if (pos == start) {
          return fail(start, "väntade " + std::string(expectation(it.field)) + " " +
                                 position(start));
        }
        if (pos - start > kMaxSeriesBytes) return fail(start, "serien är för lång");
        parts.series = std::move(value);
        return true;
      }
      case DnrField::kYear:
      case DnrField::kYy: {
        std::size_t want = it.field == DnrField::kYear ? 4 : 2;
        std::size_t n = 0;
        while (n < want && pos + n < in.size() && isDigit(static_cast<unsigned char>(in[pos + n]))) {
          ++n;
        }
        if (n < want) {
          return fail(start, "väntade " + std::string(expectation(it.field)) + " " +
                                 position(start));
        }
        int v = 0;
        for (std::size_t k = 0; k < want; ++k) v = v * 10 + (in[pos + k] - '0');
        if (it.field == DnrField::kYear && v < 1000) {
          return fail(start, "årtalet " + position(start) + " måste vara minst 1000");
        }
        parts.year = it.field == DnrField::kYear ? v : 2000 + v;
        pos += want;
        return true;
      }
      case DnrField::kNumber: return digits(it.field, it.width, parts.number);
      case DnrField::kDoc: {
        int v = 0;
        if (!digits(it.field, it.width, v)) return false;
        parts.doc = v;
        return true;
      }
      case DnrField::kClass: {
        while (pos < in.size() && isClassChar(static_cast<unsigned char>(in[pos]))) ++pos;
        if (pos == start) {
          return fail(start, "väntade " + std::string(expectation(it.field)) + " " +
                                 position(start));
        }
        if (pos - start > kMaxClassBytes) return fail(start, "klassificeringskoden är för lång");
        parts.class_code = std::string(in.substr(start, pos - start));
        return true;
      }
    }
    return false;
  }

  // Matches items[from...]. Optional parts sit only at the top level, where
  // the text must be used up.
  bool sequence(const std::vector<Item>& items, std::size_t from = 0) {
    for (std::size_t k = from; k < items.size(); ++k) {
      const Item& it = items[k];
      switch (it.kind) {
        case Item::Kind::kLiteral:
          if (!literal(it.literal)) return false;
          break;
        case Item::Kind::kField:
          if (!field(it)) return false;
          break;
        case Item::Kind::kOptional: {
          // compile() makes the choice decidable by the next character, so at
          // most one way succeeds; trying both keeps this exact regardless,
          // and there is only one optional part, so it stays linear.
          std::size_t saved_pos = pos;
          DnrParts saved = parts;
          if (sequence(it.items) && sequence(items, k + 1)) {
            if (pos == in.size()) return true;
            fail(pos, "oväntad text " + quote(in.substr(pos)) + " " + position(pos));
          }
          pos = saved_pos;
          parts = std::move(saved);
          break;
        }
      }
    }
    return true;
  }
};

Result<DnrParts> DnrPattern::parse(std::string_view dnr, DnrParseMode mode) const {
  while (!dnr.empty() && isSpace(static_cast<unsigned char>(dnr.front()))) dnr.remove_prefix(1);
  while (!dnr.empty() && isSpace(static_cast<unsigned char>(dnr.back()))) dnr.remove_suffix(1);
  auto refuse = [&](const std::string& why) -> Result<DnrParts> {
    std::string shown = text::isValidUtf8(dnr) ? std::string(dnr) : "(ogiltig UTF-8)";
    if (shown.size() > 80) shown = shown.substr(0, 80) + "…";
    return std::unexpected(Error::invalid(quote(shown) + " är inte ett diarienummer enligt formatet " +
                                          quote(source_) + ": " + why));
  };
  if (items_.empty()) return refuse("inget dnr-mönster är angivet");
  if (dnr.empty()) return refuse("diarienumret är tomt");
  if (dnr.size() > kMaxDnrBytes) return refuse("diarienumret är för långt");
  if (!text::isValidUtf8(dnr)) return refuse("texten är inte giltig UTF-8");

  Matcher m;
  m.in = dnr;
  m.mode = mode;
  if (!m.sequence(items_)) return refuse(m.fail_why);
  if (m.pos != dnr.size()) {
    std::string rest(dnr.substr(m.pos));
    // A failed optional part that got further explains the leftover better.
    if (m.failed && m.fail_pos > m.pos) return refuse(m.fail_why);
    return refuse("oväntad text " + quote(rest) + " " + position(m.pos));
  }
  return m.parts;
}

Result<std::string> DnrPattern::normalize(std::string_view dnr) const {
  auto parts = parse(dnr, DnrParseMode::kLenient);
  if (!parts) return std::unexpected(std::move(parts).error());
  // Lenient reading may accept what cannot be written back (a lower-case
  // class code is kept, but a year below 1000 is not): check before writing.
  if (auto valid = check(*parts); !valid) return std::unexpected(std::move(valid).error());
  return format(*parts);
}

}  // namespace kansli
