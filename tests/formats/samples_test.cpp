// The samples: real municipalities' memos reproduced from their own
// templates (samples/<kommun>/: organisation file, templates/ folder, memo,
// case file and the original's text). Each renders in every format; the text
// and the PDF (as pdftotext reads it) reproduce at least 97 % of the
// original's words in order (testing::wordsInOrder), and LibreOffice prints
// the DOCX and the ODT without error and with the same words. The text is
// also kept as a golden file.
#include <cstdio>

#include "formats/fixtures.h"
#include "kansli/organisation.h"

namespace kansli {
namespace {

struct Sample {
  const char* name;      // golden file and output names
  const char* dir;       // under samples/
  const char* memo;      // in dir
  const char* case_file; // in dir
  const char* original;  // from the repository root
  int pages;             // the PDF's pages
};

std::ostream& operator<<(std::ostream& o, const Sample& s) { return o << s.name; }

const Sample kSamples[] = {
    {"nacka-SOCN-2020-262", "nacka", "memo-SOCN-2020-262.xml", "case-SOCN-2020-262.json",
     "tests/data/tjansteskrivelse-SOCN-2020-262.txt", 2},
    {"sodertalje-KFN-13-33", "sodertalje", "memo-KFN-13-33.xml", "case-KFN-13-33.json",
     "samples/sodertalje/original.txt", 2},
    {"karlskoga-KS-giftfri-vardag", "karlskoga", "memo-KS-giftfri-vardag.xml", "case-KS-giftfri-vardag.json",
     "samples/karlskoga/original.txt", 1},
};

class SampleTest : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    const Sample& s = GetParam();
    dir_ = testing::sourceDir() + "/samples/" + s.dir;
    auto org = loadOrganisation(dir_ + "/organisation.xml", testing::sourceDir() + "/schemas/organisation.rng");
    ASSERT_OK(org);
    org_ = *org;
    auto facts = parseCaseJson(testing::readFile(dir_ + "/" + s.case_file), s.case_file);
    ASSERT_OK(facts);
    facts_ = *facts;
    facts_.org = orgFactsOf(org_);
    // The municipality's folder first, then the shipped templates.
    auto t = loadTemplateByName("tjansteskrivelse", std::filesystem::path(dir_) / "templates");
    ASSERT_OK(t);
    auto m = parseMemo(testing::readFile(dir_ + "/" + s.memo), s.memo);
    ASSERT_OK(m);
    auto d = renderMemo(*t, facts_, *m);
    ASSERT_OK(d);
    doc_ = *d;
    original_ = testing::normalised(testing::originalText(testing::readFile(testing::sourceDir() + "/" + s.original)),
                                    testing::referenceForPaged(false));
    ASSERT_GT(original_.size(), 100u) << "the original was read";
  }

  std::vector<std::string> pdfWords(const std::string& pdf) {
    return testing::normalised(formatstest::sh("pdftotext -enc UTF-8 '" + pdf + "' -").out,
                               testing::extractedFromPaged());
  }

  std::string missed(const std::vector<std::string>& got) const {
    std::string out = "not reproduced:";
    for (const auto& w : testing::missedWords(original_, got)) out += " " + w;
    return out;
  }

  std::string dir_;
  Organisation org_;
  CaseFacts facts_;
  doc::Document doc_;
  std::vector<std::string> original_;
  testing::TempDir tmp_;
};

TEST_P(SampleTest, TheCaseBelongsToTheOrganisation) {
  auto found = org_.findDnr(facts_.dnr);
  ASSERT_OK(found);
  EXPECT_EQ(found->committee->id, facts_.committee_id);
  EXPECT_EQ(found->committee->name, facts_.committee_name);
  EXPECT_EQ(found->committee->formatDnr(found->parts.year, found->parts.number, found->parts.class_code), facts_.dnr);
  bool unit_known = false;
  for (const auto& u : org_.units) unit_known = unit_known || u.name == facts_.unit_name;
  EXPECT_TRUE(unit_known) << facts_.unit_name;
  EXPECT_TRUE(org_.kind(facts_.kind)) << facts_.kind;
}

TEST_P(SampleTest, TextReproducesTheOriginal) {
  std::string text = writeText(doc_);
  // Emphasis is *…* in text; the original's extracted text has no marks.
  auto got = testing::normalised(text, testing::referenceForPaged(false));
  double coverage = testing::wordsInOrder(original_, got);
  std::printf("[ SAMPLE   ] %s: text reproduces %.4f of the original's %zu words in order; %s\n",
              GetParam().name, coverage, original_.size(), missed(got).c_str());
  EXPECT_GE(coverage, 0.97) << missed(got);
  std::string golden = testing::sourceDir() + "/tests/data/golden/" + GetParam().name + ".txt";
  if (std::getenv("KANSLI_UPDATE_GOLDEN")) testing::writeFile(golden, text);
  EXPECT_EQ(text, testing::readFile(golden))
      << "set KANSLI_UPDATE_GOLDEN=1 to rewrite " << golden << " after a deliberate change";
}

TEST_P(SampleTest, PdfReproducesTheOriginal) {
  auto pdf = writePdf(doc_);
  ASSERT_OK(pdf);
  std::string file = tmp_.file(std::string(GetParam().name) + ".pdf");
  testing::writeFile(file, *pdf);
  formatstest::keepCopy(file);
  EXPECT_EQ(formatstest::pdfPages(file), GetParam().pages);
  auto r = formatstest::sh("pdftotext '" + file + "' /dev/null");
  EXPECT_EQ(r.err, "") << "poppler complains";
  auto got = pdfWords(file);
  double coverage = testing::wordsInOrder(original_, got);
  std::printf("[ SAMPLE   ] %s: PDF reproduces %.4f of the original's words in order, %d pages; %s\n",
              GetParam().name, coverage, formatstest::pdfPages(file), missed(got).c_str());
  EXPECT_GE(coverage, 0.97) << missed(got);
}

TEST_P(SampleTest, LibreOfficePrintsTheOfficeFormats) {
  if (!formatstest::haveTool("soffice")) GTEST_SKIP() << "LibreOffice saknas";
  for (Format f : {Format::kDocx, Format::kOdt}) {
    auto bytes = f == Format::kDocx ? writeDocx(doc_) : writeOdt(doc_);
    ASSERT_OK(bytes);
    const std::string stem = std::string(GetParam().name) + (f == Format::kDocx ? "-docx" : "-odt");
    std::string file = tmp_.file(stem + std::string(formatInfo(f).suffix));
    testing::writeFile(file, *bytes);
    formatstest::keepCopy(file);
    std::string out = tmp_.file("pdf");
    auto r = formatstest::sh("soffice -env:UserInstallation=file://" + tmp_.file("profile") +
                             " --headless --norestore --convert-to pdf --outdir '" + out + "' '" + file + "'");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err.find("Error"), std::string::npos) << r.err;
    std::string pdf = out + "/" + stem + ".pdf";
    ASSERT_TRUE(std::filesystem::exists(pdf)) << r.out << r.err;
    formatstest::keepCopy(pdf);
    std::vector<std::string> notes;
    for (const auto& n : doc_.footnotes) notes.push_back(doc::plainText(n.content));
    auto got = testing::normalised(formatstest::sh("pdftotext -enc UTF-8 '" + pdf + "' -").out,
                                   testing::extractedFromPaged(notes));
    auto want = testing::normalised(
        testing::originalText(testing::readFile(testing::sourceDir() + "/" + GetParam().original)),
        testing::referenceForPaged(!notes.empty()));
    double coverage = testing::wordsInOrder(want, got);
    std::printf("[ SAMPLE   ] %s: LibreOffice's PDF of the %s reproduces %.4f, %d pages\n", GetParam().name,
                std::string(formatInfo(f).name).c_str(), coverage, formatstest::pdfPages(pdf));
    EXPECT_GE(coverage, 0.97) << formatInfo(f).name << ": " << missed(got);
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, SampleTest, ::testing::ValuesIn(kSamples),
                         [](const ::testing::TestParamInfo<Sample>& p) { return std::string(p.param.dir); });

TEST(WordsInOrder, CountsTheOriginalsWordsInOrder) {
  using testing::wordsInOrder;
  EXPECT_DOUBLE_EQ(wordsInOrder({"a", "b", "c", "d"}, {"a", "b", "c", "d"}), 1.0);
  EXPECT_DOUBLE_EQ(wordsInOrder({"a", "b", "c", "d"}, {"x", "a", "y", "b", "c", "d", "z"}), 1.0) << "additions are free";
  EXPECT_DOUBLE_EQ(wordsInOrder({"a", "b", "c", "d"}, {"a", "c", "d"}), 0.75) << "a dropped word counts";
  EXPECT_DOUBLE_EQ(wordsInOrder({"a", "b", "c", "d"}, {"d", "c", "b", "a"}), 0.25) << "order counts";
  EXPECT_DOUBLE_EQ(wordsInOrder({"a", "b"}, {}), 0.0);
}

TEST(OriginalText, HeaderEditorialLinesAndPageMarksAreNotTheDocument) {
  std::string text = testing::originalText(
      "source-url: x\npage-marks: 1\n\n1 1 (4)\nTjänsteskrivelse\nföreslår att frågan om[...]\n\n"
      "2 2 (4)\n[... resten saknas ...]\nslut\n");
  EXPECT_EQ(testing::words(text),
            (std::vector<std::string>{"1", "(4)", "Tjänsteskrivelse", "föreslår", "att", "frågan", "om", "2", "(4)",
                                      "slut"}));
}

}  // namespace
}  // namespace kansli
