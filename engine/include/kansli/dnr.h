// Diarienummer (dnr) patterns: how a municipality writes its case numbers.
//
// The format of a dnr is configuration (organisation.xml, one per committee),
// so it is written in a small pattern language that can both FORMAT a dnr from
// its parts and PARSE a written dnr back into them. A compiled DnrPattern is
// immutable: any number of threads may format and parse with one at once.
//
// Syntax (the full description with examples is in docs/dnr.md):
//
//   {series}     the committee's series, letters only       SOCN, KS, ÄN
//   {year}       the year, four digits                       2020
//   {yy}         the year, two digits (parsed back as 20yy)  18
//   {number}     the case's running number, unpadded         262
//   {number:N}   the running number, zero-padded to N digits 0098   ({number:4})
//   {class}      a class code from the filing plan:          1.6, 013
//                ASCII letters, digits and dots
//   [ ... ]      an optional part; it holds {doc} (and literal text) and is
//                written only when the dnr names a document:  [-{doc}]
//   {doc}        the document's number within the case       33
//   {doc:N}      the document number zero-padded to N digits
//   {{ }} [[ ]]  a literal brace or bracket
//   other text   written and expected as is                  " ", "/", "-"
//
//   "{series} {year}/{number}"            SOCN 2020/262
//   "{series} {yy}/{number:4}"            SN 18/0098
//   "{year}/{series} {number:4} {class}"  2017/SN 0229 013
//   "{class}-{number:4}/{year}"           1.6-0463/2011
//   "{series}{year}/{number:4}[-{doc}]"   KS2006/0528 and KS2006/0528-33
//
// compile() refuses, with a Swedish message naming the position, a pattern that
// could not be parsed back: an unknown field, an unclosed or stray brace, no
// {number}, no year, a field used twice, {doc} outside [ ], and a variable-length
// field followed by something that could belong to it ("{number}{doc}",
// "{class}.{number}"). Every pattern that compiles parses left to right with one
// character of look-ahead, so parse() is linear in the input and
// parse(format(p)) == p for every p that check() accepts.
//
// parse() is strict: it accepts exactly what format() can write (surrounding
// whitespace aside), so "SOCN 2020/0262" is not the dnr "SOCN 2020/262". For
// lookups of what people type, parse(..., DnrParseMode::kLenient) and
// normalize() also accept any case, any zero padding and any run of blanks
// (or none) where the pattern has a blank.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kansli/error.h"

namespace kansli {

// The parts of a dnr. Parts whose field the pattern lacks are ignored by
// format() and left empty (or 0) by parse().
struct DnrParts {
  std::string series;
  int year = 0;  // four digits, also for {yy}
  int number = 0;  // >= 1
  std::string class_code;
  std::optional<int> doc;  // the document within the case, >= 1

  bool operator==(const DnrParts&) const = default;
};

enum class DnrField { kSeries, kYear, kYy, kNumber, kClass, kDoc };

enum class DnrParseMode {
  kStrict,   // exactly what format() writes
  kLenient,  // any case, zero padding and blank runs; series upper-cased
};

class DnrPattern {
 public:
  // The empty pattern: formats to "" and parses nothing. Use compile().
  DnrPattern() = default;

  // Error{kInvalidInput} with a Swedish message when the pattern is not valid.
  static Result<DnrPattern> compile(std::string_view pattern);

  const std::string& source() const { return source_; }
  bool has(DnrField field) const;

  // Writes the dnr. Total: for parts that check() refuses it still writes
  // something, but that text need not parse back.
  std::string format(const DnrParts& parts) const;

  // Whether parse(format(parts)) == parts: every part the pattern uses is
  // present and writable (a series of letters, a year that {yy} can express,
  // numbers >= 1 and at most nine digits, ...). Swedish message otherwise.
  Result<void> check(const DnrParts& parts) const;

  // Reads a dnr written in this pattern. Surrounding whitespace is ignored.
  // Error{kInvalidInput} naming what was expected where.
  Result<DnrParts> parse(std::string_view dnr,
                         DnrParseMode mode = DnrParseMode::kStrict) const;

  // The canonical form of a dnr typed by a person: format(parse(dnr, kLenient)).
  // "socn 2020/0262" -> "SOCN 2020/262".
  Result<std::string> normalize(std::string_view dnr) const;

 private:
  struct Item {
    enum class Kind { kLiteral, kField, kOptional };
    Kind kind = Kind::kLiteral;
    std::string literal;          // kLiteral
    DnrField field = DnrField::kNumber;  // kField
    int width = 0;                // kField: zero-padding for number and doc
    std::vector<Item> items;      // kOptional
  };
  struct Matcher;
  struct Compiler;

  std::string source_;
  std::vector<Item> items_;
  unsigned fields_ = 0;  // bit per DnrField
};

// The Swedish name of a field for messages: "löpnumret", "årtalet", ...
std::string_view dnrFieldName(DnrField field);

}  // namespace kansli
