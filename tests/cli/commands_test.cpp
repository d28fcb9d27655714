// kansli check, import, render and audit verify as an operator runs them.
#include <sqlite3.h>

#include "testing/database.h"

#include <filesystem>

#include "testing/api_server.h"
#include "testing/process.h"
#include "testing/reference_case.h"

namespace kansli::testing {
namespace {

const std::string kOrg = sourceDir() + "/samples/nacka/organisation.xml";

TEST(Check, ShippedFilesAreClean) {
  auto r = runKansli({"check", sourceDir() + "/workflows", sourceDir() + "/templates",
                      sourceDir() + "/samples/nacka"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK"), std::string::npos);
}

TEST(Check, BrokenFilesArePrintedAsFileLineMessage) {
  TempDir dir;
  writeFile(dir.file("trasig.xml"),
            "<?xml version=\"1.0\"?>\n<workflow id=\"x\" version=\"1\" kinds=\"x\" label=\"X\">\n"
            "  <states>\n    <state id=\"a\" label=\"A\" initial=\"true\"/>\n"
            "    <state id=\"b\" label=\"B\" final=\"true\"/>\n  </states>\n  <transitions>\n"
            "    <transition id=\"t\" from=\"a\" to=\"c\" label=\"T\" roles=\"registrator\"/>\n"
            "  </transitions>\n</workflow>\n");
  writeFile(dir.file("okand.xml"), "<recept/>\n");
  auto r = runKansli({"check", dir.path().string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(dir.file("trasig.xml") + ":8:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(dir.file("okand.xml") + ":1:"), std::string::npos) << r.out;
}

TEST(Check, TheSamplesAndTheirOwnTemplatesAreClean) {
  for (const char* dir : {"/samples/sodertalje", "/samples/karlskoga", "/docs/examples"}) {
    std::vector<std::string> args = {"check", sourceDir() + dir};
    if (std::filesystem::is_directory(sourceDir() + dir + "/templates")) args.push_back(sourceDir() + dir + "/templates");
    auto r = runKansli(args);
    EXPECT_EQ(r.exit_code, 0) << dir << "\n" << r.out << r.err;
  }
}

// Regression (#17): `kansli check` said OK for a memo missing a section its
// template requires, which the server then refused. It checks the memo
// against the template it names now.
TEST(Check, AMemoIsCheckedAgainstTheTemplateItNames) {
  TempDir dir;
  std::string memo = readFile(sourceDir() + "/samples/nacka/memo-SOCN-2020-262.xml");
  const std::string child = "<section kind=\"child-impact\">";
  auto at = memo.find(child);
  ASSERT_NE(at, std::string::npos);
  memo.erase(at, memo.find("</section>", at) + 10 - at);
  writeFile(dir.file("utan-barn.xml"), memo);
  auto r = runKansli({"check", dir.file("utan-barn.xml")});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find(dir.file("utan-barn.xml") + ":1: Avsnittet \"Konsekvenser för barn\" (child-impact) saknas"),
            std::string::npos)
      << r.out;

  // A template of the municipality's own, beside the memo, that does not
  // require the section: then the memo is fine.
  std::filesystem::create_directories(dir.file("templates"));
  std::string own = readFile(sourceDir() + "/templates/tjansteskrivelse.xml");
  const std::string req = "<section kind=\"child-impact\" heading=\"Konsekvenser för barn\" required=\"yes\"/>";
  ASSERT_NE(own.find(req), std::string::npos);
  own.replace(own.find(req), req.size(), "<section kind=\"child-impact\" heading=\"Konsekvenser för barn\"/>");
  writeFile(dir.file("templates/tjansteskrivelse.xml"), own);
  auto beside = runKansli({"check", dir.file("utan-barn.xml")});
  EXPECT_EQ(beside.exit_code, 0) << beside.out << beside.err;

  // --templates names another folder instead: one without the template falls
  // back to the shipped one, which requires the section.
  TempDir other;
  auto shipped = runKansli({"check", "--templates", other.path().string(), dir.file("utan-barn.xml")});
  EXPECT_EQ(shipped.exit_code, 1) << shipped.out;
  // A memo naming a template that is nowhere.
  std::string named = memo;
  named.replace(named.find("<memo>"), 6, "<memo template=\"finns-inte\">");
  writeFile(dir.file("namnger.xml"), named);
  auto missing = runKansli({"check", dir.file("namnger.xml")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("mallen \"finns-inte\" finns inte"), std::string::npos) << missing.out;
}

class Import : public ::testing::Test {
 protected:
  Import() {
    std::filesystem::create_directories(dir.file("d"));
    std::filesystem::copy_file(kOrg, dir.file("d/organisation.xml"));
  }
  TempDir dir;
};

TEST_F(Import, AFileWithABadRowImportsNothing) {
  writeFile(dir.file("gammalt.csv"),
            "dnr,committee,kind,subject,received,senders\n"
            "SOCN 2019/17,SOCN,motion,\"Parkbänkar, fler\",2019-02-01,Eva Ek (V)\n"
            "SOCN 2019/18,SOCN,motion,Lekplatser,inte-ett-datum,Bo Berg (M)\n"
            "SOCN 2019/19,SOCN,medborgarforslag,Belysning,2019-03-01,\"Anna Al, Föreningen Grannar\"\n");
  auto r = runKansli({"import", "--data-dir", dir.file("d"), dir.file("gammalt.csv")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rad 3: received"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("inget importerades"), std::string::npos) << r.err;
  // Nothing is there: a second import of the good rows alone works and keeps the numbers.
  writeFile(dir.file("bra.csv"),
            "dnr;committee;kind;subject;received;senders\n"
            "SOCN 2019/17;SOCN;motion;Parkbänkar;2019-02-01;Eva Ek (V)|Bo Berg (M)\n");
  auto ok = runKansli({"import", "--data-dir", dir.file("d"), dir.file("bra.csv")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("Importerade 1"), std::string::npos) << ok.out;
}

TEST_F(Import, SkipBadImportsTheGoodRowsAndKeepsTheirNumbers) {
  writeFile(dir.file("gammalt.csv"),
            "dnr,committee,kind,subject,received,senders,state\n"
            "SOCN 2019/17,SOCN,motion,Parkbänkar,2019-02-01,Eva Ek (V),avslutad\n"
            "SOCN 2019/18,SOCN,motion,Lekplatser,2019-02-02,,\n"
            "KS 2019/0004,SOCN,motion,Fel nämnd,2019-02-02,Bo Berg (M),\n"
            "SOCN 2019/19,SOCN,medborgarforslag,Belysning,2019-03-01,Anna Al,\n");
  auto r = runKansli({"import", "--data-dir", dir.file("d"), "--skip-bad", dir.file("gammalt.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Importerade 2"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("rad 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rad 4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("importerar"), std::string::npos) << "progress is shown";
  // A new registration in 2019 would come after the imported numbers.
  auto again =
      runKansli({"import", "--data-dir", dir.file("d"), "--skip-bad", dir.file("gammalt.csv")});
  EXPECT_NE(again.out.find("Importerade 0"), std::string::npos) << again.out;
  EXPECT_NE(again.err.find("finns redan"), std::string::npos) << again.err;
}

// An import keeps the rules a registration keeps: a case goes only to a unit
// working for its committee, and only to an officer of such a unit; a row
// breaking either is named by line, and nothing is imported.
TEST_F(Import, ARowWithAUnitOrOfficerOfAnotherCommitteeIsRefusedByLine) {
  for (auto [user, unit] : {std::pair{"nina", "bfe"}, std::pair{"kalle", "kansli"}}) {
    auto r = runKansli({"user", "add", "--data-dir", dir.file("d"), "--username", user, "--role",
                        "handlaggare", "--unit", unit},
                       "ett-långt-lösenord\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  writeFile(dir.file("gammalt.csv"),
            "dnr,committee,kind,subject,received,senders,unit,officer\n"
            "SOCN 2019/17,SOCN,motion,Parkbänkar,2019-02-01,Eva Ek (V),bfe,nina\n"
            "SOCN 2019/18,SOCN,motion,Lekplatser,2019-02-02,Bo Berg (M),kansli,\n"
            "SOCN 2019/19,SOCN,motion,Belysning,2019-03-01,Anna Al,,kalle\n"
            "SOCN 2019/20,SOCN,motion,Bänkar,2019-03-02,Anna Al,,ingen-alls\n");
  auto r = runKansli({"import", "--data-dir", dir.file("d"), dir.file("gammalt.csv")});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("rad 3: unit: Juridik- och kanslienheten arbetar inte för"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rad 4: officer: kalle är inte handläggare"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rad 5: officer: ingen användare ingen-alls"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("rad 2"), std::string::npos) << "the good row is not refused: " << r.err;
  EXPECT_NE(r.err.find("inget importerades"), std::string::npos) << r.err;
  // With --skip-bad the good row alone goes in, with its unit and officer.
  auto skip = runKansli({"import", "--data-dir", dir.file("d"), "--skip-bad", dir.file("gammalt.csv")});
  ASSERT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_NE(skip.out.find("Importerade 1"), std::string::npos) << skip.out;
}

// A template tried without a database: the sample of another municipality.
TEST(Render, ATemplateWithoutADatabase) {
  TempDir dir;
  const std::string s = sourceDir() + "/samples/sodertalje";
  for (const char* format : {"txt", "pdf", "docx", "odt", "html"}) {
    auto r = runKansli({"render", "--template", s + "/templates/tjansteskrivelse.xml", "--memo", s + "/memo-KFN-13-33.xml",
                        "--case", s + "/case-KFN-13-33.json", "--org", s + "/organisation.xml", "--format", format,
                        "--out", dir.file(std::string("prov.") + format)});
    ASSERT_EQ(r.exit_code, 0) << format << ": " << r.out << r.err;
  }
  std::string text = readFile(dir.file("prov.txt"));
  EXPECT_NE(text.find("Kontor Kultur- och fritidskontoret\nHandläggare Hewan Temesghen\n"), std::string::npos) << text;
  EXPECT_NE(text.find("151 89 Södertälje"), std::string::npos) << "the organisation's address from --org";
  EXPECT_EQ(readFile(dir.file("prov.pdf")).rfind("%PDF-", 0), 0u);
  EXPECT_EQ(readFile(dir.file("prov.docx")).rfind("PK", 0), 0u);
  // Without --case the values the template needs are missing, by name.
  auto bare = runKansli({"render", "--template", s + "/templates/tjansteskrivelse.xml", "--memo",
                         s + "/memo-KFN-13-33.xml", "--format", "txt"});
  EXPECT_EQ(bare.exit_code, 1);
  EXPECT_NE(bare.err.find("case."), std::string::npos) << bare.err;
  // A case file with a typo is named.
  writeFile(dir.file("fel.json"), R"({"dnr": "13/33", "comittee_name": "X"})");
  auto typo = runKansli({"render", "--template", s + "/templates/tjansteskrivelse.xml", "--memo",
                         s + "/memo-KFN-13-33.xml", "--case", dir.file("fel.json"), "--format", "txt"});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_NE(typo.err.find("comittee_name"), std::string::npos) << typo.err;
}

TEST(Render, TheReferenceMemoAsText) {
  TestServer server;
  auto reg = server.as("rita", Role::kRegistrator);
  auto officer = server.as("nina", Role::kHandlaggare, "bfe");
  std::string id = registerReferenceCase(reg);
  auto etag = reg.get("/api/v1/cases/" + id).header("etag");
  ASSERT_EQ(reg.request("POST", "/api/v1/cases/" + id + "/transitions",
                        R"({"transition":"tilldela_enhet","unit":"bfe"})",
                        {{"Content-Type", "application/json"}, {"If-Match", etag}})
                .status,
            200);
  ASSERT_EQ(officer.request("PUT", "/api/v1/cases/" + id + "/memo", referenceMemoXml(),
                            {{"Content-Type", "application/xml"}})
                .status,
            201);
  std::string dir = server.dataDir();
  std::filesystem::copy_file(kOrg, dir + "/organisation.xml",
                             std::filesystem::copy_options::overwrite_existing);
  auto r = runKansli({"render", "--data-dir", dir, "--case", "SOCN 2020/1", "--format", "txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("TJÄNSTESKRIVELSE"), std::string::npos) << r.out.substr(0, 300);
  EXPECT_NE(r.out.find("Förslagets ekonomiska konsekvenser"), std::string::npos);
  auto missing = runKansli({"render", "--data-dir", dir, "--case", "SOCN 2020/99"});
  EXPECT_EQ(missing.exit_code, 1);
}

// A database with a few events, then tampered with the way an attacker with
// file access would: triggers dropped, rows changed with plain SQL.
class AuditTamper : public ::testing::Test {
 protected:
  AuditTamper() {
    for (const char* u : {"a1", "a2", "a3", "a4", "a5"}) {
      auto r = runKansli({"user", "add", "--data-dir", dir.path().string(), "--username", u,
                          "--role", "ledamot"},
                         "ett-långt-lösenord\n");
      if (r.exit_code != 0) throw std::runtime_error(r.err);
    }
  }
  void sql(const std::string& stmt) {
    if (onPostgres()) {
      // The owner of the database can switch the append-only triggers off.
      execStore(dir.path().string(), "ALTER TABLE audit_events DISABLE TRIGGER USER;" + stmt);
      return;
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("kansli.db").c_str(), &db), SQLITE_OK);
    std::string all = "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;" + stmt;
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, all.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_close(db);
  }
  RunResult verify() { return runKansli({"audit", "verify", "--data-dir", dir.path().string()}); }
  TempDir dir;
};

TEST_F(AuditTamper, AnIntactChainVerifies) {
  auto r = verify();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("5 händelser"), std::string::npos) << r.out;
}

TEST_F(AuditTamper, AChangedEventIsFound) {
  sql("UPDATE audit_events SET detail = '{\"username\":\"mallory\"}' WHERE seq = 3;");
  auto r = verify();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("händelse 3"), std::string::npos) << r.out;
}

TEST_F(AuditTamper, ARemovedEventIsFound) {
  sql("DELETE FROM audit_events WHERE seq = 2;");
  auto r = verify();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("händelse 3"), std::string::npos) << "the first event after the gap: " << r.out;
}

TEST_F(AuditTamper, TwoSwappedEventsAreFound) {
  sql("UPDATE audit_events SET seq = -1 WHERE seq = 2;"
      "UPDATE audit_events SET seq = 2 WHERE seq = 4;"
      "UPDATE audit_events SET seq = 4 WHERE seq = -1;");
  auto r = verify();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("händelse 2"), std::string::npos) << r.out;
}

TEST_F(AuditTamper, ARecomputedHashStillBreaksTheNextLink) {
  // Changing an event AND its own hash leaves the next event pointing at the old hash.
  sql("UPDATE audit_events SET detail = '{}', hash = 'ff' WHERE seq = 2;");
  auto r = verify();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("händelse 2"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace kansli::testing
