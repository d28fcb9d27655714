// The memo model: parsing, validation, hostile input, and textDiff.
#include "kansli/memo.h"

#include "memo/fixtures.h"

namespace kansli {
namespace {

using memotest::minimalMemo;

TEST(ParseMemo, ReadsTheReferenceMemo) {
  auto m = parseMemo(memotest::sampleMemoXml(), "memo-SOCN-2020-262.xml");
  ASSERT_OK(m);
  EXPECT_EQ(m->date, "2020-10-05");
  EXPECT_EQ(m->title, "Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel");
  EXPECT_EQ(m->committee.value_or(""), "Socialnämnden");
  EXPECT_FALSE(m->initiative.has_value());
  ASSERT_EQ(m->sections.size(), 7u);
  EXPECT_EQ(m->sections[0].kind, SectionKind::kProposal);
  EXPECT_EQ(m->sections[5].kind, SectionKind::kChildImpact);
  ASSERT_EQ(m->signatories.size(), 2u);
  EXPECT_EQ(m->signatories[1].unit, "Barn- och familjeenheten, kvalitet och stöd");

  int footnotes = 0;
  for (const auto& s : m->sections) {
    for (const auto& b : s.blocks) {
      if (const auto* p = std::get_if<MemoParagraph>(&b)) {
        for (const auto& r : p->content) footnotes += std::holds_alternative<MemoFootnote>(r);
      }
    }
  }
  EXPECT_EQ(footnotes, 4);
}

TEST(ParseMemo, KeepsEmphasisInFootnotes) {
  auto m = parseMemo(minimalMemo("<section kind=\"background\"><p>Se<footnote>Verk, <em>Titel i kursiv</em>, 2019</footnote>.</p></section>"),
                     "m.xml");
  ASSERT_OK(m);
  const auto& p = std::get<MemoParagraph>(m->section(SectionKind::kBackground)->blocks[0]);
  ASSERT_EQ(p.content.size(), 3u);
  const auto& f = std::get<MemoFootnote>(p.content[1]);
  ASSERT_EQ(f.content.size(), 3u);
  EXPECT_TRUE(std::get<MemoText>(f.content[1]).emphasis);
  EXPECT_EQ(std::get<MemoText>(f.content[1]).text, "Titel i kursiv");
}

TEST(ParseMemo, ListsAndOtherSections) {
  auto m = parseMemo(minimalMemo("<section><heading>Remissvar</heading><list type=\"ordered\">"
                                 "<item>Ett</item><item>Två</item></list></section>"),
                     "m.xml");
  ASSERT_OK(m);
  const auto& s = m->sections.back();
  EXPECT_EQ(s.kind, SectionKind::kOther);
  EXPECT_EQ(s.heading, "Remissvar");
  const auto& l = std::get<MemoList>(s.blocks[0]);
  EXPECT_TRUE(l.ordered);
  EXPECT_EQ(l.items.size(), 2u);
}

TEST(ParseMemo, NotWellFormedIs422WithLine) {
  auto m = parseMemo("<memo>\n<meta>\n<date>2020-10-05</date>\n</memo>", "trasig.xml");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(m.error().message.rfind("trasig.xml:4:", 0), 0u) << m.error().message;
}

TEST(ParseMemo, SchemaFailureIs422WithLine) {
  // Line 3: a section kind the vocabulary does not have.
  std::string xml =
      "<memo><meta><date>2020-10-05</date><title>T</title></meta>\n"
      "<section kind=\"proposal\"><p>a</p></section>\n"
      "<section kind=\"gissning\"><p>b</p></section>\n"
      "</memo>";
  auto m = parseMemo(xml, "schema.xml");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(m.error().message.rfind("schema.xml:3:", 0), 0u) << m.error().message;
  ASSERT_FALSE(m.error().fields.empty());
  EXPECT_EQ(m.error().fields[0].field, "line 3");
}

// A section of kind "other" may go without a heading (a decision formula);
// one of a named kind may not be empty either way.
TEST(ParseMemo, OtherSectionWithoutHeadingIsTextWithoutHeading) {
  auto m = parseMemo("<memo><meta><date>2020-10-05</date><title>T</title></meta>"
                     "<section kind=\"other\"><p>Nämnden föreslår följande.</p></section></memo>",
                     "m.xml");
  ASSERT_OK(m);
  ASSERT_EQ(m->sections.size(), 1u);
  EXPECT_EQ(m->sections[0].kind, SectionKind::kOther);
  EXPECT_EQ(m->sections[0].heading, "");
  auto empty = parseMemo("<memo><meta><date>2020-10-05</date><title>T</title></meta>"
                         "<section kind=\"other\"/></memo>",
                         "m.xml");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kUnprocessable);
}

TEST(ParseMemo, TemplateSubheadingsAndSendTo) {
  auto m = parseMemo("<memo template=\"karlskoga\"><meta><date>2013-04-12</date><title>T</title></meta>"
                     "<section kind=\"background\"><subheading>Barn- och utbildningsnämnden</subheading>"
                     "<p>x</p></section>"
                     "<send-to><recipient>Kommunfullmäktige</recipient><recipient> Barn- och\n"
                     " utbildningsnämnden </recipient></send-to></memo>",
                     "m.xml");
  ASSERT_OK(m);
  EXPECT_EQ(m->template_name, "karlskoga");
  const auto& blocks = m->sections[0].blocks;
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(std::get<MemoSubheading>(blocks[0]).text, "Barn- och utbildningsnämnden");
  EXPECT_EQ(m->send_to, (std::vector<std::string>{"Kommunfullmäktige", "Barn- och utbildningsnämnden"}));
  auto traversal = parseMemo("<memo template=\"../x\"><meta><date>2013-04-12</date><title>T</title></meta>"
                             "<section kind=\"summary\"><p>x</p></section></memo>",
                             "m.xml");
  EXPECT_FALSE(traversal) << "a template name is a plain word";
}

TEST(ParseMemo, MissingTitleIsASchemaError) {
  auto m = parseMemo("<memo><meta><date>2020-10-05</date></meta>"
                     "<section kind=\"proposal\"><p>x</p></section></memo>",
                     "m.xml");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kUnprocessable);
}

TEST(ParseMemo, RefusesDoctypeAndExternalEntities) {
  auto m = parseMemo(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE memo [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
      "<memo><meta><date>2020-10-05</date><title>&x;</title></meta>"
      "<section kind=\"proposal\"><p>x</p></section></memo>",
      "xxe.xml");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kUnprocessable);
  EXPECT_NE(m.error().message.find("DOCTYPE"), std::string::npos) << m.error().message;
  EXPECT_EQ(m.error().message.find("root:"), std::string::npos);
}

TEST(ParseMemo, ImpossibleDateIsRefused) {
  auto m = parseMemo("<memo><meta>\n<date>2021-02-30</date><title>T</title></meta>"
                     "<section kind=\"proposal\"><p>x</p></section></memo>",
                     "datum.xml");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message.rfind("datum.xml:2:", 0), 0u) << m.error().message;
}

TEST(ParseMemo, OneSectionPerKind) {
  auto m = parseMemo(minimalMemo("<section kind=\"proposal\"><p>igen</p></section>"), "dubbel.xml");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("proposal"), std::string::npos) << m.error().message;
}

TEST(ParseMemo, EmptyParagraphIsRefused) {
  auto m = parseMemo(minimalMemo("<section kind=\"background\"><p>  \n </p></section>"), "tom.xml");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("tomt"), std::string::npos) << m.error().message;
}

TEST(ParseMemo, HugeDocrefNumberIsAnErrorNotAnOverflow) {
  auto m = parseMemo(minimalMemo("<section kind=\"background\"><p><docref n=\"99999999999999999999\"/></p></section>"),
                     "stor.xml");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kUnprocessable);
}

TEST(TextDiff, EqualTextsGiveNothing) {
  EXPECT_EQ(textDiff("a\nb\nc\n", "a\nb\nc\n"), "");
}

TEST(TextDiff, ChangedLineWithContext) {
  std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string b = "1\n2\n3\n4\nfem\n6\n7\n8\n9\n";
  EXPECT_EQ(textDiff(a, b, 2), "@@ -3,5 +3,5 @@\n 3\n 4\n-5\n+fem\n 6\n 7\n");
}

TEST(TextDiff, AddedAndRemovedLinesInSeparateHunks) {
  std::string a = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
  std::string b = "ny\na\nb\nc\nd\ne\nf\ng\nh\nj\n";
  EXPECT_EQ(textDiff(a, b, 1), "@@ -1,1 +1,2 @@\n+ny\n a\n@@ -8,3 +9,2 @@\n h\n-i\n j\n");
}

TEST(TextDiff, DiffOfTwoMemoVersions) {
  auto v1 = parseMemo(minimalMemo(), "v1.xml");
  auto v2 = parseMemo(minimalMemo("<section kind=\"background\"><p>Ny bakgrund.</p></section>"), "v2.xml");
  ASSERT_OK(v1);
  ASSERT_OK(v2);
  auto t = loadTemplateByName("tjansteskrivelse");
  ASSERT_OK(t);
  auto c = memotest::socn2020262();
  auto d1 = renderMemo(*t, c, *v1);
  auto d2 = renderMemo(*t, c, *v2);
  ASSERT_OK(d1);
  ASSERT_OK(d2);
  std::string diff = textDiff(writeText(*d1), writeText(*d2));
  EXPECT_NE(diff.find("+Bakgrund\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("+Ny bakgrund.\n"), std::string::npos) << diff;
  EXPECT_EQ(diff.find("\n-"), std::string::npos) << diff;
}

}  // namespace
}  // namespace kansli
