// The promise of docs/dnr.md, tested as a property: for every dnr pattern in
// the project's data (docs/dnr.md's examples, the fuzzer's corpus, every
// organisation file in samples/ and docs/examples/), parts that check()
// accepts format to text that parses back to the same parts, strictly and as
// people type it, and normalize() keeps it. Parts are drawn at random (a fixed
// seed, so a failure repeats) over the whole range of each field: series with
// Swedish letters, both year forms, numbers of one to nine digits, class codes
// of the filing plan's shapes, with and without a document number.
#include <filesystem>
#include <random>
#include <regex>
#include <set>

#include "kansli/dnr.h"
#include "kansli/organisation.h"
#include "testing/testing.h"

namespace kansli {
namespace {

// Every pattern the data holds, with where it came from.
std::vector<std::pair<std::string, std::string>> patternsInTheData() {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string root = testing::sourceDir();
  // docs/dnr.md: the first column of the examples table.
  std::string md = testing::readFile(root + "/docs/dnr.md");
  size_t table = md.find("## Examples");
  size_t end = md.find("The label", table);
  static const std::regex row(R"re(\n\| `([^`]+)`)re");
  std::string section = md.substr(table, end - table);
  for (std::sregex_iterator it(section.begin(), section.end(), row), stop; it != stop; ++it) {
    out.emplace_back((*it)[1].str(), "docs/dnr.md");
  }
  // The fuzzer's corpus: a pattern on the first line.
  for (const auto& e : std::filesystem::directory_iterator(root + "/fuzz/corpus/dnr_pattern")) {
    std::string content = testing::readFile(e.path().string());
    out.emplace_back(content.substr(0, content.find('\n')), "fuzz/corpus/dnr_pattern/" + e.path().filename().string());
  }
  // Organisation files.
  static const std::regex format(R"re(<dnr format="([^"]+)")re");
  for (const char* dir : {"/samples", "/docs/examples"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(root + dir)) {
      if (e.path().filename() != "organisation.xml") continue;
      std::string xml = testing::readFile(e.path().string());
      for (std::sregex_iterator it(xml.begin(), xml.end(), format), stop; it != stop; ++it) {
        std::string p = (*it)[1].str();
        for (size_t pos; (pos = p.find("&amp;")) != std::string::npos;) p.replace(pos, 5, "&");
        out.emplace_back(p, e.path().string().substr(root.size() + 1));
      }
    }
  }
  return out;
}

class PartsDrawer {
 public:
  explicit PartsDrawer(unsigned seed) : rng_(seed) {}

  DnrParts draw(const DnrPattern& p) {
    DnrParts parts;
    static const char* const letters[] = {"A", "B", "K", "S", "N", "O", "C", "Å", "Ä", "Ö", "É", "Z", "x", "m"};
    const int len = pick(1, 6);
    for (int i = 0; i < len; ++i) parts.series += letters[pick(0, 13)];
    parts.year = p.has(DnrField::kYy) ? pick(2000, 2099) : pick(1000, 9999);
    // One to nine digits, each length as likely.
    const int digits = pick(1, 9);
    int lo = 1;
    for (int i = 1; i < digits; ++i) lo *= 10;
    parts.number = pick(lo, digits == 9 ? 999999999 : lo * 10 - 1);
    if (p.has(DnrField::kClass)) {
      static const std::string chars = "0123456789.ABCKSabks";
      static const char* const shapes[] = {"1", "1.6", "013", "KS.01", "2.4.1"};
      if (pick(0, 1)) {
        parts.class_code = shapes[pick(0, 4)];
      } else {
        const int n = pick(1, 8);
        for (int i = 0; i < n; ++i) parts.class_code += chars[static_cast<size_t>(pick(0, int(chars.size()) - 1))];
      }
    }
    if (p.has(DnrField::kDoc) && pick(0, 1)) parts.doc = pick(1, 999999999);
    return parts;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::mt19937 rng_;
};

// Upper case of the letters the drawer uses, as lenient parsing gives the series.
std::string upper(std::string s) {
  for (auto [from, to] : {std::pair{"x", "X"}, {"m", "M"}}) {
    for (size_t pos; (pos = s.find(from)) != std::string::npos;) s.replace(pos, 1, to);
  }
  return s;
}

TEST(DnrProperty, EveryPatternInTheDataRoundTrips) {
  auto patterns = patternsInTheData();
  ASSERT_GE(patterns.size(), 15u) << "the data's patterns were not found";
  std::set<std::string> seen;
  PartsDrawer draw(20261129);
  for (const auto& [source, where] : patterns) {
    auto p = DnrPattern::compile(source);
    if (!p) continue;  // the corpus also holds patterns that must be refused
    if (!seen.insert(source).second) continue;
    SCOPED_TRACE(where + ": " + source);
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
      DnrParts parts = draw.draw(*p);
      if (!p->check(parts)) continue;
      ++accepted;
      DnrParts want = parts;
      if (!p->has(DnrField::kSeries)) want.series.clear();
      if (!p->has(DnrField::kClass)) want.class_code.clear();
      const std::string written = p->format(parts);
      auto back = p->parse(written);
      ASSERT_TRUE(back.has_value()) << written << ": " << back.error().message;
      ASSERT_EQ(*back, want) << written;
      auto lenient = p->parse(written, DnrParseMode::kLenient);
      ASSERT_TRUE(lenient.has_value()) << written;
      EXPECT_EQ(lenient->number, want.number) << written;
      EXPECT_EQ(lenient->year, want.year) << written;
      EXPECT_EQ(lenient->doc, want.doc) << written;
      auto normal = p->normalize(written);
      ASSERT_TRUE(normal.has_value()) << written;
      EXPECT_EQ(*normal, p->format(*lenient)) << written;
      EXPECT_EQ(upper(*normal), upper(written)) << "normalising changes only the letter case: " << written;
    }
    // Without many accepted parts the property says little.
    EXPECT_GT(accepted, 1500) << "only " << accepted << " of 3000 drawn parts were valid";
  }
  EXPECT_GE(seen.size(), 10u);
}

// Registration's path: a committee's own formatDnr for every organisation
// file, with a class code where the format has one (#17: a class pattern wrote
// "2026/0001 KS-" for a case registered without one, which did not parse).
TEST(DnrProperty, EveryCommitteeOfTheSamplesWritesDnrsThatParseBack) {
  const std::string root = testing::sourceDir();
  int committees = 0;
  for (const char* file : {"/samples/nacka/organisation.xml", "/samples/sodertalje/organisation.xml",
                           "/samples/karlskoga/organisation.xml", "/docs/examples/organisation.xml"}) {
    auto org = loadOrganisation(root + file, root + "/schemas/organisation.rng");
    ASSERT_OK(org);
    for (const Committee& c : org->committees) {
      ++committees;
      for (int number : {1, 33, 262, 4711, 1234567}) {
        const std::string dnr = c.formatDnr(2026, number, c.dnr.has(DnrField::kClass) ? "1.6" : "");
        auto parsed = c.dnr.parse(dnr);
        ASSERT_TRUE(parsed.has_value()) << file << " " << c.id << ": " << dnr;
        EXPECT_EQ(parsed->number, number);
        auto found = org->findDnr(dnr);
        ASSERT_TRUE(found.has_value()) << file << " " << dnr << ": " << found.error().message;
        EXPECT_EQ(found->committee->id, c.id) << dnr;
      }
    }
  }
  EXPECT_GE(committees, 10);
}

// The bug itself: without a class code a {class} format writes text that
// check() refuses and parse() cannot read.
TEST(DnrProperty, AClassFormatNeedsItsClass) {
  auto p = DnrPattern::compile("{year}/{number:4} {series}-{class}");
  ASSERT_OK(p);
  DnrParts without{"KS", 2026, 1, "", std::nullopt};
  EXPECT_FALSE(p->check(without));
  EXPECT_FALSE(p->parse(p->format(without))) << p->format(without);
  DnrParts with{"KS", 2026, 1, "1.6", std::nullopt};
  ASSERT_OK(p->check(with));
  EXPECT_EQ(p->format(with), "2026/0001 KS-1.6");
  EXPECT_EQ(*p->parse(p->format(with)), with);
}

}  // namespace
}  // namespace kansli
