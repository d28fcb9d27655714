#include "kansli/organisation.h"

#include <algorithm>

#include "org/reader.h"
#include "testing/testing.h"

namespace kansli {
namespace {

using testing::TempDir;

std::string schemaPath() { return testing::sourceDir() + "/schemas/organisation.rng"; }

// Line numbers matter: the tests below name them.
const char* const kGood =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<organisation>
  <name>Testkommun</name>
  <committees>
    <committee id="SOCN" series="SOCN">
      <name>Socialnämnden</name>
      <dnr format="{series} {year}/{number}" label="Dnr"/>
    </committee>
    <committee id="KS" series="KS" paragraph-numbering="continuous">
      <name>Kommunstyrelsen</name>
      <dnr format="{series} {year}/{number:4}"/>
    </committee>
  </committees>
  <units>
    <unit id="bfe" committee="SOCN">
      <name>Barn- och familjeenheten</name>
      <unit id="bfe-kos"><name>Barn- och familjeenheten, kvalitet och stöd</name></unit>
    </unit>
  </units>
  <kinds>
    <kind id="motion"><label>Motion</label></kind>
    <kind id="politikerinitiativ"><label>Politikerinitiativ</label></kind>
  </kinds>
</organisation>
)";

// kGood with `from` replaced by `to` (which must occur exactly once).
std::string variant(std::string_view from, std::string_view to) {
  std::string s = kGood;
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(s.find(from, at + 1), std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

class OrganisationFile : public ::testing::Test {
 protected:
  std::string write(const std::string& content, const std::string& name = "organisation.xml") {
    std::string path = dir_.file(name);
    testing::writeFile(path, content);
    return path;
  }
  std::vector<std::string> problems(const std::string& content) {
    write(content);
    std::vector<std::string> out;
    for (const ConfigProblem& p : checkOrganisation(path_, schemaPath())) out.push_back(p.str());
    return out;
  }
  // The one problem reported, as `file:line: message`.
  std::string onlyProblem(const std::string& content) {
    auto all = problems(content);
    EXPECT_EQ(all.size(), 1u) << ::testing::PrintToString(all);
    return all.empty() ? "" : all.front();
  }

  TempDir dir_;
  // Where problems() writes, known before it is called.
  const std::string path_ = dir_.file("organisation.xml");
};

TEST_F(OrganisationFile, GoodFileHasNoProblemsAndLoads) {
  EXPECT_TRUE(problems(kGood).empty()) << ::testing::PrintToString(problems(kGood));
  auto org = loadOrganisation(path_, schemaPath());
  ASSERT_OK(org);
  EXPECT_EQ(org->name, "Testkommun");
  ASSERT_EQ(org->committees.size(), 2u);
  const Committee* ks = org->committee("KS");
  ASSERT_NE(ks, nullptr);
  EXPECT_EQ(ks->name, "Kommunstyrelsen");
  EXPECT_EQ(ks->dnr_label, "Dnr");  // the default
  EXPECT_EQ(ks->paragraph_numbering, ParagraphNumbering::kContinuous);
  EXPECT_EQ(ks->formatDnr(2023, 12), "KS 2023/0012");
  EXPECT_EQ(ks->line, 9);
  EXPECT_EQ(org->committee("SOCN")->paragraph_numbering, ParagraphNumbering::kPerYear);
  const Unit* kos = org->unit("bfe-kos");
  ASSERT_NE(kos, nullptr);
  EXPECT_EQ(kos->parent, "bfe");
  EXPECT_EQ(kos->committee, "SOCN");  // inherited
  EXPECT_EQ(kos->name, "Barn- och familjeenheten, kvalitet och stöd");
  EXPECT_EQ(org->kind("motion")->label, "Motion");
  EXPECT_EQ(org->committee("SN"), nullptr);
  EXPECT_EQ(org->unit("x"), nullptr);
  EXPECT_EQ(org->kind("x"), nullptr);
  EXPECT_EQ(org->committeeBySeries("SOCN"), org->committee("SOCN"));
}

TEST_F(OrganisationFile, DuplicateCommitteeId) {
  EXPECT_EQ(onlyProblem(variant(R"(<committee id="KS" series="KS")",
                                R"(<committee id="SOCN" series="KS")")),
            path_ + ":9: nämnden \"SOCN\" finns redan på rad 5");
}

TEST_F(OrganisationFile, DuplicateSeries) {
  EXPECT_EQ(onlyProblem(variant(R"(<committee id="KS" series="KS")",
                                R"(<committee id="KS" series="SOCN")")),
            path_ + ":9: serien \"SOCN\" används redan av nämnden \"SOCN\" på rad 5");
}

// The organisation_fuzz trap of CI (libFuzzer's "CMP- DE: Ks"): series
// "Ks" beside "KS" passed the exact comparison, but findDnr folds case as
// people type, so "KS 2020/262" named both committees and neither. Such a
// file is refused; the input is fuzz/corpus/organisation/series-case.xml.
TEST_F(OrganisationFile, SeriesThatDifferOnlyInCaseAreOneSeries) {
  EXPECT_EQ(onlyProblem(variant(R"(<committee id="KS" series="KS")",
                                R"(<committee id="KS" series="Socn")")),
            path_ + ":9: serien \"Socn\" används redan av nämnden \"SOCN\" på rad 5");
  EXPECT_EQ(onlyProblem(variant(R"(<committee id="KS" series="KS")",
                                R"(<committee id="KS" series="soCN")")),
            path_ + ":9: serien \"soCN\" används redan av nämnden \"SOCN\" på rad 5");
  // Swedish letters fold too: "Ö" and "ö" are one series.
  std::string s = variant(R"(<committee id="KS" series="KS")", R"(<committee id="KS" series="Ösn")");
  s.replace(s.find(R"(series="SOCN")"), 13, R"(series="ÖSN")");
  EXPECT_EQ(onlyProblem(s), path_ + ":9: serien \"Ösn\" används redan av nämnden \"SOCN\" på rad 5");
}

TEST_F(OrganisationFile, DnrFormatThatDoesNotParse) {
  EXPECT_EQ(onlyProblem(variant("{series} {year}/{number:4}", "{series} {year}/{nummer}")),
            path_ +
                ":11: dnr-formatet för nämnden \"KS\": dnr-mönstret \"{series} {year}/{nummer}\": "
                "okänt fält {nummer} vid tecken 17; kända fält är {series}, {year}, {yy}, "
                "{number}, {class} och {doc}");
}

TEST_F(OrganisationFile, AmbiguousDnrFormat) {
  std::string p = onlyProblem(variant("{series} {year}/{number:4}", "{series} {number}{year}"));
  EXPECT_EQ(p.rfind(path_ + ":11: dnr-formatet för nämnden \"KS\": ", 0), 0u) << p;
  EXPECT_NE(p.find("står intill varandra utan skiljetecken"), std::string::npos) << p;
}

TEST_F(OrganisationFile, DuplicateUnitId) {
  EXPECT_EQ(onlyProblem(variant(R"(<unit id="bfe-kos">)", R"(<unit id="bfe">)")),
            path_ + ":17: enheten \"bfe\" finns redan på rad 15");
}

TEST_F(OrganisationFile, UnitOfUnknownCommittee) {
  EXPECT_EQ(onlyProblem(variant(R"(committee="SOCN")", R"(committee="SN")")),
            path_ + ":15: enheten \"bfe\" hör till nämnden \"SN\" som inte finns");
}

TEST_F(OrganisationFile, DuplicateKindId) {
  EXPECT_EQ(onlyProblem(variant(R"(<kind id="politikerinitiativ">)", R"(<kind id="motion">)")),
            path_ + ":22: ärendetypen \"motion\" finns redan på rad 21");
}

TEST_F(OrganisationFile, SchemaErrorsCarryTheirLine) {
  // A series with a digit; the schema says letters.
  std::string p = onlyProblem(variant(R"(series="KS")", R"(series="KS2")"));
  EXPECT_EQ(p.rfind(path_ + ":9: ", 0), 0u) << p;
  EXPECT_NE(p.find("series"), std::string::npos) << p;

  // libxml2 reports the stray element twice, both on its line.
  auto all = problems(variant("<name>Kommunstyrelsen</name>", "<namn>Kommunstyrelsen</namn>"));
  ASSERT_FALSE(all.empty());
  for (const std::string& one : all) EXPECT_EQ(one.rfind(path_ + ":10: ", 0), 0u) << one;

  p = onlyProblem(variant(R"(paragraph-numbering="continuous")",
                          R"(paragraph-numbering="per-decade")"));
  EXPECT_EQ(p.rfind(path_ + ":9: ", 0), 0u) << p;

  // A blank name is no name.
  EXPECT_FALSE(problems(variant("<name>Testkommun</name>", "<name>  </name>")).empty());
}

TEST_F(OrganisationFile, NotWellFormed) {
  std::string p = onlyProblem(variant("</units>", "</unit>"));
  EXPECT_EQ(p.rfind(path_ + ":19: ", 0), 0u) << p;
}

TEST_F(OrganisationFile, DoctypeIsRefused) {
  std::string p = onlyProblem(variant("<organisation>",
                                      "<!DOCTYPE organisation [<!ENTITY x 'y'>]>\n<organisation>"));
  EXPECT_NE(p.find("DOCTYPE"), std::string::npos) << p;
}

TEST_F(OrganisationFile, EveryProblemAtOnceInLineOrder) {
  std::string s = variant(R"(<kind id="politikerinitiativ">)", R"(<kind id="motion">)");
  s.replace(s.find(R"(<committee id="KS" series="KS")"), 30, R"(<committee id="SOCN" series="SOCN")");
  s.replace(s.find("{number:4}"), 10, "{nr}");
  s.replace(s.find(R"(<unit id="bfe-kos">)"), 19, R"(<unit id="bfe">)");
  auto all = problems(s);
  ASSERT_EQ(all.size(), 5u) << ::testing::PrintToString(all);
  EXPECT_EQ(all[0], path_ + ":9: nämnden \"SOCN\" finns redan på rad 5");
  EXPECT_EQ(all[1], path_ + ":9: serien \"SOCN\" används redan av nämnden \"SOCN\" på rad 5");
  EXPECT_EQ(all[2].rfind(path_ + ":11: dnr-formatet", 0), 0u) << all[2];
  EXPECT_EQ(all[3], path_ + ":17: enheten \"bfe\" finns redan på rad 15");
  EXPECT_EQ(all[4], path_ + ":22: ärendetypen \"motion\" finns redan på rad 21");

  auto org = loadOrganisation(path_, schemaPath());
  ASSERT_FALSE(org);
  EXPECT_EQ(org.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(org.error().fields.size(), 5u);
  EXPECT_EQ(org.error().fields[3].field, "line 17");
  EXPECT_EQ(org.error().fields[3].message, "enheten \"bfe\" finns redan på rad 15");
  EXPECT_EQ(org.error().message.rfind(all[0] + "\n" + all[1] + "\n", 0), 0u)
      << org.error().message;
}

TEST_F(OrganisationFile, MissingFile) {
  std::string path = dir_.file("saknas.xml");
  auto org = loadOrganisation(path, schemaPath());
  ASSERT_FALSE(org);
  EXPECT_EQ(org.error().code, ErrorCode::kNotFound);
  auto all = checkOrganisation(path, schemaPath());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].str(), path + ":0: filen kan inte läsas");
}

TEST_F(OrganisationFile, MissingSchemaIsAnInternalError) {
  std::string path = write(kGood);
  auto org = loadOrganisation(path, dir_.file("saknas.rng"));
  ASSERT_FALSE(org);
  EXPECT_EQ(org.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(checkOrganisation(path, dir_.file("saknas.rng")).empty());
}

TEST_F(OrganisationFile, SwedishLettersInSeries) {
  EXPECT_TRUE(problems(variant(R"(series="KS")", R"(series="ÄLN")")).empty());
  auto org = loadOrganisation(path_, schemaPath());
  ASSERT_OK(org);
  EXPECT_EQ(org->committee("KS")->formatDnr(2024, 3), "ÄLN 2024/0003");
}

// Without a schema (the fuzz target's path) the reader still refuses what its
// dnr format cannot write, instead of trusting the schema to have caught it.
TEST(OrganisationReader, SeriesItsFormatCannotWriteWithoutSchema) {
  auto doc = xml::parse(variant(R"(series="KS")", R"(series="K S")"), "org.xml");
  ASSERT_OK(doc);
  Organisation org;
  auto problems = org::read(*doc, nullptr, org);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].str(),
            "org.xml:9: serien \"K S\" kan inte skrivas med dnr-formatet "
            "\"{series} {year}/{number:4}\": serien \"K S\" får bara innehålla bokstäver");
}

TEST(OrganisationReader, WrongRootWithoutSchema) {
  auto doc = xml::parse("<organization/>", "org.xml");
  ASSERT_OK(doc);
  Organisation org;
  auto problems = org::read(*doc, nullptr, org);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].str(), "org.xml:1: rotelementet ska vara <organisation>");
}

// ------------------------------------------------------------------------
// The Nacka sample.

class Nacka : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = loadOrganisation(testing::sourceDir() + "/samples/nacka/organisation.xml",
                                   schemaPath());
    ASSERT_OK(loaded);
    org_ = std::move(*loaded);
  }
  Organisation org_;
};

TEST_F(Nacka, SampleHasNoProblems) {
  auto all = checkOrganisation(testing::sourceDir() + "/samples/nacka/organisation.xml",
                               schemaPath());
  EXPECT_TRUE(all.empty());
  for (const auto& p : all) ADD_FAILURE() << p.str();
}

TEST_F(Nacka, Socialnamnden) {
  EXPECT_EQ(org_.name, "Nacka kommun");
  const Committee* socn = org_.committee("SOCN");
  ASSERT_NE(socn, nullptr);
  EXPECT_EQ(socn->name, "Socialnämnden");
  EXPECT_EQ(socn->series, "SOCN");
  EXPECT_EQ(socn->dnr_label, "Dnr");
  EXPECT_EQ(socn->paragraph_numbering, ParagraphNumbering::kPerYear);
  EXPECT_EQ(socn->formatDnr(2020, 262), "SOCN 2020/262");
  EXPECT_EQ(socn->dnr_label + " " + socn->formatDnr(2020, 262), "Dnr SOCN 2020/262");
  ASSERT_NE(org_.committee("KS"), nullptr);
  EXPECT_EQ(org_.committee("KS")->name, "Kommunstyrelsen");
  ASSERT_NE(org_.committee("BUN"), nullptr);
  EXPECT_EQ(org_.committee("BUN")->name, "Barn- och utbildningsnämnden");
}

TEST_F(Nacka, UnitsOfTheReferenceMemo) {
  const Unit* bfe = org_.unit("bfe");
  ASSERT_NE(bfe, nullptr);
  EXPECT_EQ(bfe->name, "Barn- och familjeenheten");
  EXPECT_EQ(bfe->committee, "SOCN");
  auto kvalitet = std::find_if(org_.units.begin(), org_.units.end(), [](const Unit& u) {
    return u.name == "Barn- och familjeenheten, kvalitet och stöd";
  });
  ASSERT_NE(kvalitet, org_.units.end());
  EXPECT_EQ(kvalitet->parent, "bfe");
  EXPECT_EQ(kvalitet->committee, "SOCN");
}

TEST_F(Nacka, CaseKinds) {
  ASSERT_NE(org_.kind("politikerinitiativ"), nullptr);
  EXPECT_EQ(org_.kind("politikerinitiativ")->label, "Politikerinitiativ");
  ASSERT_NE(org_.kind("motion"), nullptr);
  EXPECT_EQ(org_.kind("motion")->label, "Motion");
  ASSERT_NE(org_.kind("medborgarforslag"), nullptr);
  EXPECT_EQ(org_.kind("medborgarforslag")->label, "Medborgarförslag");
}

TEST_F(Nacka, FindDnrNamesTheCommittee) {
  auto m = org_.findDnr("SOCN 2020/262");
  ASSERT_OK(m);
  EXPECT_EQ(m->committee, org_.committee("SOCN"));
  EXPECT_EQ(m->parts.year, 2020);
  EXPECT_EQ(m->parts.number, 262);

  m = org_.findDnr(" socn 2020/0262 ");  // as typed
  ASSERT_OK(m);
  EXPECT_EQ(m->committee, org_.committee("SOCN"));
  EXPECT_EQ(m->parts.series, "SOCN");

  m = org_.findDnr("KS 2023/0012");
  ASSERT_OK(m);
  EXPECT_EQ(m->committee, org_.committee("KS"));
  EXPECT_EQ(m->parts.number, 12);

  m = org_.findDnr("MSN 2020/1");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kNotFound);

  m = org_.findDnr("hej");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidInput);
}

// Two committees whose dnrs cannot be told apart: a dnr that both formats
// read names no committee (#17), so the file is refused, naming both.
TEST_F(OrganisationFile, TwoCommitteesWhoseDnrCannotBeToldApart) {
  std::string s = kGood;
  s.replace(s.find("{series} {year}/{number}\""), 24, "{class}-{number:4}/{year}");
  s.replace(s.find("{series} {year}/{number:4}"), 26, "{class}-{number:4}/{year}");
  auto all = problems(s);
  ASSERT_EQ(all.size(), 1u) << ::testing::PrintToString(all);
  EXPECT_EQ(all[0].rfind(path_ + ":9: nämnderna \"SOCN\" och \"KS\" har dnr-format som inte går att skilja åt: ", 0), 0u)
      << all[0];
  // A series or a different shape tells them apart ("13/33" and "SOCN 2013/33")...
  EXPECT_EQ(problems(variant("{series} {year}/{number:4}", "{yy}/{number}")).size(), 0u);
  EXPECT_EQ(problems(variant("{series} {year}/{number}\"", "{year}/{number}\"")).size(), 0u);
  // ...but zero padding does not: people type "2020/1" for "2020/0001".
  std::string padded = variant("{series} {year}/{number}\"", "{year}/{number}\"");
  padded.replace(padded.find("{series} {year}/{number:4}"), 26, "{year}/{number:4}");
  EXPECT_EQ(problems(padded).size(), 1u) << ::testing::PrintToString(problems(padded));
}

// What the loader can no longer produce, findDnr still answers for an
// organisation built by hand: several committees read the dnr.
TEST(OrganisationDnr, FindDnrNamesEveryCommitteeThatReadsIt) {
  Organisation org;
  for (const char* id : {"SOCN", "KS"}) {
    Committee c;
    c.id = id;
    c.series = id;
    c.name = std::string(id) == "KS" ? "Kommunstyrelsen" : "Socialnämnden";
    c.dnr_format = "{class}-{number:4}/{year}";
    auto p = DnrPattern::compile(c.dnr_format);
    ASSERT_OK(p);
    c.dnr = *p;
    org.committees.push_back(c);
  }
  auto m = org.findDnr("1.6-0463/2011");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kConflict);
  EXPECT_NE(m.error().message.find("Socialnämnden, Kommunstyrelsen"), std::string::npos);
}

TEST_F(OrganisationFile, ContactAndAdministrations) {
  std::string s = variant("<name>Testkommun</name>",
                          "<name>Testkommun</name>\n  <contact><phone>0123-45 60 00</phone>"
                          "<postal-address>Box 1, 123 45 Testby</postal-address></contact>");
  s.replace(s.find("<unit id=\"bfe\" committee=\"SOCN\">"), 32, "<unit id=\"bfe\" committee=\"SOCN\" type=\"administration\">");
  ASSERT_TRUE(problems(s).empty()) << ::testing::PrintToString(problems(s));
  auto org = loadOrganisation(path_, schemaPath());
  ASSERT_OK(org);
  EXPECT_EQ(org->contact.phone, "0123-45 60 00");
  EXPECT_EQ(org->contact.postal_address, "Box 1, 123 45 Testby");
  EXPECT_EQ(org->contact.web, "");
  ASSERT_NE(org->administrationOf("bfe-kos"), nullptr) << "the sub-unit's förvaltning is its parent";
  EXPECT_EQ(org->administrationOf("bfe-kos")->id, "bfe");
  EXPECT_EQ(org->administrationOf("bfe")->id, "bfe");
  EXPECT_EQ(org->administrationOf("okänd"), nullptr);
  // Without type="administration" a unit has none.
  ASSERT_TRUE(problems(kGood).empty());
  auto plain = loadOrganisation(path_, schemaPath());
  ASSERT_OK(plain);
  EXPECT_EQ(plain->administrationOf("bfe-kos"), nullptr);
}

}  // namespace
}  // namespace kansli
