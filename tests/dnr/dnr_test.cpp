#include "kansli/dnr.h"

#include <random>

#include "testing/testing.h"

namespace kansli {
namespace {

DnrPattern compiled(std::string_view pattern) {
  auto p = DnrPattern::compile(pattern);
  EXPECT_TRUE(p.has_value()) << pattern << ": " << (p ? "" : p.error().message);
  return p ? *p : DnrPattern{};
}

std::string compileError(std::string_view pattern) {
  auto p = DnrPattern::compile(pattern);
  if (p) return "(kompilerades: " + std::string(pattern) + ")";
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidInput);
  return p.error().message;
}

std::string parseError(const DnrPattern& p, std::string_view dnr,
                       DnrParseMode mode = DnrParseMode::kStrict) {
  auto r = p.parse(dnr, mode);
  if (r) return "(tolkades: " + std::string(dnr) + ")";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  return r.error().message;
}

DnrParts parts(std::string series, int year, int number, std::string class_code = {},
               std::optional<int> doc = std::nullopt) {
  return DnrParts{std::move(series), year, number, std::move(class_code), doc};
}

// ------------------------------------------------------------------------
// The real formats of the brief: each formats and parses back.

struct RealFormat {
  const char* pattern;
  DnrParts parts;
  const char* written;
};

class RealFormats : public ::testing::TestWithParam<RealFormat> {};

TEST_P(RealFormats, FormatsAndParsesBack) {
  const RealFormat& f = GetParam();
  DnrPattern p = compiled(f.pattern);
  ASSERT_OK(p.check(f.parts));
  EXPECT_EQ(p.format(f.parts), f.written);
  auto back = p.parse(f.written);
  ASSERT_OK(back);
  EXPECT_EQ(*back, f.parts);
  auto padded = p.parse(std::string("  ") + f.written + "\t\n");
  ASSERT_OK(padded);
  EXPECT_EQ(*padded, f.parts);
  auto norm = p.normalize(f.written);
  ASSERT_OK(norm);
  EXPECT_EQ(*norm, f.written);
}

INSTANTIATE_TEST_SUITE_P(
    Dnr, RealFormats,
    ::testing::Values(
        RealFormat{"{series} {year}/{number}", parts("SOCN", 2020, 262), "SOCN 2020/262"},
        RealFormat{"{series} {yy}/{number:4}", parts("SN", 2018, 98), "SN 18/0098"},
        RealFormat{"{series} {year}/{number:4}", parts("KS", 2023, 12), "KS 2023/0012"},
        RealFormat{"{year}/{series} {number:4} {class}", parts("SN", 2017, 229, "013"),
                   "2017/SN 0229 013"},
        RealFormat{"{class}-{number:4}/{year}", parts("", 2011, 463, "1.6"), "1.6-0463/2011"},
        RealFormat{"{series}{year}/{number:4}[-{doc}]", parts("KS", 2006, 528, "", 33),
                   "KS2006/0528-33"},
        RealFormat{"{series}{year}/{number:4}[-{doc}]", parts("KS", 2006, 528),
                   "KS2006/0528"},
        RealFormat{"{series} {year}/{number}", parts("ÄLN", 2024, 7), "ÄLN 2024/7"},
        RealFormat{"Dnr {{{series}}} {year}:{number}", parts("BUN", 2021, 5),
                   "Dnr {BUN} 2021:5"},
        RealFormat{"[[{series}]] {year}-{number:3}[ handling {doc:2}]",
                   parts("KF", 2022, 1, "", 3), "[KF] 2022-001 handling 03"}));

// ------------------------------------------------------------------------
// Pattern validation.

TEST(DnrPattern, ReportsWhatFieldsItHas) {
  DnrPattern p = compiled("{class}-{number:4}/{year}");
  EXPECT_TRUE(p.has(DnrField::kClass));
  EXPECT_TRUE(p.has(DnrField::kYear));
  EXPECT_FALSE(p.has(DnrField::kSeries));
  EXPECT_FALSE(p.has(DnrField::kDoc));
  EXPECT_EQ(p.source(), "{class}-{number:4}/{year}");
}

TEST(DnrPattern, UnknownFieldIsNamedWithItsPosition) {
  std::string e = compileError("{series} {år}/{number}");
  EXPECT_NE(e.find("okänt fält {år}"), std::string::npos) << e;
  EXPECT_NE(e.find("vid tecken 10"), std::string::npos) << e;
  EXPECT_NE(e.find("{series}, {year}"), std::string::npos) << e;
}

TEST(DnrPattern, UnclosedBraceIsRefused) {
  std::string e = compileError("{series} {year/{number");
  EXPECT_NE(e.find("stängs aldrig"), std::string::npos) << e;
  // A brace left open at the very end:
  e = compileError("{series} {year}/{number");
  EXPECT_NE(e.find("klammern vid tecken 17 stängs aldrig"), std::string::npos) << e;
}

TEST(DnrPattern, StrayClosingBraceAndBracketAreRefused) {
  EXPECT_NE(compileError("{series} {year}/{number}}").find("ensam }"), std::string::npos);
  EXPECT_NE(compileError("{series} {year}/{number}]").find("ensam ]"), std::string::npos);
}

TEST(DnrPattern, WithoutNumberIsRefused) {
  std::string e = compileError("{series} {year}");
  EXPECT_NE(e.find("saknar löpnummer {number}"), std::string::npos) << e;
}

TEST(DnrPattern, WithoutYearIsRefused) {
  std::string e = compileError("{series} {number}");
  EXPECT_NE(e.find("saknar årtal"), std::string::npos) << e;
}

TEST(DnrPattern, FieldTwiceIsRefused) {
  EXPECT_NE(compileError("{series} {year}/{number}/{number}").find("mer än en gång"),
            std::string::npos);
  EXPECT_NE(compileError("{series} {year}/{yy}/{number}").find("{year} och {yy}"),
            std::string::npos);
}

TEST(DnrPattern, AdjacentDigitFieldsAreAmbiguous) {
  std::string e = compileError("{series} {year}/{number}{doc}");
  // {doc} outside [ ] is caught first; inside, the adjacency:
  EXPECT_NE(e.find("{doc}"), std::string::npos) << e;
  e = compileError("{series} {year}/{number}[{doc}]");
  EXPECT_NE(e.find("måste börja med fast text"), std::string::npos) << e;
  e = compileError("{series} {number}{year}");
  EXPECT_NE(e.find("fälten {number} och {year} står intill varandra utan skiljetecken"),
            std::string::npos)
      << e;
  e = compileError("{class}{number} {year}");
  EXPECT_NE(e.find("fälten {class} och {number}"), std::string::npos) << e;
  e = compileError("{series}{class} {number} {year}");
  EXPECT_NE(e.find("fälten {series} och {class}"), std::string::npos) << e;
}

TEST(DnrPattern, LiteralThatCouldBelongToTheFieldBeforeIsAmbiguous) {
  std::string e = compileError("{class}.{number}/{year}");
  EXPECT_NE(e.find("fältet {class} följs av texten \".\" som kan ingå i fältet"),
            std::string::npos)
      << e;
  e = compileError("{series}x{year}/{number}");
  EXPECT_NE(e.find("fältet {series} följs av texten \"x\""), std::string::npos) << e;
  e = compileError("{year}/{number}0");
  EXPECT_NE(e.find("fältet {number} följs av texten \"0\""), std::string::npos) << e;
}

TEST(DnrPattern, OptionalPartMustBeDecidable) {
  // After {number} either "-" of the optional part or "-" of the class: ambiguous.
  std::string e = compileError("{year}/{number}[-{doc}]-{class}");
  EXPECT_NE(e.find("den valfria delen som börjar med \"-\" följs av texten \"-\""),
            std::string::npos)
      << e;
  // The optional part's {doc} followed (after the part) by digits.
  e = compileError("{number}/{year}[-{doc}]{class}");
  EXPECT_NE(e.find("fälten {doc} och {class}"), std::string::npos) << e;
  // ... and {number} before it too.
  e = compileError("{year} {number}[/{doc}]5");
  EXPECT_NE(e.find("{number} följs av texten \"5\""), std::string::npos) << e;
}

// Read leniently, "a" also matches "A" and a leading blank may be absent: the
// choice must still be decidable, or lenient and strict reading would differ
// ("2020/5A1A2" is class "1A2" strictly, but doc 1 and class "2" leniently).
TEST(DnrPattern, OptionalPartMustBeDecidableAlsoWhenReadLeniently) {
  std::string e = compileError("{year}/{number}[a{doc}]A{class}");
  EXPECT_NE(e.find("den valfria delen som börjar med \"a\" följs av texten \"A\""),
            std::string::npos)
      << e;
  e = compileError("{year}/{number}[ x{doc}]x{class}");
  EXPECT_NE(e.find("kan börja likadant"), std::string::npos) << e;
  e = compileError("{year}/{number}[-{doc}] -{class}");
  EXPECT_NE(e.find("kan börja likadant"), std::string::npos) << e;
  compiled("{year}/{number}[-{doc}] {class}");
}

TEST(DnrPattern, OptionalPartRules) {
  EXPECT_NE(compileError("{year}/{number}[-{class}]").find("bara innehålla {doc}"),
            std::string::npos);
  EXPECT_NE(compileError("{year}/{number}[-x]").find("måste innehålla {doc}"),
            std::string::npos);
  EXPECT_NE(compileError("{year}/{number}[-{doc}").find("stängs aldrig"), std::string::npos);
  EXPECT_NE(compileError("{year}/{number}[-[{doc}]]").find("nästlas"), std::string::npos);
  EXPECT_NE(compileError("{year}/{number}-{doc}").find("måste stå inom [ ]"),
            std::string::npos);
}

TEST(DnrPattern, WidthOnlyOnNumbersAndOneToNine) {
  EXPECT_NE(compileError("{series:2} {year}/{number}").find("kan inte ha en bredd"),
            std::string::npos);
  EXPECT_NE(compileError("{year}/{number:0}").find("siffra 1–9"), std::string::npos);
  EXPECT_NE(compileError("{year}/{number:10}").find("siffra 1–9"), std::string::npos);
  EXPECT_NE(compileError("{year}/{number:}").find("siffra 1–9"), std::string::npos);
}

TEST(DnrPattern, EmptyLongBlankEdgedOrControlPatternsAreRefused) {
  EXPECT_NE(compileError("").find("tomt"), std::string::npos);
  EXPECT_NE(compileError(std::string(201, 'x')).find("för långt"), std::string::npos);
  EXPECT_NE(compileError(" {year}/{number}").find("blanksteg"), std::string::npos);
  EXPECT_NE(compileError("{year}/{number} ").find("blanksteg"), std::string::npos);
  EXPECT_NE(compileError("{year}\t{number}").find("styrtecken"), std::string::npos);
  EXPECT_NE(compileError("{year}/{number}\xC3").find("UTF-8"), std::string::npos);
}

// parse() trims, so a dnr must not begin or end with a blank even when the
// optional part is left out (found by fuzz/dnr_pattern_fuzz.cpp).
TEST(DnrPattern, NoBlankAtTheEdgesWithOrWithoutTheOptionalPart) {
  EXPECT_NE(compileError("{year}/{number} [-{doc}]").find("utan den valfria delen"),
            std::string::npos);
  EXPECT_NE(compileError("{year}/{number}[-{doc} ]").find("med den valfria delen"),
            std::string::npos);
  EXPECT_NE(compileError("[ {doc}-] {year}/{number}").find("blanksteg"), std::string::npos);
  compiled("{year}/{number}[ {doc}]");
}

TEST(DnrPattern, MessagesQuoteThePattern) {
  std::string e = compileError("{series} {nummer}");
  EXPECT_EQ(e.rfind("dnr-mönstret \"{series} {nummer}\": ", 0), 0u) << e;
}

// ------------------------------------------------------------------------
// Parsing: strict by default.

TEST(DnrParse, TwoDigitYearsAreThisCentury) {
  DnrPattern p = compiled("{series} {yy}/{number:4}");
  auto r = p.parse("SN 99/0001");
  ASSERT_OK(r);
  EXPECT_EQ(r->year, 2099);
  r = p.parse("SN 00/0001");
  ASSERT_OK(r);
  EXPECT_EQ(r->year, 2000);
  EXPECT_EQ(p.format(parts("SN", 2007, 5)), "SN 07/0005");
}

TEST(DnrParse, StrictRefusesOtherPaddingThanTheFormatWrites) {
  DnrPattern p = compiled("{series} {year}/{number}");
  std::string e = parseError(p, "SOCN 2020/0262");
  EXPECT_NE(e.find("utan inledande nollor"), std::string::npos) << e;
  EXPECT_NE(e.find("\"262\""), std::string::npos) << e;

  DnrPattern q = compiled("{series} {year}/{number:4}");
  e = parseError(q, "KS 2023/12");
  EXPECT_NE(e.find("ska skrivas med 4 siffror"), std::string::npos) << e;
  EXPECT_NE(e.find("\"0012\""), std::string::npos) << e;
  // More digits than the width is fine when the number needs them.
  auto big = q.parse("KS 2023/12345");
  ASSERT_OK(big);
  EXPECT_EQ(big->number, 12345);
  EXPECT_NE(parseError(q, "KS 2023/012345").find("4 siffror"), std::string::npos);
}

TEST(DnrParse, BadInputsSayWhatWasExpectedWhere) {
  DnrPattern p = compiled("{series} {year}/{number}");
  std::string e = parseError(p, "SOCN 2020/abc");
  EXPECT_NE(e.find("väntade löpnummer (siffror) vid tecken 11"), std::string::npos) << e;
  EXPECT_EQ(e.rfind("\"SOCN 2020/abc\" är inte ett diarienummer enligt formatet "
                    "\"{series} {year}/{number}\"",
                    0),
            0u)
      << e;

  e = parseError(p, "SOCN 2020-262");
  EXPECT_NE(e.find("väntade \"/\" vid tecken 10"), std::string::npos) << e;
  e = parseError(p, "SOCN 20/262");
  EXPECT_NE(e.find("årtal med fyra siffror vid tecken 6"), std::string::npos) << e;
  e = parseError(p, "2020/262");
  EXPECT_NE(e.find("väntade serien"), std::string::npos) << e;
  e = parseError(p, "SOCN 2020/262 x");
  EXPECT_NE(e.find("oväntad text \" x\" vid tecken 14"), std::string::npos) << e;
  e = parseError(p, "SOCN  2020/262");
  EXPECT_NE(e.find("årtal med fyra siffror"), std::string::npos) << e;
  e = parseError(p, "SOCN 0999/262");
  EXPECT_NE(e.find("minst 1000"), std::string::npos) << e;
  e = parseError(p, "SOCN 2020/0");
  EXPECT_NE(e.find("minst 1"), std::string::npos) << e;
  e = parseError(p, "SOCN 2020/1234567890");
  EXPECT_NE(e.find("för långt"), std::string::npos) << e;
  EXPECT_NE(parseError(p, "").find("tomt"), std::string::npos);
  EXPECT_NE(parseError(p, "   ").find("tomt"), std::string::npos);
  EXPECT_NE(parseError(p, std::string(300, 'A')).find("för långt"), std::string::npos);
  EXPECT_NE(parseError(p, "SOCN\xFF 2020/1").find("UTF-8"), std::string::npos);
  // A dash is not a letter, even outside ASCII.
  EXPECT_NE(parseError(p, "SOCN\xE2\x80\x93 2020/1").find("väntade \" \""), std::string::npos);
}

TEST(DnrParse, DocumentNumberIsOptionalAndChecked) {
  DnrPattern p = compiled("{series}{year}/{number:4}[-{doc}]");
  std::string e = parseError(p, "KS2006/0528-");
  EXPECT_NE(e.find("väntade handlingsnummer (siffror) vid tecken 13"), std::string::npos) << e;
  e = parseError(p, "KS2006/0528-033");
  EXPECT_NE(e.find("utan inledande nollor"), std::string::npos) << e;
  e = parseError(p, "KS2006/0528x");
  EXPECT_NE(e.find("oväntad text \"x\" vid tecken 12"), std::string::npos) << e;
}

TEST(DnrParse, EmptyPatternParsesNothing) {
  DnrPattern p;
  EXPECT_FALSE(p.parse("SOCN 2020/262"));
  EXPECT_EQ(p.format(parts("SOCN", 2020, 262)), "");
  EXPECT_FALSE(p.check(parts("SOCN", 2020, 262)));
}

// ------------------------------------------------------------------------
// Lenient parsing and normalize, for lookups of what people type.

TEST(DnrNormalize, AcceptsCasePaddingAndBlanks) {
  DnrPattern p = compiled("{series} {year}/{number}");
  auto n = p.normalize("  socn   2020/0262 ");
  ASSERT_OK(n);
  EXPECT_EQ(*n, "SOCN 2020/262");
  n = p.normalize("socn2020/262");
  ASSERT_OK(n);
  EXPECT_EQ(*n, "SOCN 2020/262");
  n = p.normalize("äln 2024/7");
  ASSERT_OK(n);
  EXPECT_EQ(*n, "ÄLN 2024/7");

  DnrPattern q = compiled("Dnr {series} {yy}/{number:4}");
  n = q.normalize("DNR sn 18/98");
  ASSERT_OK(n);
  EXPECT_EQ(*n, "Dnr SN 18/0098");
}

TEST(DnrNormalize, StillRefusesWhatIsNotADnr) {
  DnrPattern p = compiled("{series} {year}/{number}");
  EXPECT_FALSE(p.normalize("socn 2020-262"));
  EXPECT_FALSE(p.normalize("socn 2020/0"));
  EXPECT_FALSE(p.normalize("2020/262"));
}

TEST(DnrParse, StrictKeepsTheSeriesAsWritten) {
  DnrPattern p = compiled("{series} {year}/{number}");
  auto r = p.parse("socn 2020/262");
  ASSERT_OK(r);
  EXPECT_EQ(r->series, "socn");
  auto l = p.parse("socn 2020/262", DnrParseMode::kLenient);
  ASSERT_OK(l);
  EXPECT_EQ(l->series, "SOCN");
}

// ------------------------------------------------------------------------
// check(): what format() can write so that it parses back.

TEST(DnrCheck, RefusesPartsThatWouldNotParseBack) {
  DnrPattern p = compiled("{series} {yy}/{number:4} {class}[-{doc}]");
  EXPECT_OK(p.check(parts("SN", 2018, 98, "1.6")));
  EXPECT_FALSE(p.check(parts("", 2018, 98, "1.6")));
  EXPECT_FALSE(p.check(parts("S2", 2018, 98, "1.6")));
  EXPECT_FALSE(p.check(parts("SN", 1999, 98, "1.6")));
  EXPECT_FALSE(p.check(parts("SN", 2018, 0, "1.6")));
  EXPECT_FALSE(p.check(parts("SN", 2018, 1'000'000'000, "1.6")));
  EXPECT_FALSE(p.check(parts("SN", 2018, 98, "")));
  EXPECT_FALSE(p.check(parts("SN", 2018, 98, "1-6")));
  EXPECT_FALSE(p.check(parts("SN", 2018, 98, "1.6", 0)));
  EXPECT_OK(p.check(parts("SN", 2018, 98, "1.6", 4)));

  DnrPattern q = compiled("{series} {year}/{number}");
  EXPECT_FALSE(q.check(parts("SOCN", 2020, 1, "", 3)));  // no {doc} to write it in
  EXPECT_FALSE(q.check(parts("SOCN", 999, 1)));
  auto e = q.check(parts("SO CN", 2020, 1));
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("bara innehålla bokstäver"), std::string::npos);
}

// ------------------------------------------------------------------------
// Property: for many parts, parse(format(p)) == p, in every pattern.

TEST(DnrProperty, RoundTripsOverManyNumbersYearsAndPatterns) {
  const char* patterns[] = {
      "{series} {year}/{number}",          "{series} {yy}/{number:4}",
      "{year}/{series} {number:4} {class}", "{class}-{number:4}/{year}",
      "{series}{year}/{number:4}[-{doc}]",  "{yy}{number:3}[.{doc:2}]",
      "{series}-{class}/{year}{number}",    "{{{series}}}{year}[[{number}]][:{doc}]",
  };
  const char* series[] = {"SOCN", "KS", "BUN", "ÄLN", "Kfn", "é"};
  const char* classes[] = {"1.6", "013", "KS.01.2", "a", "2.1.3"};
  std::mt19937 rng(20200825);
  int checked = 0;
  for (const char* text : patterns) {
    DnrPattern p = compiled(text);
    for (int i = 0; i < 3000; ++i) {
      DnrParts in;
      in.series = p.has(DnrField::kSeries) ? series[rng() % std::size(series)] : "";
      in.year = p.has(DnrField::kYy) ? 2000 + static_cast<int>(rng() % 100)
                                     : 1000 + static_cast<int>(rng() % 9000);
      // Small numbers often (padding), and the full range now and then.
      in.number = i % 3 == 0 ? 1 + static_cast<int>(rng() % 999'999'999)
                             : 1 + static_cast<int>(rng() % 1200);
      in.class_code = p.has(DnrField::kClass) ? classes[rng() % std::size(classes)] : "";
      if (p.has(DnrField::kDoc) && rng() % 2) in.doc = 1 + static_cast<int>(rng() % 150);
      ASSERT_OK(p.check(in));
      std::string written = p.format(in);
      auto back = p.parse(written);
      ASSERT_TRUE(back.has_value()) << text << " " << written << ": " << back.error().message;
      ASSERT_EQ(*back, in) << text << " " << written;
      auto norm = p.normalize(written);
      ASSERT_OK(norm);
      if (in.series == "Kfn" || in.series == "é") {
        EXPECT_NE(*norm, written);  // normalize upper-cases the series
      } else {
        EXPECT_EQ(*norm, written);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8 * 3000);
}

}  // namespace
}  // namespace kansli
