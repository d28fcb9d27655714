#include "xml/xml.h"

#include "testing/testing.h"

namespace kansli::xml {
namespace {

TEST(Xml, ParsesAndReportsLines) {
  auto d = parse("<a>\n<b x='1'>hej</b>\n</a>", "t.xml");
  ASSERT_OK(d);
  auto b = d->root().child("b");
  ASSERT_TRUE(b);
  EXPECT_EQ(b.line(), 2);
  EXPECT_EQ(b.attrOr("x", ""), "1");
  EXPECT_EQ(b.text(), "hej");
}

TEST(Xml, NotWellFormedNamesFileAndLine) {
  auto d = parse("<a>\n<b>\n</a>", "memo.xml");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(d.error().message.rfind("memo.xml:3:", 0), 0u) << d.error().message;
}

TEST(Xml, RefusesDoctypeSoXxeNeverStarts) {
  auto d = parse(
      "<?xml version='1.0'?>\n<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n<a>&x;</a>",
      "xxe.xml");
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("DOCTYPE"), std::string::npos) << d.error().message;
}

TEST(Xml, RefusesBillionLaughsQuickly) {
  std::string bomb = "<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'>";
  for (int i = 1; i < 10; ++i) {
    bomb += "<!ENTITY " + std::string(1, char('a' + i)) + " '";
    for (int j = 0; j < 10; ++j) bomb += "&" + std::string(1, char('a' + i - 1)) + ";";
    bomb += "'>";
  }
  bomb += "]><l>&j;</l>";
  auto d = parse(bomb, "bomb.xml");
  ASSERT_FALSE(d);
}

TEST(Xml, SizeLimitCheckedBeforeParsing) {
  auto d = parse(std::string(2000, ' '), "big.xml", {.max_bytes = 1000});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kTooLarge);
}

TEST(Xml, DeepNestingIsRefused) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<a>";
  for (int i = 0; i < 5000; ++i) deep += "</a>";
  EXPECT_FALSE(parse(deep, "deep.xml"));
}

TEST(Xml, MixedContentKeepsSpacesBetweenInlineElements) {
  auto d = parse("<p>Se <em>a</em> <em>b</em> här</p>", "p.xml");
  ASSERT_OK(d);
  auto nodes = d->root().nodes();
  ASSERT_EQ(nodes.size(), 5u);
  EXPECT_TRUE(nodes[2].isText());
}

TEST(Xml, EscapeCoversMarkupAndQuotes) {
  EXPECT_EQ(escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

}  // namespace
}  // namespace kansli::xml
