// How committees number and write the paragraphs of their minutes.
#include "kansli/organisation.h"
#include "testing/testing.h"

namespace kansli {
namespace {

std::string org(const std::string& committee_attrs) {
  return "<?xml version=\"1.0\"?>\n<organisation>\n  <name>Exempel kommun</name>\n  <committees>\n"
         "    <committee id=\"SN\" series=\"SN\" " + committee_attrs + ">\n"
         "      <name>Socialnämnden</name>\n      <dnr format=\"{series} {yy}/{number:4}\" label=\"Dnr\"/>\n"
         "    </committee>\n  </committees>\n  <units>\n    <unit id=\"a\" committee=\"SN\"><name>A</name></unit>\n"
         "  </units>\n  <kinds>\n    <kind id=\"motion\"><label>Motion</label></kind>\n  </kinds>\n</organisation>\n";
}

Result<Organisation> load(const std::string& text) {
  testing::TempDir dir;
  testing::writeFile(dir.file("org.xml"), text);
  return loadOrganisation(dir.file("org.xml"), testing::sourceDir() + "/schemas/organisation.rng");
}

TEST(ParagraphStyle, DefaultIsParagraphSignAndNumber) {
  auto o = load(org(""));
  ASSERT_OK(o);
  EXPECT_EQ(o->committee("SN")->formatParagraph(63, 2020), "§ 63");
  EXPECT_EQ(o->committee("SN")->paragraph_numbering, ParagraphNumbering::kPerYear);
}

TEST(ParagraphStyle, NumberSlashTwoDigitYear) {
  auto o = load(org("paragraph-style=\"§ {n}/{yy}\" paragraph-numbering=\"per-meeting\""));
  ASSERT_OK(o);
  EXPECT_EQ(o->committee("SN")->formatParagraph(63, 2020), "§ 63/20");
  EXPECT_EQ(o->committee("SN")->formatParagraph(5, 2009), "§ 5/09");
  EXPECT_EQ(o->committee("SN")->paragraph_numbering, ParagraphNumbering::kPerMeeting);
}

TEST(ParagraphStyle, AStyleWithoutTheNumberIsAProblemWithItsLine) {
  auto o = load(org("paragraph-style=\"Paragraf\""));
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().message.find("org.xml:5:"), std::string::npos) << o.error().message;
  EXPECT_NE(o.error().message.find("{n}"), std::string::npos) << o.error().message;
}

}  // namespace
}  // namespace kansli
