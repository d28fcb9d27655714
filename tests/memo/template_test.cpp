// Templates: loading errors with file:line, lookup and path traversal, and the
// meeting templates over the generic Value tree.
#include <filesystem>

#include "memo/fixtures.h"

namespace kansli {
namespace {

namespace fs = std::filesystem;

// A small valid template; `body` goes inside <body> after the title.
std::string tmpl(const std::string& body, const std::string& name = "prov") {
  return "<template name=\"" + name + "\">\n"  // line 1
         "<body>\n"                              // line 2
         "<heading level=\"1\">Titel</heading>\n"  // line 3
         + body +                                  // line 4…
         "</body>\n</template>\n";
}

TEST(TemplateLoad, AllShippedTemplatesLoad) {
  for (const char* name : {"tjansteskrivelse", "kallelse", "protokoll", "protokollsutdrag"}) {
    auto t = loadTemplateByName(name);
    EXPECT_TRUE(t.has_value()) << name << ": " << t.error().message;
    if (t) {
      EXPECT_EQ(t->name(), name);
    }
  }
}

TEST(TemplateLoad, SectionRulesAreExposedForEditors) {
  auto t = loadTemplateByName("tjansteskrivelse");
  ASSERT_OK(t);
  const auto& rules = t->sections();
  ASSERT_EQ(rules.size(), 8u);
  EXPECT_EQ(rules[0].kind, SectionKind::kProposal);
  EXPECT_TRUE(rules[0].required);
  EXPECT_EQ(rules[0].heading, "Förslag till beslut");
  EXPECT_EQ(rules[2].kind, SectionKind::kProposalsInInitiative);
  EXPECT_FALSE(rules[2].required);
  EXPECT_TRUE(rules[7].has_default);
}

TEST(TemplateLoad, UnknownValueNameIsAnErrorWithFileAndLine) {
  testing::TempDir dir;
  std::string file = dir.file("prov.xml");
  testing::writeFile(file, tmpl("<paragraph>\n<value of=\"case.dnrr\"/></paragraph>\n"));
  auto t = loadTemplate(file);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(t.error().message.rfind(file + ":5: okänt värde \"case.dnrr\"", 0), 0u) << t.error().message;
  ASSERT_FALSE(t.error().fields.empty());
  EXPECT_EQ(t.error().fields[0].field, "line 5");
}

TEST(TemplateLoad, UnknownNamesAreCaughtInEveryPosition) {
  const char* bodies[] = {
      "<if present=\"memo.nope\"><paragraph>x</paragraph></if>\n",
      "<each in=\"case.nope\" as=\"x\"><paragraph>x</paragraph></each>\n",
      "<each in=\"case.senders\" as=\"s\"><paragraph><value of=\"s.nope\"/></paragraph></each>\n",
      "<paragraph><value of=\"nope\"/></paragraph>\n",
      "<paragraph><value of=\"s.name\"/></paragraph>\n",  // alias outside its loop
      "<sections><section kind=\"documents\"><default><paragraph><value of=\"case.x\"/></paragraph></default></section></sections>\n",
  };
  for (const char* body : bodies) {
    auto t = parseTemplate(tmpl(body), "prov.xml");
    ASSERT_FALSE(t) << body;
    EXPECT_NE(t.error().message.find("prov.xml:4: okänt värde"), std::string::npos) << t.error().message;
  }
}

TEST(TemplateLoad, FormatsMustFitTheirValues) {
  struct Case {
    const char* body;
    const char* says;
  } cases[] = {
      {"<paragraph><value of=\"case.dnr\" format=\"long-date\"/></paragraph>\n", "kräver ett datum"},
      {"<paragraph><value of=\"case.senders\"/></paragraph>\n", "är en lista"},
      {"<paragraph><value of=\"case\"/></paragraph>\n", "är en post"},
      {"<paragraph><value of=\"case.dnr\" format=\"names\"/></paragraph>\n", "kräver en lista med namn"},
      {"<each in=\"case.dnr\" as=\"x\"><paragraph>x</paragraph></each>\n", "kräver en lista"},
      {"<each in=\"case.senders\" as=\"case\"><paragraph>x</paragraph></each>\n", "upptaget"},
      {"<each in=\"case.senders\" as=\"s\"><each in=\"case.documents\" as=\"s\"><paragraph>x</paragraph></each></each>\n",
       "används redan"},
      {"<each in=\"case.senders\" as=\"s\"><heading level=\"1\">Igen</heading></each>\n", "nivå 1"},
  };
  for (const auto& c : cases) {
    auto t = parseTemplate(tmpl(c.body), "prov.xml");
    ASSERT_FALSE(t) << c.body;
    EXPECT_NE(t.error().message.find(c.says), std::string::npos) << t.error().message;
    EXPECT_EQ(t.error().message.rfind("prov.xml:4:", 0), 0u) << t.error().message;
  }
}

TEST(TemplateLoad, SchemaAndStructureErrors) {
  // No title.
  auto t = parseTemplate("<template name=\"x\"><body><paragraph>a</paragraph></body></template>", "x.xml");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("nivå 1"), std::string::npos) << t.error().message;
  // An element the vocabulary does not have (a script, say).
  t = parseTemplate(tmpl("<script>alert(1)</script>\n"), "x.xml");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kUnprocessable);
  // Two <sections>.
  t = parseTemplate(tmpl("<sections><others/></sections><sections><others/></sections>\n"), "x.xml");
  ASSERT_FALSE(t);
  // The same kind twice.
  t = parseTemplate(tmpl("<sections><section kind=\"summary\"/><section kind=\"summary\"/></sections>\n"), "x.xml");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("summary"), std::string::npos);
  // Not well-formed, and a DOCTYPE.
  t = parseTemplate("<template name=\"x\"><body>", "x.xml");
  ASSERT_FALSE(t);
  t = parseTemplate("<!DOCTYPE template [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><template name=\"x\"/>", "x.xml");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("DOCTYPE"), std::string::npos);
}

TEST(TemplateLookup, RefusesNamesThatCouldLeaveTheDirectory) {
  testing::TempDir dir;
  for (const char* bad : {"../tjansteskrivelse", "..", "/etc/passwd", "a/b", "tjansteskrivelse.xml",
                          "..\\x", "", "Tjansteskrivelse", "-x", "x y", "%2e%2e", "tjänsteskrivelse",
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    auto p = findTemplate(bad, dir.path());
    ASSERT_FALSE(p) << bad;
    EXPECT_EQ(p.error().code, ErrorCode::kInvalidInput) << bad;
  }
  std::string nul("kall\0else", 9);
  EXPECT_FALSE(findTemplate(nul, dir.path()));
}

TEST(TemplateLookup, OverrideDirectoryFirstThenShipped) {
  testing::TempDir dir;
  auto shipped = findTemplate("kallelse", dir.path());
  ASSERT_OK(shipped);
  EXPECT_EQ(shipped->parent_path(), shippedTemplatesDir());

  testing::writeFile(dir.file("kallelse.xml"),
                     "<template name=\"kallelse\"><body><heading level=\"1\">Vår kallelse</heading></body></template>");
  auto own = findTemplate("kallelse", dir.path());
  ASSERT_OK(own);
  EXPECT_EQ(*own, dir.path() / "kallelse.xml");
  auto t = loadTemplateByName("kallelse", dir.path());
  ASSERT_OK(t);
  auto d = expand(*t, Value::record());
  ASSERT_OK(d);
  EXPECT_EQ(d->title, "Vår kallelse");

  auto none = findTemplate("finns-inte", dir.path());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

TEST(TemplateLookup, SymlinkOutOfTheDirectoryIsRefused) {
  testing::TempDir outside, dir;
  testing::writeFile(outside.file("hemlig.xml"), "<template name=\"hemlig\"/>");
  fs::create_symlink(outside.path() / "hemlig.xml", dir.path() / "hemlig.xml");
  auto p = findTemplate("hemlig", dir.path());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kForbidden);
}

// ---- An approved memo's kept template -----------------------------------------

TEST(KeptTemplates, TheSameFilesAreParsedOnceOtherFilesAreNot) {
  TemplateFiles files{tmpl("<paragraph>Ett</paragraph>\n", "behallen-ett"), {}};
  const std::string json = templateFilesJson(files);
  auto a = cachedKeptTemplate(json, "behållen");
  auto b = cachedKeptTemplate(json, "behållen");
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(&a->ast(), &b->ast()) << "the same files were parsed twice";
  EXPECT_EQ(a->name(), "behallen-ett");
  // A changed template is other files: never the remembered one.
  files.xml = tmpl("<paragraph>Två</paragraph>\n", "behallen-tva");
  auto c = cachedKeptTemplate(templateFilesJson(files), "behållen");
  ASSERT_OK(c);
  EXPECT_NE(&a->ast(), &c->ast());
  EXPECT_EQ(c->name(), "behallen-tva");
  // The name is part of the key (it appears in the template's errors).
  auto d = cachedKeptTemplate(json, "behållen (godkänd version 2)");
  ASSERT_OK(d);
  EXPECT_NE(&a->ast(), &d->ast());
  EXPECT_EQ(d->source(), "behållen (godkänd version 2)");
}

TEST(KeptTemplates, ErrorsAreNotRememberedAndTheCacheIsBounded) {
  auto broken = cachedKeptTemplate("{inte json", "trasig");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::kInternal);
  TemplateFiles bad{"<template name=\"x\"><okänd/></template>", {}};
  EXPECT_FALSE(cachedKeptTemplate(templateFilesJson(bad), "trasig"));
  EXPECT_FALSE(cachedKeptTemplate(templateFilesJson(bad), "trasig"));

  const std::string first = templateFilesJson({tmpl("<paragraph>0</paragraph>\n", "gransen-0"), {}});
  auto kept = cachedKeptTemplate(first, "gränsen");
  ASSERT_OK(kept);
  auto again = cachedKeptTemplate(first, "gränsen");
  ASSERT_OK(again);
  EXPECT_EQ(&kept->ast(), &again->ast());
  // As many others as the cache holds push the first one out: it is parsed anew.
  for (size_t i = 1; i <= kKeptTemplateCacheSize; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_OK(cachedKeptTemplate(templateFilesJson({tmpl("<paragraph>" + n + "</paragraph>\n", "gransen-" + n), {}}), "gränsen"));
  }
  auto parsed_anew = cachedKeptTemplate(first, "gränsen");
  ASSERT_OK(parsed_anew);
  EXPECT_NE(&kept->ast(), &parsed_anew->ast());
  EXPECT_EQ(parsed_anew->name(), "gransen-0");
}

// ---- Meeting templates over the generic values ---------------------------------

Value meeting() {
  auto person = [](const char* name, const char* party, const char* role) {
    return Value::record().set("name", name).set("party", party).set("role", role);
  };
  Value items = Value::list();
  items.push(Value::record()
                 .set("number", "1")
                 .set("paragraph", "§ 101")
                 .set("title", "Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel")
                 .set("dnr", "SOCN 2020/262")
                 .set("officer", "Nina Vallin Nielsen")
                 .set("proposal", "Socialnämnden bifaller förslagen i politikerinitiativet.")
                 .set("decision", "Socialnämnden beslutar i enlighet med förslaget.")
                 .set("send_to", Value::list()
                                     .push(Value::record().set("name", "Barn- och familjeenheten"))
                                     .push(Value::record().set("name", "Andreas Falk (S)"))
                                     .push(Value::record().set("name", "Maria Åberg (S)"))));
  items.push(Value::record()
                 .set("number", "2")
                 .set("paragraph", "§ 102")
                 .set("title", "Anmälningsärenden")
                 .set("decision", "Anmälningarna noteras till protokollet."));
  return Value::record()
      .set("committee_name", "Socialnämnden")
      .set("date", "2020-10-20")
      .set("start_time", "17.00")
      .set("end_time", "18.30")
      .set("place", "Sammanträdesrummet Jelly, Nacka stadshus")
      .set("chair", "Ordförande Ordförandesson")
      .set("secretary", "Sekreterare Sekreterarsson")
      .set("notice_date", "2020-10-13")
      .set("paragraphs", "§§ 101–102")
      .set("adjust_date", "2020-10-22")
      .set("adjust_place", "Nacka stadshus")
      .set("posted_date", "2020-10-23")
      .set("appeal_until", "2020-11-13")
      .set("members", Value::list().push(person("Ordförande Ordförandesson", "M", "ordförande"))
                          .push(person("Andreas Falk", "S", "")))
      .set("adjusters", Value::list().push(person("Andreas Falk", "S", "")))
      .set("items", std::move(items));
}

TEST(MeetingTemplates, Kallelse) {
  auto t = loadTemplateByName("kallelse");
  ASSERT_OK(t);
  auto d = expand(*t, Value::record().set("meeting", meeting()));
  ASSERT_OK(d);
  std::string text = writeText(*d);
  EXPECT_NE(text.find("Kallelse till sammanträde med Socialnämnden\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Tid: tisdag 20 oktober 2020 kl. 17.00\n"), std::string::npos) << text;
  EXPECT_NE(text.find("1. Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel "
                      "(SOCN 2020/262), föredragande Nina Vallin Nielsen\n2. Anmälningsärenden\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("SOCIALNÄMNDEN\nKALLELSE\n2020-10-13\n"), std::string::npos) << text;
}

TEST(MeetingTemplates, Protokoll) {
  auto t = loadTemplateByName("protokoll");
  ASSERT_OK(t);
  auto d = expand(*t, Value::record().set("meeting", meeting()));
  ASSERT_OK(d) ;
  EXPECT_EQ(doc::check(*d), "");
  std::string text = writeText(*d);
  EXPECT_NE(text.find("– Ordförande Ordförandesson (M), ordförande\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Utses att justera: Andreas Falk (S)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("§ 101 Förebyggande åtgärder"), std::string::npos) << text;
  EXPECT_NE(text.find("Beslutet skickas till: Barn- och familjeenheten, Andreas Falk (S) och Maria Åberg (S)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Sista dag för överklagande är 13 november 2020."), std::string::npos) << text;
  EXPECT_NE(text.find("Justerande\nAndreas Falk\n"), std::string::npos) << text;
}

TEST(MeetingTemplates, ProtokollsutdragNeedsTheCertifier) {
  auto t = loadTemplateByName("protokollsutdrag");
  ASSERT_OK(t);
  Value m = meeting();
  Value one = Value::list();
  one.push(m.field("items")->items()[0]);
  m.set("items", std::move(one));
  auto missing = expand(*t, Value::record().set("meeting", m));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("extract.certifier"), std::string::npos) << missing.error().message;

  auto d = expand(*t, Value::record().set("meeting", m).set(
                          "extract", Value::record().set("certifier", "Sekreterare Sekreterarsson").set("date", "2020-10-23")));
  ASSERT_OK(d);
  std::string text = writeText(*d);
  EXPECT_NE(text.find("Utdrag ur protokoll från sammanträde med Socialnämnden den 20 oktober 2020\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("– Maria Åberg (S)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Rätt utdraget intygar\nSekreterare Sekreterarsson\n2020-10-23\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("Anmälningsärenden"), std::string::npos);
}

TEST(MeetingTemplates, SectionsWithoutAMemoIsAnError) {
  auto t = loadTemplateByName("tjansteskrivelse");
  ASSERT_OK(t);
  auto d = expand(*t, Value::record().set("case", caseValues(memotest::socn2020262()))
                          .set("memo", Value::record().set("date", "2020-10-05").set("title", "T")));
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("ingen tjänsteskrivelse"), std::string::npos) << d.error().message;
}

// ---- The tree's invariants --------------------------------------------------------

TEST(DocumentTree, CheckFindsBrokenInvariants) {
  doc::Document d;
  EXPECT_NE(doc::check(d), "");  // no title
  d.body.emplace_back(doc::Heading{1, {doc::Text{"T", false}}});
  EXPECT_EQ(doc::check(d), "");
  d.body.emplace_back(doc::Heading{3, {doc::Text{"Hopp", false}}});
  EXPECT_NE(doc::check(d), "");
  d.body.pop_back();
  d.body.emplace_back(doc::Paragraph{"", {doc::Text{"a", false}, doc::FootnoteRef{1}}});
  EXPECT_NE(doc::check(d), "");  // reference to a missing footnote
  d.footnotes.push_back({1, {doc::Text{"not", false}}});
  EXPECT_EQ(doc::check(d), "");
  d.footnotes.push_back({2, {doc::Text{"oanvänd", false}}});
  EXPECT_NE(doc::check(d), "");  // a footnote nobody refers to
}

}  // namespace
}  // namespace kansli
