// Every worked example of docs/templates.md, rendered: the comment before an
// example names it and says what the document must show,
//
//   <!-- exempel: namn | text: "…" | pdf: "…" | pdf-sida-2: "…" | sidor: 2 |
//        docx: "…" | odt: "…" | bild: "fil" | nummer: "2024:3" -->
//
// and the ```xml block after it is a whole template. Each is loaded with the
// files of docs/examples/ beside it (the logo) and rendered with Exempelby's
// case, organisation and memo (docs/examples/) in all five formats; then
//   text: the text format contains it ("\n" is a line break),
//   pdf: pdftotext of the PDF contains it; pdf-sida-N: page N does,
//   sidor: the PDF has that many pages,
//   docx / odt: the package's XML parts contain it,
//   bild: the PDF shows a picture (for an SVG: drawn, not blank),
//   nummer: the memo's running number given to the render.
// So the documentation cannot promise what the template language does not do.
#include <algorithm>
#include <set>
#include <sstream>

#include "docs_examples.h"
#include "formats/fixtures.h"
#include "kansli/organisation.h"
#include "xml/xml.h"

namespace kansli {
namespace {

std::vector<docs::TemplateExample> examples() {
  return docs::templateExamples(testing::readFile(testing::sourceDir() + "/docs/templates.md"));
}

class DocsExamples : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = testing::sourceDir() + "/docs/examples";
    auto org = loadOrganisation(dir + "/organisation.xml", testing::sourceDir() + "/schemas/organisation.rng");
    ASSERT_OK(org);
    auto facts = parseCaseJson(testing::readFile(dir + "/case-exempelby.json"), "case-exempelby.json");
    ASSERT_OK(facts);
    facts_ = *facts;
    facts_.org = orgFactsOf(*org);
    auto m = parseMemo(testing::readFile(dir + "/memo-exempelby.xml"), "memo-exempelby.xml");
    ASSERT_OK(m);
    memo_ = *m;
  }

  // The darkest grey level (0 black .. 255 white) in the top left 60 × 30
  // mm of page 1, rendered at 20 dpi by pdftoppm.
  int darkestInCorner(const std::string& pdf) {
    const std::string root = dir_.file("corner");
    formatstest::sh("pdftoppm -r 20 -f 1 -l 1 -singlefile -gray -x 0 -y 0 -W 47 -H 24 '" + pdf + "' '" + root + "'");
    std::string pgm = testing::readFile(root + ".pgm");
    // P5 header: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    std::istringstream head(pgm);
    std::string magic;
    int w = 0, h = 0, max = 0;
    head >> magic >> w >> h >> max;
    if (magic != "P5" || w <= 0 || h <= 0) return 256;
    const size_t pixels = static_cast<size_t>(w) * static_cast<size_t>(h);
    if (pgm.size() < pixels) return 256;
    int darkest = 255;
    for (size_t i = pgm.size() - pixels; i < pgm.size(); ++i) darkest = std::min(darkest, int(static_cast<unsigned char>(pgm[i])));
    return darkest;
  }

  // The XML parts of a package, concatenated.
  std::string parts(const std::string& file) {
    return formatstest::sh("unzip -p '" + file + "' '*.xml'").out;
  }

  CaseFacts facts_;
  Memo memo_;
  testing::TempDir dir_;
};

TEST_F(DocsExamples, EveryWorkedExampleRendersWhatItPromises) {
  auto all = examples();
  ASSERT_GE(all.size(), 12u) << "docs/templates.md lost its examples";
  std::set<std::string> names;
  for (const auto& e : all) {
    SCOPED_TRACE("docs/templates.md:" + std::to_string(e.line) + " exempel " + e.name);
    EXPECT_TRUE(names.insert(e.name).second) << "two examples named " << e.name;
    auto t = parseTemplate(e.xml, "docs/templates.md#" + e.name, assetsIn(testing::sourceDir() + "/docs/examples/templates"));
    ASSERT_OK(t);
    RenderOptions opts;
    for (const auto& [k, v] : e.checks) {
      if (k == "nummer") opts.memo_number = v;
    }
    auto d = renderMemo(*t, facts_, memo_, opts);
    ASSERT_OK(d);
    const std::string text = writeText(*d);
    const std::string html = writeHtml(*d);
    EXPECT_OK(xml::parse(html.substr(html.find('\n') + 1), e.name + ".html"));
    auto pdf = writePdf(*d);
    ASSERT_OK(pdf);
    const std::string pdf_file = dir_.file(e.name + ".pdf");
    testing::writeFile(pdf_file, *pdf);
    formatstest::keepCopy(pdf_file);
    auto docx = writeDocx(*d);
    ASSERT_OK(docx);
    const std::string docx_file = dir_.file(e.name + ".docx");
    testing::writeFile(docx_file, *docx);
    auto odt = writeOdt(*d);
    ASSERT_OK(odt);
    const std::string odt_file = dir_.file(e.name + ".odt");
    testing::writeFile(odt_file, *odt);
    const int pages = formatstest::pdfPages(pdf_file);
    const std::string all_pdf = formatstest::sh("pdftotext -enc UTF-8 '" + pdf_file + "' -").out;
    for (const auto& [kind, value] : e.checks) {
      if (kind == "text") {
        EXPECT_NE(text.find(value), std::string::npos) << "text lacks \"" << value << "\":\n" << text;
      } else if (kind == "pdf") {
        EXPECT_NE(all_pdf.find(value), std::string::npos) << "PDF lacks \"" << value << "\":\n" << all_pdf;
      } else if (kind.rfind("pdf-sida-", 0) == 0) {
        const int page = std::stoi(kind.substr(9));
        ASSERT_LE(page, pages);
        const std::string t_page = formatstest::pageText(pdf_file, page);
        EXPECT_NE(t_page.find(value), std::string::npos) << "page " << page << " lacks \"" << value << "\":\n" << t_page;
      } else if (kind == "sidor") {
        EXPECT_EQ(pages, std::stoi(value));
      } else if (kind == "docx") {
        EXPECT_NE(parts(docx_file).find(value), std::string::npos) << "DOCX lacks " << value;
      } else if (kind == "odt") {
        // In its XML, or a file in the package (Pictures/logo1.svg).
        const bool in_xml = parts(odt_file).find(value) != std::string::npos;
        const bool a_part = formatstest::sh("unzip -Z1 '" + odt_file + "'").out.find(value) != std::string::npos;
        EXPECT_TRUE(in_xml || a_part) << "ODT lacks " << value;
      } else if (kind == "bild") {
        // The logo is drawn: the page's top left corner, where the header
        // begins, is not white.
        EXPECT_LT(darkestInCorner(pdf_file), 160) << "nothing drawn where the logo " << value << " should be";
      }
    }
  }
}

// The whole example of §7 is also a file (docs/examples/templates/exempelby.xml,
// the template memo-exempelby.xml names): the two must not drift apart.
TEST_F(DocsExamples, TheWholeExampleIsTheFileInDocsExamples) {
  const std::string file = testing::readFile(testing::sourceDir() + "/docs/examples/templates/exempelby.xml");
  bool found = false;
  for (const auto& e : examples()) {
    if (e.name != "exempelby") continue;
    found = true;
    EXPECT_EQ(e.xml, file) << "docs/templates.md §7 and docs/examples/templates/exempelby.xml differ";
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(memo_.template_name, "exempelby");
}

TEST_F(DocsExamples, LibreOfficeOpensTheLogoAndGridExamples) {
  if (!formatstest::haveTool("soffice")) GTEST_SKIP() << "LibreOffice saknas";
  for (const auto& e : examples()) {
    if (e.name != "exempelby" && e.name != "logotyp") continue;
    SCOPED_TRACE(e.name);
    auto t = parseTemplate(e.xml, e.name, assetsIn(testing::sourceDir() + "/docs/examples/templates"));
    ASSERT_OK(t);
    auto d = renderMemo(*t, facts_, memo_);
    ASSERT_OK(d);
    for (Format f : {Format::kDocx, Format::kOdt}) {
      auto bytes = f == Format::kDocx ? writeDocx(*d) : writeOdt(*d);
      ASSERT_OK(bytes);
      const std::string stem = e.name + "-" + std::string(formatInfo(f).name);
      const std::string file = dir_.file(stem + std::string(formatInfo(f).suffix));
      testing::writeFile(file, *bytes);
      formatstest::keepCopy(file);
      const std::string out = dir_.file("lo");
      auto r = formatstest::sh("soffice -env:UserInstallation=file://" + dir_.file("profile") +
                               " --headless --norestore --convert-to pdf --outdir '" + out + "' '" + file + "'");
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      EXPECT_EQ(r.err.find("Error"), std::string::npos) << r.err;
      const std::string pdf = out + "/" + stem + ".pdf";
      ASSERT_TRUE(std::filesystem::exists(pdf)) << r.out << r.err;
      formatstest::keepCopy(pdf);
      // LibreOffice draws the logo (the PNG as an image, the SVG as vectors)
      // and prints the header's text.
      EXPECT_LT(darkestInCorner(pdf), 160) << formatInfo(f).name << ": no logo where the header begins";
      const std::string page1 = formatstest::pageText(pdf, 1);
      EXPECT_NE(page1.find("Tjänsteskrivelse"), std::string::npos) << page1;
      if (e.name == "exempelby") {
        for (const char* s : {"Datum", "Diarienummer", "SOC 2024/17", "Besöksadress", "Stadshuset,", "Storgatan 1",
                              "Socialförvaltningen"}) {
          EXPECT_NE(page1.find(s), std::string::npos) << formatInfo(f).name << " lacks " << s << ":\n" << page1;
        }
      }
    }
  }
}

}  // namespace
}  // namespace kansli
