// The PDF writer, read back the way a person's tools read it: poppler's
// pdftotext and pdfinfo. The reference memo must come out word for word, on
// A4, with the running header on every page, each footnote on the page that
// cites it, the metadata set and the same bytes every time.
#include <map>
#include <thread>

#include "formats/fixtures.h"

namespace kansli {
namespace {

using formatstest::count;
using formatstest::pageText;
using formatstest::referenceDocument;

class PdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!formatstest::haveTool("pdftotext") || !formatstest::haveTool("pdfinfo")) {
      GTEST_FAIL() << "pdftotext/pdfinfo saknas: kör scripts/install-deps (poppler-utils)";
    }
  }

  // Writes `d` as PDF to a file in dir_ and returns its path.
  std::string render(const doc::Document& d, const std::string& name = "memo.pdf", const PdfOptions& o = {}) {
    auto pdf = writePdf(d, o);
    EXPECT_TRUE(pdf.has_value()) << pdf.error().message;
    std::string file = dir_.file(name);
    testing::writeFile(file, pdf ? *pdf : std::string());
    formatstest::keepCopy(file);
    return file;
  }

  testing::TempDir dir_;
};

TEST_F(PdfTest, ReferenceMemoMatchesTheReferenceWordForWord) {
  std::string file = render(referenceDocument());
  int pages = formatstest::pdfPages(file);
  // Two A4 pages, as the original: the shipped template's type (tjansteskrivelse.xml <layout>).
  ASSERT_EQ(pages, 2);
  std::string problems;
  std::string text = formatstest::withoutRunningHeader(file, pages, &problems);
  EXPECT_EQ(problems, "");

  auto want = testing::normalised(formatstest::referenceText(), testing::referenceForPaged(false));
  ASSERT_GT(want.size(), 900u);
  auto got = testing::normalised(text, testing::extractedFromPaged());
  EXPECT_EQ(testing::firstDifference(want, got), "");
}

TEST_F(PdfTest, A4PagesWithMetadataAndNoErrors) {
  std::string file = render(referenceDocument());
  EXPECT_NE(formatstest::pdfField(file, "Page size").find("595.276 x 841.89 pts (A4)"), std::string::npos);
  EXPECT_EQ(formatstest::pdfField(file, "Title"),
            "Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel");
  EXPECT_EQ(formatstest::pdfField(file, "Author"), "Barn- och familjeenheten");
  EXPECT_NE(formatstest::pdfField(file, "Keywords").find("SOCN 2020/262"), std::string::npos);
  EXPECT_NE(formatstest::pdfField(file, "Subject").find("Förebyggande åtgärder"), std::string::npos);
  EXPECT_NE(formatstest::pdfField(file, "CreationDate").find("Oct  5 00:00:00 2020"), std::string::npos);
  // Poppler complains on stderr about any broken structure (xref, links, fonts).
  auto r = formatstest::sh("pdftotext '" + file + "' /dev/null");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  auto fonts = formatstest::sh("pdffonts '" + file + "'").out;
  EXPECT_NE(fonts.find("LiberationSerif"), std::string::npos) << fonts;
  // Every font is embedded: pdffonts' "emb" column says yes on each line.
  std::istringstream lines(fonts);
  int font_lines = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("TrueType") == std::string::npos && line.find("CID") == std::string::npos &&
        line.find("Type 1") == std::string::npos && line.find("Type 3") == std::string::npos) {
      continue;
    }
    ++font_lines;
    EXPECT_NE(line.find(" yes "), std::string::npos) << "not embedded: " << line;
  }
  EXPECT_GT(font_lines, 0) << fonts;
}

TEST_F(PdfTest, EachFootnoteSitsAtTheFootOfThePageThatCitesIt) {
  doc::Document d = referenceDocument();
  std::string file = render(d);
  int pages = formatstest::pdfPages(file);
  const char* sup[] = {"", "¹", "²", "³", "⁴"};
  std::map<int, int> note_page;
  for (int p = 1; p <= pages; ++p) {
    std::string text = pageText(file, p);
    for (int n = 1; n <= 4; ++n) {
      std::string note_start = std::string(sup[n]) + " " + doc::plainText(d.footnotes[n - 1].content).substr(0, 15);
      if (text.find(note_start) == std::string::npos) continue;
      EXPECT_EQ(note_page.count(n), 0u) << "footnote " << n << " twice";
      note_page[n] = p;
      // The mark in the body and the mark before the note: both on this page.
      EXPECT_GE(count(text, sup[n]), 2u) << "footnote " << n << " is not cited on page " << p;
      // At the foot: after the last body text of the page.
      EXPECT_GT(text.find(note_start), text.find(std::string(sup[n]))) << "note before its mark";
    }
  }
  EXPECT_EQ(note_page.size(), 4u);
}

TEST_F(PdfTest, SignaturesStayTogetherWithTheTextBeforeThem) {
  std::string file = render(referenceDocument());
  int pages = formatstest::pdfPages(file);
  std::string last = pageText(file, pages);
  for (const char* s : {"Caroline Andreasson", "Enhetschef", "Nina Vallin Nielsen", "Kvalitetsutvecklare",
                        "Barn- och familjeenheten, kvalitet och stöd", "Handlingar i ärendet"}) {
    EXPECT_NE(last.find(s), std::string::npos) << s << " is not on the last page:\n" << last;
  }
  // Signers in reading order: the whole first signature, then the second.
  EXPECT_LT(last.find("Barn- och familjeenheten\n"), last.find("Nina Vallin Nielsen"));
}

TEST_F(PdfTest, SameDocumentSameBytes) {
  doc::Document d = referenceDocument();
  auto a = writePdf(d);
  auto b = writePdf(d);
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_TRUE(*a == *b) << "two renders differ";
  // And what differs in the tree shows in the bytes (the check can fail).
  d.meta.date = "2021-01-02";
  auto c = writePdf(d);
  ASSERT_OK(c);
  EXPECT_FALSE(*a == *c);
  EXPECT_EQ(a->find("/ID"), std::string::npos) << "a file identifier would have to be random or hashed";
}

// Each thread keeps its pango font map (fonts, fontsets, metrics) from one
// document to the next: what a thread rendered before must not change a byte.
TEST_F(PdfTest, SameBytesWhateverTheThreadRenderedBefore) {
  const doc::Document d = referenceDocument();
  Result<std::string> fresh = std::unexpected(Error::internal("not run"));
  std::thread([&] { fresh = writePdf(d); }).join();  // a thread with a new font map
  ASSERT_OK(fresh);
  // Other documents first on this thread: another language, other sizes.
  doc::Document other = referenceDocument();
  other.lang = "en";
  other.layout.body_size_pt = 13;
  other.layout.line_spacing = 1.5;
  ASSERT_OK(writePdf(other));
  auto after = writePdf(d);
  ASSERT_OK(after);
  EXPECT_TRUE(*fresh == *after) << "the same document differs after another on the same thread";
  // Two threads at once, each with its own font map, agree too.
  Result<std::string> one = std::unexpected(Error::internal("not run")), two = one;
  std::thread t1([&] { one = writePdf(d); });
  std::thread t2([&] { two = writePdf(other); });
  t1.join();
  t2.join();
  ASSERT_OK(one);
  EXPECT_TRUE(*one == *fresh);
}

// A document built by hand: the writer's edge cases without a template.
doc::Document handMade(std::vector<doc::Block> body, std::vector<doc::Footnote> notes = {}) {
  doc::Document d;
  d.kind = "prov";
  d.title = "Prov";
  d.header.fields = {{"date", {doc::Text{"2024-02-29"}}}, {"page", {doc::PageNumber{doc::PageStyle::kSidaAvTotal}}}};
  d.body.push_back(doc::Heading{1, {doc::Text{"Prov"}}});
  for (auto& b : body) d.body.push_back(std::move(b));
  d.footnotes = std::move(notes);
  d.meta.date = "2024-02-29";
  return d;
}

std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\f' && c != '\t') out += c;
  }
  return out;
}

TEST_F(PdfTest, CharactersNoFontHasAreShownNotDropped) {
  // U+1F600 is in DejaVu Sans (a fallback font); U+10FFFD is a private-use
  // character no font has; U+0800 (Samaritan) is rare.
  doc::Document d = handMade({doc::Paragraph{"", {doc::Text{"Glad \xF0\x9F\x98\x80 och privat \xF4\x8F\xBF\xBD samt \xE0\xA0\x80 slut."}}}});
  std::string text = pageText(render(d), 1);
  EXPECT_TRUE(text.find("\xF0\x9F\x98\x80") != std::string::npos || text.find("[U+1F600]") != std::string::npos)
      << text;
  EXPECT_NE(text.find("[U+10FFFD]"), std::string::npos) << text;
  EXPECT_TRUE(text.find("\xE0\xA0\x80") != std::string::npos || text.find("[U+0800]") != std::string::npos) << text;
  EXPECT_NE(text.find("slut."), std::string::npos);
}

TEST_F(PdfTest, AVeryLongWordIsWrappedNotCut) {
  std::string word;
  for (int i = 0; i < 300; ++i) word += static_cast<char>('a' + i % 26);
  doc::Document d = handMade({doc::Paragraph{"", {doc::Text{"Före " + word + " efter."}}}});
  std::string text = pageText(render(d), 1);
  EXPECT_NE(squeeze(text).find(word + "efter."), std::string::npos) << text;
  EXPECT_NE(text.find("Sida 1 av 1"), std::string::npos);
}

TEST_F(PdfTest, ListsAndManyFootnotesOverManyPages) {
  std::vector<doc::Block> body;
  std::vector<doc::Footnote> notes;
  body.push_back(doc::List{true, {{doc::Text{"Första punkten"}}, {doc::Text{"Andra punkten"}}}, {}, false});
  body.push_back(doc::List{false, {{doc::Text{"En strecksats"}}}, {}, false});
  for (int i = 1; i <= 40; ++i) {
    std::string n = std::to_string(i);
    doc::Inlines p{doc::Text{"Stycke " + n + " har en hänvisning"}, doc::FootnoteRef{i},
                   doc::Text{" och därefter en mening som fyller ut raden så att stycket blir två eller tre rader "
                             "långt när det sätts med elva punkters text på en A4-sida med vanliga marginaler."}};
    body.push_back(doc::Paragraph{"", p});
    notes.push_back({i, {doc::Text{"Fotnot nummer " + n + " om stycke " + n + "."}}});
  }
  doc::Document d = handMade(body, notes);
  std::string file = render(d);
  int pages = formatstest::pdfPages(file);
  ASSERT_GE(pages, 3);
  std::string first = pageText(file, 1);
  EXPECT_NE(first.find("1. Första punkten"), std::string::npos) << first;
  EXPECT_NE(first.find("2. Andra punkten"), std::string::npos);
  EXPECT_NE(first.find("– En strecksats"), std::string::npos) << first;
  int found = 0;
  for (int p = 1; p <= pages; ++p) {
    std::string text = pageText(file, p);
    EXPECT_NE(text.find("Sida " + std::to_string(p) + " av " + std::to_string(pages)), std::string::npos);
    for (int i = 1; i <= 40; ++i) {
      std::string n = std::to_string(i);
      bool cited = text.find("Stycke " + n + " har") != std::string::npos;
      bool noted = text.find("Fotnot nummer " + n + " om") != std::string::npos;
      EXPECT_EQ(cited, noted) << "footnote " << n << " on page " << p << " without its citation (or v.v.)";
      found += noted;
    }
  }
  EXPECT_EQ(found, 40);
}

TEST_F(PdfTest, AnotherMunicipalitysFooterAndPageStyleOnEveryPage) {
  auto t = loadTemplate(memotest::dataPath("templates/annan-kommun.xml"));
  ASSERT_OK(t);
  auto m = parseMemo(memotest::sampleMemoXml(), "m.xml");
  ASSERT_OK(m);
  auto d = renderMemo(*t, memotest::socn2020262(), *m);
  ASSERT_OK(d);
  std::string file = render(*d);
  int pages = formatstest::pdfPages(file);
  ASSERT_GE(pages, 2);
  for (int p = 1; p <= pages; ++p) {
    std::string text = pageText(file, p);
    std::string sida = "Sida " + std::to_string(p) + " av " + std::to_string(pages);
    EXPECT_EQ(count(text, sida), 2u) << "header and footer on page " << p << ":\n" << text;
    EXPECT_NE(text.find("Rådhusgatan 7"), std::string::npos) << "footer on page " << p;
    EXPECT_NE(text.find("Annanstads kommun\n"), std::string::npos) << "letterhead on page " << p;
  }
}

TEST_F(PdfTest, LayoutFromOptions) {
  PdfOptions o;
  Layout a5;
  a5.page_width_mm = 148;
  a5.page_height_mm = 210;
  a5.margin_left_mm = 15;
  a5.margin_right_mm = 15;
  o.layout = a5;
  std::string file = render(referenceDocument(), "a5.pdf", o);
  EXPECT_NE(formatstest::pdfField(file, "Page size").find("419.528 x 595.276 pts"), std::string::npos)
      << formatstest::pdfField(file, "Page size");
  EXPECT_GT(formatstest::pdfPages(file), 3);
}

TEST(PdfErrors, BrokenTreeOrLayoutIsRefused) {
  doc::Document d;  // no title heading
  auto r = writePdf(d);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  PdfOptions o;
  Layout narrow;
  narrow.margin_left_mm = 150;
  o.layout = narrow;
  auto r2 = writePdf(referenceDocument(), o);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(writeDocx(d));
  EXPECT_FALSE(writeOdt(d));
}

TEST(FormatNames, MediaTypesSuffixesAndFileNames) {
  doc::Document d = referenceDocument();
  EXPECT_EQ(fileName(d, Format::kPdf), "SOCN-2020-262-tjansteskrivelse.pdf");
  EXPECT_EQ(fileName(d, Format::kDocx), "SOCN-2020-262-tjansteskrivelse.docx");
  EXPECT_EQ(fileName(d, Format::kOdt), "SOCN-2020-262-tjansteskrivelse.odt");
  EXPECT_EQ(formatInfo(Format::kPdf).media_type, "application/pdf");
  EXPECT_EQ(formatInfo(Format::kOdt).media_type, "application/vnd.oasis.opendocument.text");
  EXPECT_EQ(formatInfo(Format::kDocx).media_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(parseFormat("PDF"), Format::kPdf);
  EXPECT_EQ(parseFormat("txt"), Format::kText);
  EXPECT_EQ(parseFormat("exe"), std::nullopt);
  d.meta.reference = "Dnr 1.6-0463/2011";
  d.kind = "";
  EXPECT_EQ(fileName(d, Format::kOdt), "Dnr-1-6-0463-2011.odt");
  d.meta.reference = "../../";
  EXPECT_EQ(fileName(d, Format::kPdf), "dokument.pdf");
}

}  // namespace
}  // namespace kansli

namespace kansli {
namespace {

// A PDF for a client that has gone is not finished: the writer polls between
// blocks and pages and stops.
TEST(PdfCancel, AGoneClientStopsTheWriter) {
  PdfOptions o;
  o.cancelled = [] { return true; };
  auto r = writePdf(referenceDocument(), o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  int polls = 0;
  o.cancelled = [&polls] { return ++polls < 0; };
  ASSERT_OK(writePdf(referenceDocument(), o));
  EXPECT_GT(polls, 2);
}

}  // namespace
}  // namespace kansli
