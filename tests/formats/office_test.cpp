// DOCX and ODT: the packages unzipped and their parts checked for the real
// structures an editor needs (heading styles, footnotes, header fields), the
// same bytes every time, and LibreOffice (when installed) opening both and
// printing the reference memo word for word.
#include "formats/fixtures.h"
#include "xml/xml.h"

namespace kansli {
namespace {

using formatstest::count;
using formatstest::referenceDocument;
using formatstest::unzipPart;

class OfficeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!formatstest::haveTool("unzip")) GTEST_FAIL() << "unzip saknas: kör scripts/install-deps";
  }
  std::string save(const Result<std::string>& bytes, const std::string& name) {
    EXPECT_TRUE(bytes.has_value()) << bytes.error().message;
    std::string file = dir_.file(name);
    testing::writeFile(file, bytes ? *bytes : std::string());
    formatstest::keepCopy(file);
    return file;
  }
  // The part must be well-formed XML (parsed by the XML layer).
  std::string part(const std::string& file, const std::string& name) {
    std::string x = unzipPart(file, name);
    EXPECT_FALSE(x.empty()) << name << " is missing";
    auto parsed = xml::parse(x, name);
    EXPECT_TRUE(parsed.has_value()) << name << ": " << (parsed ? "" : parsed.error().message);
    return x;
  }
  testing::TempDir dir_;
};

TEST_F(OfficeTest, DocxHasHeadingStylesFootnotesAndAHeaderWithPageFields) {
  std::string file = save(writeDocx(referenceDocument()), "memo.docx");
  std::string list = formatstest::sh("unzip -Z1 '" + file + "'").out;
  for (const char* p : {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
                        "word/footnotes.xml", "word/header1.xml", "word/numbering.xml", "docProps/core.xml"}) {
    EXPECT_NE(list.find(p), std::string::npos) << p;
  }
  std::string document = part(file, "word/document.xml");
  EXPECT_EQ(count(document, "<w:pStyle w:val=\"Heading1\"/>"), 1u);
  EXPECT_EQ(count(document, "<w:pStyle w:val=\"Heading2\"/>"), 7u);
  EXPECT_EQ(count(document, "<w:footnoteReference w:id="), 4u);
  EXPECT_NE(document.find("<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"), std::string::npos);
  EXPECT_NE(document.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), std::string::npos) << "A4";
  EXPECT_NE(document.find("<w:cantSplit/>"), std::string::npos) << "signature rows kept whole";
  EXPECT_NE(document.find("Caroline Andreasson"), std::string::npos);

  std::string notes = part(file, "word/footnotes.xml");
  for (int i = 1; i <= 4; ++i) EXPECT_NE(notes.find("<w:footnote w:id=\"" + std::to_string(i) + "\">"), std::string::npos);
  EXPECT_NE(notes.find("I polisregion Stockholm ingår Stockholms län och Gotland"), std::string::npos);
  EXPECT_NE(notes.find("<w:i/></w:rPr><w:t xml:space=\"preserve\">Sexuell människohandel"), std::string::npos);

  std::string header = part(file, "word/header1.xml");
  EXPECT_NE(header.find("w:instr=\" PAGE \""), std::string::npos);
  EXPECT_NE(header.find("w:instr=\" NUMPAGES \""), std::string::npos);
  EXPECT_NE(header.find("TJÄNSTESKRIVELSE"), std::string::npos);
  EXPECT_NE(header.find("Dnr SOCN 2020/262"), std::string::npos);

  std::string styles = part(file, "word/styles.xml");
  EXPECT_NE(styles.find("w:styleId=\"Heading1\""), std::string::npos);
  EXPECT_NE(styles.find("<w:outlineLvl w:val=\"1\"/>"), std::string::npos);
  std::string core = part(file, "docProps/core.xml");
  EXPECT_NE(core.find("<dc:creator>Barn- och familjeenheten</dc:creator>"), std::string::npos);
  EXPECT_NE(core.find("SOCN 2020/262"), std::string::npos);
  EXPECT_NE(core.find("2020-10-05T00:00:00Z"), std::string::npos);
  part(file, "[Content_Types].xml");
  part(file, "word/_rels/document.xml.rels");
  part(file, "word/settings.xml");
  part(file, "word/numbering.xml");
}

TEST_F(OfficeTest, OdtHasMimetypeFirstHeadingsNotesAndPageFieldsInTheHeader) {
  auto bytes = writeOdt(referenceDocument());
  ASSERT_OK(bytes);
  // ODF: the first local header is "mimetype", stored, no extra field.
  ASSERT_GT(bytes->size(), 80u);
  const std::string& z = *bytes;
  EXPECT_EQ(z.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_EQ(z[8] | (z[9] << 8), 0) << "mimetype compressed";
  EXPECT_EQ(z[28] | (z[29] << 8), 0) << "extra field on mimetype";
  EXPECT_EQ(z.substr(30, 8), "mimetype");
  EXPECT_EQ(z.substr(38, 39), "application/vnd.oasis.opendocument.text");
  // And first in the central directory, which is what unzip and most readers list.
  std::string listing = formatstest::sh("unzip -Z1 '" + save(bytes, "order.odt") + "'").out;
  EXPECT_EQ(listing.rfind("mimetype\n", 0), 0u) << listing;

  std::string file = save(bytes, "memo.odt");
  std::string content = part(file, "content.xml");
  EXPECT_EQ(count(content, "<text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">"), 1u);
  EXPECT_EQ(count(content, "text:outline-level=\"2\""), 7u);
  EXPECT_EQ(count(content, "<text:note "), 4u);
  EXPECT_NE(content.find("<text:note-body><text:p text:style-name=\"Footnote\">I polisregion Stockholm ingår"),
            std::string::npos);
  EXPECT_NE(content.find("<text:span text:style-name=\"Emphasis\">Sexuell människohandel"), std::string::npos);
  EXPECT_NE(content.find("<table:table table:name=\"Underskrifter\""), std::string::npos);

  std::string styles = part(file, "styles.xml");
  auto header = styles.find("<style:header>");
  ASSERT_NE(header, std::string::npos);
  EXPECT_NE(styles.find("<text:page-number text:select-page=\"current\">", header), std::string::npos);
  EXPECT_NE(styles.find("<text:page-count>", header), std::string::npos);
  EXPECT_NE(styles.find("Dnr SOCN 2020/262", header), std::string::npos);
  EXPECT_NE(styles.find("fo:page-width=\"21.000cm\""), std::string::npos);
  EXPECT_NE(styles.find("style:default-outline-level=\"1\""), std::string::npos);

  std::string meta = part(file, "meta.xml");
  EXPECT_NE(meta.find("<meta:keyword>SOCN 2020/262</meta:keyword>"), std::string::npos);
  EXPECT_NE(meta.find("<meta:creation-date>2020-10-05T00:00:00</meta:creation-date>"), std::string::npos);
  part(file, "META-INF/manifest.xml");
}

TEST_F(OfficeTest, ListsBecomeRealLists) {
  doc::Document d;
  d.kind = "prov";
  d.title = "Prov";
  d.body = {doc::Heading{1, {doc::Text{"Prov"}}}, doc::List{true, {{doc::Text{"ett"}}, {doc::Text{"två"}}}, {}, false},
            doc::List{false, {{doc::Text{"punkt"}}}, {}, false}};
  std::string docx = save(writeDocx(d), "l.docx");
  std::string document = part(docx, "word/document.xml");
  EXPECT_EQ(count(document, "<w:numPr>"), 3u);
  std::string numbering = part(docx, "word/numbering.xml");
  EXPECT_NE(numbering.find("<w:numFmt w:val=\"decimal\"/>"), std::string::npos);
  EXPECT_NE(numbering.find("<w:numFmt w:val=\"bullet\"/>"), std::string::npos);
  std::string odt = save(writeOdt(d), "l.odt");
  std::string content = part(odt, "content.xml");
  EXPECT_EQ(count(content, "<text:list-item>"), 3u);
  EXPECT_NE(content.find("text:style-name=\"Numrering\""), std::string::npos);
}

TEST_F(OfficeTest, SameDocumentSameBytes) {
  doc::Document d = referenceDocument();
  auto a = writeDocx(d), b = writeDocx(d);
  auto c = writeOdt(d), e = writeOdt(d);
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_OK(c);
  ASSERT_OK(e);
  EXPECT_TRUE(*a == *b);
  EXPECT_TRUE(*c == *e);
  d.meta.date = "2021-01-02";
  EXPECT_FALSE(*a == *writeDocx(d));
}

// ---- LibreOffice ------------------------------------------------------------

class LibreOfficeTest : public OfficeTest {
 protected:
  void SetUp() override {
    OfficeTest::SetUp();
    if (!formatstest::haveTool("soffice")) GTEST_SKIP() << "LibreOffice saknas";
    if (!formatstest::haveTool("pdftotext")) GTEST_FAIL() << "pdftotext saknas";
  }

  // soffice --convert-to pdf with a profile of its own, so a running office
  // or another test cannot interfere.
  std::string toPdf(const std::string& file) {
    std::string out = dir_.file("pdf");
    auto r = formatstest::sh("soffice -env:UserInstallation=file://" + dir_.file("profile") +
                             " --headless --norestore --convert-to pdf --outdir '" + out + "' '" + file + "'");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    std::string name = std::filesystem::path(file).stem().string() + ".pdf";
    if (std::filesystem::exists(out + "/" + name)) formatstest::keepCopy(out + "/" + name);
    return out + "/" + name;
  }

  void matchesReference(const std::string& pdf) {
    ASSERT_TRUE(std::filesystem::exists(pdf)) << pdf;
    int pages = formatstest::pdfPages(pdf);
    ASSERT_EQ(pages, 2) << "the original is two A4 pages";
    std::string problems;
    std::string text = formatstest::withoutRunningHeader(pdf, pages, &problems);
    EXPECT_EQ(problems, "");
    doc::Document d = referenceDocument();
    std::vector<std::string> notes;
    for (const auto& f : d.footnotes) notes.push_back(doc::plainText(f.content));
    auto want = testing::normalised(formatstest::referenceText(), testing::referenceForPaged(true));
    auto got = testing::normalised(text, testing::extractedFromPaged(notes));
    EXPECT_EQ(testing::firstDifference(want, got), "");
  }
};

TEST_F(LibreOfficeTest, DocxPrintsTheReferenceMemo) {
  matchesReference(toPdf(save(writeDocx(referenceDocument()), "memo-docx.docx")));
}

TEST_F(LibreOfficeTest, OdtPrintsTheReferenceMemo) {
  matchesReference(toPdf(save(writeOdt(referenceDocument()), "memo-odt.odt")));
}

}  // namespace
}  // namespace kansli
